import Testing
@testable import Packaging

@Suite struct PlaylistTests {
    // The shape of PeerTube's fixture video_short_720p.m3u8, written by ffmpeg's HLS muxer.
    @Test func mediaPlaylistMatchesFFmpegsSingleFileLayout() {
        let playlist = MediaPlaylist(fileName: "c1014aa4-d1f4-4b66-927b-c23d283fcae0-720-fragmented.mp4", initLength: 1356,
                                     segments: [Segment(duration: 4, offset: 1356, length: 39260),
                                                Segment(duration: 1, offset: 40616, length: 18493)])
        #expect(playlist.render() == """
        #EXTM3U
        #EXT-X-VERSION:7
        #EXT-X-TARGETDURATION:4
        #EXT-X-MEDIA-SEQUENCE:0
        #EXT-X-PLAYLIST-TYPE:VOD
        #EXT-X-MAP:URI="c1014aa4-d1f4-4b66-927b-c23d283fcae0-720-fragmented.mp4",BYTERANGE="1356@0"
        #EXTINF:4.000000,
        #EXT-X-BYTERANGE:39260@1356
        c1014aa4-d1f4-4b66-927b-c23d283fcae0-720-fragmented.mp4
        #EXTINF:1.000000,
        #EXT-X-BYTERANGE:18493@40616
        c1014aa4-d1f4-4b66-927b-c23d283fcae0-720-fragmented.mp4
        #EXT-X-ENDLIST

        """)
    }

    @Test func targetDurationCoversTheLongestSegment() {
        let segments = [Segment(duration: 4.0, offset: 0, length: 1), Segment(duration: 4.2, offset: 1, length: 1)]
        #expect(MediaPlaylist(fileName: "a", initLength: 1, segments: segments).targetDuration == 5)
        #expect(MediaPlaylist(fileName: "a", initLength: 1, segments: [segments[0]]).targetDuration == 4)
    }

    @Test func masterListsStreamsLowestFirstInPeerTubesAttributeOrder() {
        let master = MasterPlaylist(streams: [
            .init(bandwidth: 2_000_000, averageBandwidth: 1_500_000, width: 1280, height: 720, frameRate: 30,
                  codecs: ["avc1.64001f", "mp4a.40.2"], uri: "b-720.m3u8", resolution: 720),
            .init(bandwidth: 500_000, averageBandwidth: nil, width: 426, height: 240, frameRate: 30,
                  codecs: ["avc1.640015", "mp4a.40.2"], uri: "a-240.m3u8", resolution: 240),
        ], audioGroupURI: nil)
        #expect(master.render() == """
        #EXTM3U
        #EXT-X-VERSION:3


        #EXT-X-STREAM-INF:BANDWIDTH=500000,RESOLUTION=426x240,FRAME-RATE=30,CODECS="avc1.640015,mp4a.40.2"
        a-240.m3u8
        #EXT-X-STREAM-INF:BANDWIDTH=2000000,RESOLUTION=1280x720,FRAME-RATE=30,CODECS="avc1.64001f,mp4a.40.2",AVERAGE-BANDWIDTH=1500000
        b-720.m3u8

        """)
    }

    @Test func splitAudioAddsTheMediaGroupAndTagsEveryStream() {
        let master = MasterPlaylist(streams: [
            .init(bandwidth: 900_000, averageBandwidth: nil, width: 640, height: 360, frameRate: 25,
                  codecs: ["avc1.64001e", "mp4a.40.2"], uri: "v-360.m3u8", resolution: 360),
        ], audioGroupURI: "x-0.m3u8")
        let lines = master.render().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[3] == #"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Audio",AUTOSELECT=YES,DEFAULT=YES,URI="x-0.m3u8""#)
        #expect(lines[5] == #"#EXT-X-STREAM-INF:BANDWIDTH=900000,RESOLUTION=640x360,FRAME-RATE=25,CODECS="avc1.64001e,mp4a.40.2",AUDIO="audio""#)
    }

    @Test func videoOnlyStreamsListOnlyTheVideoCodec() {
        let master = MasterPlaylist(streams: [
            .init(bandwidth: 1, averageBandwidth: nil, width: 2, height: 2, frameRate: 1, codecs: ["avc1.64000a"], uri: "u", resolution: 2),
        ], audioGroupURI: nil)
        #expect(master.render().contains(#"CODECS="avc1.64000a""#))
    }
}
