#!/usr/bin/env bash
# Builds a varied corpus in the current folder: scripts/check-corpus.sh . large
set -e
F="ffmpeg -v error -y"
V="testsrc2=size=640x360:rate=25"
A="sine=frequency=440:sample_rate=48000"
$F -f lavfi -i "$V" -f lavfi -i "$A" -t 5 -c:v libx264 -c:a aac basic.mp4
$F -f lavfi -i "$V" -f lavfi -i "$A" -t 5 -c:v libx265 -x265-params log-level=error -c:a libopus hevc_opus.mkv
$F -f lavfi -i "$V" -f lavfi -i "$A" -t 5 -c:v libvpx-vp9 -deadline realtime -c:a libopus vp9.webm
$F -f lavfi -i "$V" -f lavfi -i "$A" -t 5 -c:v libvpx -deadline realtime -c:a libvorbis vp8.webm
$F -f lavfi -i "$V" -f lavfi -i "$A" -t 5 -c:v libtheora -c:a libvorbis theora.ogv
$F -f lavfi -i "$V" -f lavfi -i "$A" -t 5 -c:v mpeg4 -c:a libmp3lame mpeg4.avi
$F -f lavfi -i "$V" -f lavfi -i "$A" -t 5 -c:v mpeg2video -c:a mp2 mpeg2.ts
$F -f lavfi -i "$V" -f lavfi -i "$A" -t 5 -c:v mjpeg -c:a pcm_s16le mjpeg.mov
$F -f lavfi -i "$V" -f lavfi -i "$A" -t 3 -c:v libaom-av1 -cpu-used 8 -c:a aac av1.mp4 || echo no-av1
# FFmpeg 5.1 writes a display matrix only when remuxing with a rotate tag.
$F -f lavfi -i "testsrc2=size=640x360:rate=25" -t 4 -c:v libx264 upright.mp4
$F -i upright.mp4 -c copy -metadata:s:v:0 rotate=90 rot90.mp4 && rm upright.mp4
$F -f lavfi -i "testsrc2=size=360x640:rate=30" -f lavfi -i "$A" -t 4 -c:v libx264 -c:a aac portrait.mp4
$F -f lavfi -i "testsrc2=size=853x479:rate=25" -t 3 -c:v libx264 -pix_fmt yuv444p odd444.mkv
$F -f lavfi -i "testsrc2=size=10x8:rate=25" -t 3 -c:v libx264 tiny.mp4
$F -f lavfi -i "testsrc2=size=3840x2160:rate=24" -t 2 -c:v libx264 -preset ultrafast 4k.mp4
$F -f lavfi -i "testsrc2=size=640x360:rate=60" -f lavfi -i "$A" -t 4 -c:v libx264 -c:a aac fps60.mp4
$F -f lavfi -i "testsrc2=size=640x360:rate=120" -t 3 -c:v libx264 fps120.mp4
$F -f lavfi -i "testsrc2=size=1280x720:rate=30000/1001" -f lavfi -i "$A" -t 4 -c:v libx264 -c:a aac ntsc.mp4
$F -f lavfi -i "testsrc2=size=720x576:rate=25,setfield=tff,tinterlace=interleave_top" -f lavfi -i "$A" -t 4 -c:v libx264 -flags +ilme+ildct -x264opts tff=1 -c:a aac interlaced.ts
$F -f lavfi -i "testsrc2=size=1280x720:rate=25" -t 3 -c:v libx265 -x265-params log-level=error:hdr10=1:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc -pix_fmt yuv420p10le hdr10.mp4
$F -f lavfi -i "testsrc2=size=1280x720:rate=25" -t 3 -c:v libx264 -pix_fmt yuv420p10le tenbit.mp4
$F -f lavfi -i "$V" -f lavfi -i "sine=frequency=300:sample_rate=48000" -t 4 -c:v libx264 -c:a aac -ac 6 surround.mp4
$F -f lavfi -i "$V" -f lavfi -i "sine=f=300" -f lavfi -i "sine=f=600" -t 4 -map 0 -map 1 -map 2 -c:v libx264 -c:a aac -disposition:a:0 0 -disposition:a:1 default twoaudio.mkv
$F -f lavfi -i "$V" -f lavfi -i "sine=f=300" -t 4 -c:v libx264 -c:a aac -ac 1 mono.mp4
$F -f lavfi -i "$V" -f lavfi -i "sine=f=300:sample_rate=96000" -t 4 -c:v libx264 -c:a flac flac96.mkv
$F -f lavfi -i "$V" -t 4 -c:v libx264 noaudio.mp4
$F -f lavfi -i "sine=f=440" -t 5 -c:a libmp3lame audio.mp3
$F -f lavfi -i "sine=f=440" -t 5 -c:a libvorbis audio.ogg
$F -f lavfi -i "testsrc2=size=500x500:rate=1" -frames:v 1 cover.jpg
$F -i audio.mp3 -i cover.jpg -map 0 -map 1 -c copy -disposition:v attached_pic cover.mp3
$F -f lavfi -i "$V" -f lavfi -i "$A" -t 4 -c:v libx264 -c:a aac -movflags -faststart moovend.mov
$F -ss 1 -i basic.mp4 -c copy editlist.mp4
$F -f lavfi -i "testsrc2=size=640x360:rate=25" -t 4 -vf "setpts='if(lt(N,50),N*0.04/TB,(N*0.06)/TB)'" -vsync vfr -c:v libx264 vfr.mkv
# broken
: > empty.mp4
head -c 200000 /dev/urandom > random.mp4
echo "hello, this is not a video" > text.txt; cp text.txt text.mp4
cp cover.jpg image.mp4
$F -f lavfi -i "$V" -f lavfi -i "$A" -t 10 -c:v libx264 -c:a aac -movflags +faststart fs.mp4
head -c 300000 fs.mp4 > truncated.mp4 && rm fs.mp4
head -c 5000 basic.mp4 > truncated_head.mp4
