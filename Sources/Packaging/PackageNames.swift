import Foundation

/// PeerTube's file names in a video folder (`server/core/lib/paths.ts`). Each file gets its own
/// random v4 uuid, as PeerTube does; only the folder is named by the video uuid.
public struct PackageNames: Sendable, Equatable {
    public var master: String
    public var segmentHashes: String

    public init(masterUUID: UUID = UUID(), hashesUUID: UUID = UUID()) {
        master = "\(Self.lower(masterUUID))-master.m3u8"
        segmentHashes = "\(Self.lower(hashesUUID))-segments-sha256.json"
    }

    /// `<uuid>-<res>-fragmented.mp4` and `<uuid>-<res>.m3u8` for one rendition (0 = audio only).
    public static func rendition(resolution: Int, uuid: UUID = UUID()) -> (media: String, playlist: String) {
        let stem = "\(lower(uuid))-\(resolution)"
        return ("\(stem)-fragmented.mp4", "\(stem).m3u8")
    }

    static func lower(_ uuid: UUID) -> String { uuid.uuidString.lowercased() }
}
