import Foundation
import Testing
@testable import Runner
@testable import PeerTubeClient

/// The upload body: exactly the bytes of a multipart form, streamed from the files it carries,
/// its length known before the first byte (sent with a Content-Length, never chunked).
@Suite struct MultipartBodyTests {
    @Test func theBodyIsTheFieldsThenEachFileBetweenBoundaries() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("multipart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("v.mp4")
        let content = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try content.write(to: file)
        let body = MultipartBody(fields: ["runnerToken": "r", "jobToken": "j"],
                                     files: [UploadFile(field: "payload[videoFile]", path: file, fileName: "v.mp4", contentType: "video/mp4")])
        let b = body.boundary
        var expected = Data("--\(b)\r\nContent-Disposition: form-data; name=\"jobToken\"\r\n\r\nj\r\n".utf8)
        expected += Data("--\(b)\r\nContent-Disposition: form-data; name=\"runnerToken\"\r\n\r\nr\r\n".utf8)
        expected += Data("--\(b)\r\nContent-Disposition: form-data; name=\"payload[videoFile]\"; filename=\"v.mp4\"\r\nContent-Type: video/mp4\r\n\r\n".utf8)
        expected += content + Data("\r\n--\(b)--\r\n".utf8)
        #expect(try await body.collect() == expected)
        #expect(try body.length() == Int64(expected.count))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["v.mp4"], "no copy of the file written")
    }
}
