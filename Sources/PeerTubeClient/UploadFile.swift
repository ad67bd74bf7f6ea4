import Foundation

/// One file part of a `/success`: PeerTube's field name (`payload[videoFile]`,
/// `payload[resolutionPlaylistFile]`), the file on disk, and the name and type it is sent with.
public struct UploadFile: Sendable, Equatable {
    public var field: String
    public var path: URL
    public var fileName: String
    public var contentType: String

    public init(field: String, path: URL, fileName: String? = nil, contentType: String) {
        self.field = field
        self.path = path
        self.fileName = fileName ?? path.lastPathComponent
        self.contentType = contentType
    }
}
