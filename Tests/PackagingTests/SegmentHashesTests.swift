import Crypto
import Foundation
import Testing
@testable import Packaging

@Suite struct SegmentHashesTests {
    @Test func hashesEachRangeWithAnInclusiveEndAndSkipsTheInitSegment() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hashes-\(UUID()).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        let bytes = Data((0..<3000).map { UInt8($0 % 251) })
        try bytes.write(to: url)
        let segments = [Segment(duration: 4, offset: 100, length: 1900), Segment(duration: 1, offset: 2000, length: 1000)]
        let ranges = try SegmentHashes.hash(file: url, segments: segments)
        #expect(ranges.map(\.key) == ["100-1999", "2000-2999"])
        let expected = SHA256.hash(data: bytes[100..<2000]).map { String(format: "%02x", $0) }.joined()
        #expect(ranges[0].sha256 == expected)
    }

    @Test func jsonIsCompactWithOneEntryPerFileInOrder() {
        let hashes = SegmentHashes(files: [
            ("a-240-fragmented.mp4", [("10-19", "aa"), ("20-29", "bb")]),
            ("b-720-fragmented.mp4", [("5-9", "cc")]),
        ])
        #expect(hashes.render() == #"{"a-240-fragmented.mp4":{"10-19":"aa","20-29":"bb"},"b-720-fragmented.mp4":{"5-9":"cc"}}"#)
    }

    @Test func aRangePastTheEndOfTheFileIsAnError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("short-\(UUID()).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(count: 10).write(to: url)
        #expect(throws: (any Error).self) { try SegmentHashes.hash(file: url, segments: [Segment(duration: 1, offset: 5, length: 50)]) }
    }

    @Test func codecStringComesFromTheRealSPS() {
        // Annex B: start code, SPS NAL (0x67), profile 100 (High), constraints 0, level 31.
        #expect(CodecString.avc1(extradata: [0, 0, 0, 1, 0x67, 0x64, 0x00, 0x1F, 0xAC]) == "avc1.64001f")
        // avcC: version 1, then profile, compatibility, level.
        #expect(CodecString.avc1(extradata: [1, 0x4D, 0x40, 0x1E, 0xFF]) == "avc1.4d401e")
        #expect(CodecString.avc1(extradata: [1, 2]) == nil)
        #expect(CodecString.avc1(extradata: []) == nil)
    }

    @Test func fileNamesFollowPeerTube() {
        let uuid = UUID(uuidString: "C1014AA4-D1F4-4B66-927B-C23D283FCAE0")!
        let names = PackageNames.rendition(resolution: 720, uuid: uuid)
        #expect(names.media == "c1014aa4-d1f4-4b66-927b-c23d283fcae0-720-fragmented.mp4")
        #expect(names.playlist == "c1014aa4-d1f4-4b66-927b-c23d283fcae0-720.m3u8")
        let package = PackageNames(masterUUID: uuid, hashesUUID: uuid)
        #expect(package.master == "c1014aa4-d1f4-4b66-927b-c23d283fcae0-master.m3u8")
        #expect(package.segmentHashes == "c1014aa4-d1f4-4b66-927b-c23d283fcae0-segments-sha256.json")
    }
}
