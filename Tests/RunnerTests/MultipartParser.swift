import Foundation

/// Reads a `multipart/form-data` body as Multer does: text fields and file parts with a filename.
struct MultipartParser {
    struct Part {
        var name: String
        var fileName: String?
        var data: Data
    }

    static func parse(_ body: Data, contentType: String) -> [Part]? {
        guard let range = contentType.range(of: "boundary=") else { return nil }
        let boundary = Data(("--" + contentType[range.upperBound...].trimmingCharacters(in: .whitespaces)).utf8)
        var parts: [Part] = []
        var cursor = body.startIndex
        guard let first = body.range(of: boundary, in: cursor..<body.endIndex) else { return nil }
        cursor = first.upperBound
        while let next = body.range(of: boundary, in: cursor..<body.endIndex) {
            let chunk = body[cursor..<next.lowerBound]
            if let split = chunk.range(of: Data("\r\n\r\n".utf8)) {
                let headers = String(decoding: chunk[chunk.startIndex..<split.lowerBound], as: UTF8.self)
                var content = chunk[split.upperBound...]
                if content.suffix(2) == Data("\r\n".utf8) { content = content.dropLast(2) }
                if let name = attribute("name", in: headers) {
                    parts.append(Part(name: name, fileName: attribute("filename", in: headers), data: Data(content)))
                }
            }
            cursor = next.upperBound
        }
        return parts
    }

    private static func attribute(_ key: String, in headers: String) -> String? {
        guard let range = headers.range(of: "\(key)=\"") else { return nil }
        let rest = headers[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}
