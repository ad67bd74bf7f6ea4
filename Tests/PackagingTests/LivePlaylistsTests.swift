import Foundation
import Testing
@testable import Packaging

/// A live's playlists as PeerTube's watcher, players and P2P layer read them.
@Suite struct LivePlaylistsTests {
    static let audio = LiveVariant(index: 0, resolution: 0, bandwidth: 128_000, codecs: "mp4a.40.2")
    static let low = LiveVariant(index: 1, resolution: 240, width: 426, height: 240, fps: 25, bandwidth: 300_000, codecs: "avc1.64000d")
    static let start = Date(timeIntervalSince1970: 1_796_400_000)

    static func chunk(_ variant: LiveVariant, _ sequence: Int, last: Bool = false, duration: Double = 4, count: Int = 2) -> LiveChunk {
        LiveChunk(variant: variant, sequence: sequence, duration: duration, programDate: start.addingTimeInterval(Double(sequence) * 4),
                  isLast: last, variantCount: count)
    }

    @Test func theWindowSlidesAndReturnsWhatLeftIt() {
        var playlists = LivePlaylists(windowSize: 2, segmentDuration: 4, variantCount: 0)
        #expect(playlists.add(Self.chunk(Self.low, 0)).isEmpty)
        #expect(playlists.add(Self.chunk(Self.low, 1)).isEmpty)
        #expect(playlists.add(Self.chunk(Self.low, 2)).map(\.name) == ["1-000000.ts"])
        let text = playlists.mediaPlaylist(variant: 1)
        #expect(text == """
            #EXTM3U
            #EXT-X-VERSION:6
            #EXT-X-TARGETDURATION:4
            #EXT-X-MEDIA-SEQUENCE:1
            #EXT-X-INDEPENDENT-SEGMENTS
            #EXT-X-PROGRAM-DATE-TIME:2026-12-04T16:00:04.000+0000
            #EXTINF:4.000000,
            1-000001.ts
            #EXT-X-PROGRAM-DATE-TIME:2026-12-04T16:00:08.000+0000
            #EXTINF:4.000000,
            1-000002.ts

            """)
        _ = playlists.add(Self.chunk(Self.low, 3, last: true, duration: 5.2))
        let ended = playlists.mediaPlaylist(variant: 1)
        #expect(ended.contains("#EXT-X-TARGETDURATION:6") && ended.hasSuffix("1-000003.ts\n#EXT-X-ENDLIST\n"))
    }

    @Test func theMasterWaitsForEveryPlaylistAndNamesTheAudioGroup() {
        var playlists = LivePlaylists(windowSize: 15, segmentDuration: 4, variantCount: 0)
        _ = playlists.add(Self.chunk(Self.low, 0))
        #expect(!playlists.allCreated)
        _ = playlists.add(Self.chunk(Self.audio, 0))
        #expect(playlists.allCreated)
        #expect(playlists.master() == """
            #EXTM3U
            #EXT-X-VERSION:6
            #EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_Audio",NAME="audio_0",DEFAULT=YES,URI="0.m3u8"
            #EXT-X-STREAM-INF:BANDWIDTH=428000,RESOLUTION=426x240,FRAME-RATE=25,CODECS="avc1.64000d,mp4a.40.2",AUDIO="group_Audio"
            1.m3u8

            """)
    }

    @Test func videoOnlyAndAudioOnlyMasters() {
        var video = LivePlaylists(windowSize: 15, segmentDuration: 2, variantCount: 0)
        let only = LiveVariant(index: 0, resolution: 240, width: 426, height: 240, fps: 30, bandwidth: 300_000, codecs: "avc1.64000d")
        _ = video.add(Self.chunk(only, 0, count: 1))
        #expect(video.master().contains(#"RESOLUTION=426x240,FRAME-RATE=30,CODECS="avc1.64000d""# + "\n0.m3u8"))
        #expect(!video.master().contains("AUDIO"))
        var sound = LivePlaylists(windowSize: 15, segmentDuration: 2, variantCount: 0)
        _ = sound.add(Self.chunk(Self.audio, 0, count: 1))
        #expect(sound.master().hasSuffix("#EXT-X-STREAM-INF:BANDWIDTH=128000,CODECS=\"mp4a.40.2\"\n0.m3u8\n"))
    }

    @Test func chunkNamesHaveOneVariantDigitAndSixDigits() {
        #expect(Self.low.chunkName(7) == "1-000007.ts")
        #expect(Self.low.chunkName(1_234_567) == "1-1234567.ts")
        #expect(Self.audio.playlistName == "0.m3u8")
    }
}
