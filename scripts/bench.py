#!/usr/bin/env python3
"""Sluice against the two anchors users compare it with, on the same machine and sources, in one run.

Sources (made at bench time from Fixtures/sample.mp4, upscaled to 1080p25, stereo AAC):
  phone  a phone-like upload: H.264 High at ~15 Mb/s, a keyframe every second, AAC 192 kb/s.
         Over PeerTube's copy limit (8.8 Mb/s at 1080p25): every rung is encoded.
  web    a web-ready upload: H.264 at ~6 Mb/s, a keyframe every 5.28 s, AAC 128 kb/s.
         Within PeerTube's copy gate: PeerTube and Sluice copy the 1080p video.

Contenders:
  Sluice      `sluice transcode --tier large` (one process, one decode; copy gate; it also writes
              the thumbnail, preview, storyboard and torrents, which the others do not).
  ffmpeg CLI  one process: split filter, bicubic scale and libx264 per rung with PeerTube's x264
              options (veryfast, bf 16, b_strategy 1, maxrate/bufsize from the same table, -g 2*fps,
              keyframes forced every 2 s), HLS fMP4 per rung, every rung encoded; with PeerTube's
              audio rule (compliant AAC copied, else AAC once per output).
  PeerTube    its own chain, as `transcoding.concurrency: 1` with `threads` = the machine's cores:
              the optimize step (`-c copy` quick transcode when canDoQuickTranscode passes, else a
              1080p encode), then one ffmpeg per HLS resolution from that file, the top one
              stream-copied (`copyCodecs`), compliant AAC copied.

Reported per source: medians over --runs of wall, CPU and peak RSS (the chain's peak is its
largest process), the ratios, per-rung sizes and PSNR (against the source scaled with the same
bicubic scaler), whether Sluice's top rung is the source's own video, and whether each package's
segment boundaries are identical across renditions.

Usage: scripts/bench.py [--only phone|web] [--runs N] [--seconds N] [--sluice PATH] [--out DIR] [--tier T]
"""
import argparse, json, math, os, re, shutil, statistics, subprocess, sys, time

MAX_BPP = [(144, .32), (240, .29), (360, .26), (480, .22), (720, .19), (1080, .17), (1440, .16), (2160, .14)]
SOURCES = {
    "phone": {"label": "phone-like 1080p25, ~15 Mb/s, 1 s GOP, AAC 192k",
              "video": ["-b:v", "15M", "-maxrate", "17M", "-bufsize", "30M", "-g", "25"], "audio": ["-b:a", "192k"]},
    "web": {"label": "web-ready 1080p25, ~6 Mb/s, 5.28 s GOP, AAC 128k",
            "video": ["-b:v", "6M", "-maxrate", "7M", "-bufsize", "12M", "-g", "132", "-keyint_min", "132", "-sc_threshold", "0"],
            "audio": ["-b:a", "128k"]},
}
HLS = ["-hls_time", "4", "-hls_list_size", "0", "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4", "-hls_flags", "single_file"]


class Measured:
    """Runs commands one after another; CPU and peak RSS come from each child's rusage."""

    def __init__(self):
        self.wall = self.cpu = self.rss = 0.0

    def run(self, cmd):
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out = proc.stdout.read()
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        self.wall += time.monotonic() - start
        self.cpu += usage.ru_utime + usage.ru_stime
        self.rss = max(self.rss, usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"command failed: {' '.join(cmd)}\n{err.decode()[-2000:]}")
        return out.decode()

    def result(self):
        return {"wall": self.wall, "cpu": self.cpu, "max_rss_mb": self.rss}


def probe(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-of", "json", "-show_streams", "-show_format", path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def make_source(path, seconds, spec):
    sample = os.path.join(os.path.dirname(__file__), "..", "Fixtures", "sample.mp4")
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-stream_loop", "-1", "-i", sample, "-t", str(seconds),
                    "-vf", "scale=1920:1080:flags=lanczos", "-r", "25", "-c:v", "libx264", "-preset", "medium",
                    "-pix_fmt", "yuv420p", *spec["video"], "-c:a", "aac", "-ac", "2", *spec["audio"],
                    "-movflags", "+faststart", path], check=True)


def fps_of(stream):
    for key in ("avg_frame_rate", "r_frame_rate"):
        num, _, den = stream.get(key, "0/0").partition("/")
        if den and float(den) != 0 and float(num) != 0:
            return round(float(num) / float(den))
    return 0


def bpp_bitrate(table, res, ratio, fps, fallback):
    """PeerTube's bits-per-pixel rule: the table's entry for the largest resolution <= res."""
    bpp = 0
    for r, b in table:
        if res >= r:
            bpp = b
    other = res / ratio if ratio < 1 else res * ratio
    return math.floor(res * other * fps * bpp) or fallback


def max_bitrate(res, ratio, fps):
    return bpp_bitrate(MAX_BPP, res, ratio, fps, 256000)


def audio_copyable(info):
    """PeerTube's canDoQuickAudioTranscode / canCopyAudio."""
    audio = next((s for s in info["streams"] if s["codec_type"] == "audio"), None)
    if audio is None:
        return True
    layout = audio.get("channel_layout")
    return (audio["codec_name"] == "aac" and int(audio.get("bit_rate") or 0) and int(audio["bit_rate"]) <= 384000
            and layout not in (None, "unknown", "quad"))


def quick_transcode_allowed(info, max_fps=60):
    """PeerTube's canDoQuickTranscode: h264 yuv420p, 2 <= fps <= max, container bitrate <= the
    theoretical maximum, audio copyable."""
    video = next(s for s in info["streams"] if s["codec_type"] == "video")
    fps = fps_of(video)
    width, height = video["width"], video["height"]
    bitrate = int(info["format"].get("bit_rate") or 0)
    return (video["codec_name"] == "h264" and video.get("pix_fmt") == "yuv420p" and 2 <= fps <= max_fps and bitrate
            and bitrate <= max_bitrate(min(width, height), width / height, fps) and audio_copyable(info))


def x264_args(r, threads=None):
    fps = r["fps"]
    return (["-threads", str(threads)] if threads else []) + [
        "-c:v", "libx264", "-preset", "veryfast", "-maxrate:v", str(r["maxBitrate"]), "-bufsize:v", str(2 * r["maxBitrate"]),
        "-b_strategy", "1", "-bf", "16", "-r", str(fps), "-g:v", str(fps * 2), "-pix_fmt", "yuv420p", "-map_metadata", "-1"]


def audio_args(copy, bitrate):
    return ["-c:a", "copy"] if copy else ["-c:a", "aac", "-b:a", str(bitrate), "-ac", "2"]


def cli_command(source, out_dir, encoded, copy_audio, audio_bitrate):
    """The CLI split ladder: every rung encoded from one decode."""
    split = f"[0:v]split={len(encoded)}" + "".join(f"[s{i}]" for i in range(len(encoded)))
    scales = ";".join(f"[s{i}]scale={r['width']}:{r['height']}:flags=bicubic[v{i}]" for i, r in enumerate(encoded))
    cmd = ["ffmpeg", "-v", "error", "-y", "-i", source, "-filter_complex", f"{split};{scales}"]
    for i, r in enumerate(encoded):
        cmd += ["-map", f"[v{i}]", "-map", "0:a:0?", *audio_args(copy_audio, audio_bitrate), *x264_args(r),
                "-force_key_frames", "expr:gte(t,n_forced*2)", *HLS,
                "-hls_segment_filename", os.path.join(out_dir, f"{r['resolution']}-fragmented.mp4"),
                "-f", "hls", os.path.join(out_dir, f"{r['resolution']}.m3u8")]
    return cmd


def peertube_chain(source, out_dir, ladder, info, threads):
    """PeerTube's own commands, one process each, in order (ffmpeg-vod.ts, presets.ts)."""
    quick = quick_transcode_allowed(info)
    copy_audio = audio_copyable(info)
    top = ladder[0]
    optimized = os.path.join(out_dir, "optimized.mp4")
    commands = []
    if quick:
        commands.append(["ffmpeg", "-v", "error", "-y", "-i", source, "-c", "copy", "-map_metadata", "-1",
                         "-movflags", "faststart", optimized])
    else:
        commands.append(["ffmpeg", "-v", "error", "-y", "-threads", str(threads), "-i", source, "-f", "mp4",
                         "-movflags", "faststart", "-max_muxing_queue_size", "1024", "-vf", f"scale=w=-2:h={top['resolution']}",
                         *x264_args(top), *audio_args(copy_audio, 128000), optimized])
    for r in ladder:
        hls = [*HLS, "-hls_segment_filename", os.path.join(out_dir, f"{r['resolution']}-fragmented.mp4"),
               "-f", "hls", os.path.join(out_dir, f"{r['resolution']}.m3u8")]
        if r is top:  # copyCodecs: the optimized file is already this resolution and fps
            commands.append(["ffmpeg", "-v", "error", "-y", "-i", optimized, "-c", "copy", "-map_metadata", "-1", *hls])
        else:
            commands.append(["ffmpeg", "-v", "error", "-y", "-threads", str(threads), "-i", optimized,
                             "-vf", f"scale=w=-2:h={r['resolution']}", *x264_args(r), *audio_args(copy_audio, 128000), *hls])
    return commands, quick


def psnr(output, source, width, height):
    graph = f"[1:v]scale={width}:{height}:flags=bicubic[ref];[0:v][ref]psnr"
    res = subprocess.run(["ffmpeg", "-v", "info", "-nostats", "-i", output, "-i", source, "-filter_complex", graph,
                          "-f", "null", "-"], capture_output=True, text=True)
    m = re.search(r"average:([0-9.]+|inf)", res.stderr)
    return float(m.group(1)) if m else float("nan")


def video_hash(path):
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-map", "0:v", "-c", "copy", "-f", "streamhash", "-hash", "md5", "-"],
                         capture_output=True, text=True).stdout
    return out.strip()


def boundaries(playlists):
    """EXTINF lists per playlist, rounded to 10 ms; identical means the renditions switch cleanly."""
    lists = []
    for path in playlists:
        text = open(path).read()
        lists.append([round(float(x), 2) for x in re.findall(r"#EXTINF:([0-9.]+),", text)])
    aligned = all(len(l) == len(lists[0]) and all(abs(a - b) <= 0.05 for a, b in zip(l[:-1], lists[0][:-1])) for l in lists)
    return aligned, lists[0][:4]


def bench_source(name, spec, o):
    out = os.path.join(o.out, name)
    os.makedirs(out)
    source = os.path.join(out, f"source-{name}.mp4")
    make_source(source, o.seconds, spec)
    info = probe(source)
    plan = json.loads(subprocess.run([o.sluice, "plan", source, "--tier", o.tier, "--json"],
                                     capture_output=True, text=True, check=True).stdout)
    ladder = plan["renditions"]
    copy_audio = audio_copyable(info)
    audio_bitrate = (plan.get("audio") or {}).get("bitRate", 128000)
    threads = os.cpu_count()
    runs = {"sluice": [], "cli": [], "peertube": []}
    for run in range(o.runs):
        order = ["sluice", "cli", "peertube"]
        order = order[run % 3:] + order[:run % 3]
        for who in order:
            folder = os.path.join(out, who)
            shutil.rmtree(folder, ignore_errors=True)
            os.makedirs(folder)
            measured = Measured()
            if who == "sluice":
                result = json.loads(measured.run([o.sluice, "transcode", source, "--tier", o.tier, "-o", folder, "--json"]))
            elif who == "cli":
                measured.run(cli_command(source, folder, ladder, copy_audio, audio_bitrate))
            else:
                commands, quick = peertube_chain(source, folder, ladder, info, threads)
                for command in commands:
                    measured.run(command)
            runs[who].append(measured.result())
            print(f"  {name} run {run + 1} {who}: {measured.wall:.2f} s wall, {measured.cpu:.2f} s CPU, {measured.rss:.0f} MB", flush=True)
    median = {who: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for who, rs in runs.items()}

    rows = []
    for r in ladder:
        res = r["resolution"]
        ours = next(x for x in result["renditions"] if x["resolution"] == res)
        files = {"sluice": os.path.join(result["directory"], ours["file"]),
                 "cli": os.path.join(out, "cli", f"{res}-fragmented.mp4"),
                 "peertube": os.path.join(out, "peertube", f"{res}-fragmented.mp4")}
        row = {"resolution": res, "size": f"{r['width']}x{r['height']}", "copy": r.get("copy", False)}
        for who, path in files.items():
            row[f"{who}_bytes"] = os.path.getsize(path)
        for who in ("sluice", "cli"):
            row[f"{who}_psnr"] = psnr(files[who], source, r["width"], r["height"])
        rows.append(row)
    sluice_playlists = [os.path.join(result["directory"], x["playlist"]) for x in result["renditions"] if x["resolution"] > 0]
    peertube_playlists = [os.path.join(out, "peertube", f"{r['resolution']}.m3u8") for r in ladder]
    top = next(x for x in result["renditions"] if x["resolution"] == ladder[0]["resolution"])
    report = {"name": name, "label": spec["label"], "source": source, "duration": float(info["format"]["duration"]),
              "bitrate": int(info["format"]["bit_rate"]), "runs": runs, "median": median,
              "peertube_quick_transcode": quick, "sluice_copies_top": ladder[0].get("copy", False),
              "top_bit_identical": video_hash(os.path.join(result["directory"], top["file"])) == video_hash(source),
              "sluice_aligned": boundaries(sluice_playlists), "peertube_aligned": boundaries(peertube_playlists),
              "renditions": rows}
    return report


def print_report(rep, runs):
    m = rep["median"]
    s, c, p = m["sluice"], m["cli"], m["peertube"]
    print(f"\n## {rep['label']} ({rep['duration']:.1f} s, {rep['bitrate'] / 1e6:.1f} Mb/s), medians of {runs}")
    print(f"PeerTube quick transcode: {'yes' if rep['peertube_quick_transcode'] else 'no'}; "
          f"Sluice copies the top rung: {'yes' if rep['sluice_copies_top'] else 'no'}"
          + (f" (video bit-identical to the source: {'yes' if rep['top_bit_identical'] else 'NO'})" if rep['sluice_copies_top'] else ""))
    print(f"Segment boundaries identical across renditions: Sluice {'yes' if rep['sluice_aligned'][0] else 'NO'} "
          f"{rep['sluice_aligned'][1]}, PeerTube {'yes' if rep['peertube_aligned'][0] else 'no'}\n")
    print(f"{'':14}{'PeerTube':>10}{'CLI':>10}{'Sluice':>10}{'S/PeerTube':>12}{'S/CLI':>8}")
    for key, label in (("wall", "wall (s)"), ("cpu", "CPU (s)"), ("max_rss_mb", "peak RSS (MB)")):
        print(f"{label:14}{p[key]:10.2f}{c[key]:10.2f}{s[key]:10.2f}{s[key] / p[key]:12.3f}{s[key] / c[key]:8.3f}")
    print(f"\n{'rung':>6} {'how':>6} {'PeerTube B':>11} {'CLI B':>10} {'Sluice B':>10} {'S/CLI':>6} {'CLI dB':>7} {'Sluice dB':>9} {'dPSNR':>6}")
    for row in rep["renditions"]:
        print(f"{row['resolution']:>5}p {'copy' if row['copy'] else 'encode':>6} {row['peertube_bytes']:>11} {row['cli_bytes']:>10} "
              f"{row['sluice_bytes']:>10} {row['sluice_bytes'] / row['cli_bytes']:>6.3f} {row['cli_psnr']:>7.2f} "
              f"{row['sluice_psnr']:>9.2f} {row['sluice_psnr'] - row['cli_psnr']:>+6.2f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=sorted(SOURCES))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--sluice", default=".build/release/sluice")
    ap.add_argument("--out", default="bench-out")
    ap.add_argument("--tier", default="large")
    o = ap.parse_args()
    shutil.rmtree(o.out, ignore_errors=True)
    os.makedirs(o.out)
    reports = []
    for name in ([o.only] if o.only else ["phone", "web"]):
        print(f"{SOURCES[name]['label']}: {o.runs} runs", flush=True)
        reports.append(bench_source(name, SOURCES[name], o))
    with open(os.path.join(o.out, "bench.json"), "w") as f:
        json.dump(reports, f, indent=2)
    print(f"\n{os.cpu_count()} cores, tier {o.tier}")
    for rep in reports:
        print_report(rep, o.runs)


if __name__ == "__main__":
    main()
