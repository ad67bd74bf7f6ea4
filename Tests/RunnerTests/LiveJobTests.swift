import Foundation
import LibAV
import Testing
import TestSupport
@testable import Runner

/// Live jobs against the test instance, from a real RTMP publisher on loopback: every chunk sent
/// as PeerTube's live watcher takes it (multipart, a chunk before any playlist naming it, the
/// master once every playlist exists, old chunks removed), the job completed when the stream
/// ends, an error with the reason when it freezes, and VOD work going on beside a live.
@Suite struct LiveJobTests {
    static func peertube() -> FakePeerTube { FakePeerTube(registrationTokens: [RunnerHarness.registrationToken]) }

    static func ended(_ uuid: String) -> @Sendable (FakePeerTube.State) -> Bool {
        { state in state.jobs.contains { $0.uuid == uuid && [.completed, .errored].contains($0.state) } }
    }

    @Test func aLiveIsRelayedChunkByChunkBesideAnUploadAndEndsCompleted() async throws {
        let server = Self.peertube()
        let source = try RTMPSource(seconds: 9)
        let upload = try RunnerMedia.upload()
        try await server.serve { url in
            var harness = try await RunnerHarness.register(1, at: url)
            harness.concurrency = 2
            let live = server.addLive(rtmpURL: source.url, renditions: [(240, 25), (360, 25), (0, 0)], segmentDuration: 2,
                                      segmentListSize: 3)
            let video = server.addUpload(upload, top: 360, fps: 25, lower: [(240, 25)])
            try await harness.run {
                await server.wait { state in
                    Self.ended(live.uuid)(state) && state.jobs.filter { $0.videoUUID == video }.allSatisfy { $0.state == .completed }
                }
            }
            let job = try #require(server.jobs.first { $0.uuid == live.uuid })
            #expect(job.state == .completed && job.failures == 0, "\(job.lastMessage ?? "")")
            let sent = try #require(server.snapshot.lives[live.uuid])
            #expect(sent.violations.isEmpty, "\(sent.violations)")
            let byVariant = Dictionary(grouping: sent.order, by: { $0.prefix(1) })
            #expect(byVariant.keys.sorted() == ["0", "1", "2"])
            for (variant, names) in byVariant {
                #expect(names.count >= 4, "variant \(variant): \(names)")
                #expect(names == names.sorted(), "variant \(variant) in order")
                // With three chunks per playlist, every older chunk was removed.
                #expect(names.dropLast(3).allSatisfy { sent.chunks[$0]?.removed == true })
                #expect(names.suffix(3).allSatisfy { sent.chunks[$0]?.removed == false })
            }
            let master = try #require(sent.master)
            #expect(master.contains(#"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="group_Audio",NAME="audio_0",DEFAULT=YES,URI="0.m3u8""#))
            #expect(master.range(of: #"RESOLUTION=426x240,FRAME-RATE=25,CODECS="avc1\.64[0-9a-f]{4},mp4a\.40\.2",AUDIO="group_Audio"\n1\.m3u8"#,
                                 options: .regularExpression) != nil, "\(master)")
            #expect(master.contains("RESOLUTION=640x360") && master.hasSuffix("2.m3u8\n"))
            #expect(sent.playlists["1.m3u8"]?.hasSuffix("#EXT-X-ENDLIST\n") == true, "the last playlist ends the stream")
            let lastChunk = try #require(sent.order.filter { $0.hasPrefix("2-") }.last)
            let streams = try Demuxer(path: try #require(sent.chunks[lastChunk]?.file).path).streams
            #expect(streams.map(\.kind) == [.video] && streams.first?.height == 360)
            let success = try #require(sent.successAt)
            #expect(sent.chunks.values.allSatisfy { $0.receivedAt <= success }, "success after the last chunk")
            #expect(job.updates >= sent.order.count)
        }
    }

    /// A publisher that freezes without closing: the live fails with the reason (PeerTube errors
    /// a live at its first `/error`), after the chunks made until then.
    @Test func aFrozenStreamFailsTheLiveWithItsReason() async throws {
        let server = Self.peertube()
        let source = try RTMPSource(seconds: 60)
        try await server.serve { url in
            var harness = try await RunnerHarness.register(1, at: url)
            harness.liveReadTimeout = 2
            let live = server.addLive(rtmpURL: source.url, renditions: [(240, 25), (0, 0)], segmentDuration: 2)
            try await harness.run {
                await server.wait { state in state.lives[live.uuid]?.order.count ?? 0 >= 2 }
                source.freeze()
                await server.wait(until: Self.ended(live.uuid))
            }
            let job = try #require(server.jobs.first { $0.uuid == live.uuid })
            #expect(job.state == .errored && job.accepts == 1)
            #expect(job.error == "the live stream sent nothing for 2 s")
            #expect(server.snapshot.lives[live.uuid]?.successAt == nil)
        }
        source.stop()
    }
}

extension LiveJobTests {
    /// The instance goes away for a while (503 to every runner route) and comes back: the chunks
    /// made meanwhile wait and go out in order, none lost, and the live ends completed.
    @Test func chunksWaitThroughAnOutageAndNoneIsLost() async throws {
        let server = Self.peertube()
        let source = try RTMPSource(seconds: 10)
        try await server.serve { url in
            let harness = try await RunnerHarness.register(1, at: url)
            let live = server.addLive(rtmpURL: source.url, renditions: [(240, 25), (0, 0)], segmentDuration: 2)
            try await harness.run {
                await server.wait { state in state.lives[live.uuid]?.order.count ?? 0 >= 2 }
                server.change { $0.unavailable = true }
                await server.wait { state in state.refusedWhileUnavailable >= 3 }
                server.change { $0.unavailable = false }
                await server.wait(until: Self.ended(live.uuid))
            }
            let job = try #require(server.jobs.first { $0.uuid == live.uuid })
            #expect(job.state == .completed, "\(job.lastMessage ?? "")")
            let sent = try #require(server.snapshot.lives[live.uuid])
            #expect(sent.violations.isEmpty, "\(sent.violations)")
            for variant in ["0", "1"] {
                let numbers = sent.order.filter { $0.hasPrefix(variant + "-") }.compactMap { Int($0.dropFirst(2).dropLast(3)) }
                #expect(numbers == Array(0..<numbers.count) && numbers.count >= 5, "variant \(variant): \(numbers)")
            }
        }
    }
}
