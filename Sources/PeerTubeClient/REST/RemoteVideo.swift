import Foundation

/// A video on the instance, as `GET /api/v1/videos/{id}` and the upload's answer describe it.
public struct RemoteVideo: Sendable, Codable, Equatable {
    public var id: Int
    public var uuid: String
    public var shortUUID: String?
    public var name: String?
    /// `state.id`: 1 published, 2 to transcode, 6 to move to external storage, 7 transcoding
    /// failed, … (peertube-upload-api.md §5).
    public var state: Int?
    public var stateLabel: String?

    public init(id: Int, uuid: String, shortUUID: String?, name: String? = nil, state: Int? = nil, stateLabel: String? = nil) {
        self.id = id
        self.uuid = uuid
        self.shortUUID = shortUUID
        self.name = name
        self.state = state
        self.stateLabel = stateLabel
    }

    init?(json: [String: Any]?) {
        guard let json, let id = (json["id"] as? NSNumber)?.intValue, let uuid = json["uuid"] as? String else { return nil }
        let state = json["state"] as? [String: Any]
        self.init(id: id, uuid: uuid, shortUUID: json["shortUUID"] as? String, name: json["name"] as? String,
                  state: (state?["id"] as? NSNumber)?.intValue, stateLabel: state?["label"] as? String)
    }

    public var isPublished: Bool { state == 1 }

    /// Transcoding failed, a storage move failed, an import failed: the instance gave up.
    public var hasFailed: Bool { [7, 8, 11, 12].contains(state ?? 0) }

    /// The watch page (`/w/<shortUUID>`, or `/w/<uuid>` on an instance without short ids).
    public func watchURL(instance: String) -> String {
        "\(InstanceURL.normalized(instance))/w/\(shortUUID ?? uuid)"
    }
}
