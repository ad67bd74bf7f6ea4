import Foundation
import Testing
@testable import Runner

/// The upload body: exactly the bytes of a multipart form, in one file beside the files it carries.
@Suite struct MultipartBodyTests {
    @Test func theBodyIsTheFieldsThenEachFileBetweenBoundaries() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("multipart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("v.mp4")
        let content = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try content.write(to: file)
        let body = try MultipartBody(fields: ["runnerToken": "r", "jobToken": "j"],
                                     files: [UploadFile(field: "payload[videoFile]", path: file, fileName: "v.mp4", contentType: "video/mp4")])
        let b = body.boundary
        var expected = Data("--\(b)\r\nContent-Disposition: form-data; name=\"jobToken\"\r\n\r\nj\r\n".utf8)
        expected += Data("--\(b)\r\nContent-Disposition: form-data; name=\"runnerToken\"\r\n\r\nr\r\n".utf8)
        expected += Data("--\(b)\r\nContent-Disposition: form-data; name=\"payload[videoFile]\"; filename=\"v.mp4\"\r\nContent-Type: video/mp4\r\n\r\n".utf8)
        expected += content + Data("\r\n--\(b)--\r\n".utf8)
        #expect(try Data(contentsOf: body.file) == expected)
        #expect(body.file.deletingLastPathComponent().standardizedFileURL.path == folder.standardizedFileURL.path, "written beside the upload, not in /tmp")
        body.remove()
        #expect(!FileManager.default.fileExists(atPath: body.file.path))
    }
}
