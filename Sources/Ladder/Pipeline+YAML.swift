import Foundation
import Yams

extension Pipeline {
    /// Parses and validates a pipeline document. Unknown keys are refused (a typo such as
    /// `maxfps` would otherwise be silently ignored), and every error names the key.
    public init(yaml text: String, defaultName: String, source: String) throws(PipelineError) {
        let node: Any?
        do {
            node = try Yams.load(yaml: text)
        } catch {
            throw PipelineError(source: source, key: nil, problem: "is not valid YAML (\(error))")
        }
        guard let root = node as? [String: Any] else {
            throw PipelineError(source: source, key: nil, problem: "must be a mapping of keys to values")
        }
        let reader = PipelineReader(source: source)
        try reader.refuseUnknown(root, allowed: ["name", "description", "rungs", "maxFps", "splitAudio",
                                                  "segmentSeconds", "keyframeSeconds", "video", "audio"], at: nil)
        let rungs: [Int] = try reader.require(root, "rungs")
        self.init(name: try reader.optional(root, "name") ?? defaultName, rungs: rungs)
        description = try reader.optional(root, "description")
        maxFps = try reader.optional(root, "maxFps") ?? maxFps
        splitAudio = try reader.optional(root, "splitAudio") ?? splitAudio
        segmentSeconds = try reader.optional(root, "segmentSeconds") ?? segmentSeconds
        keyframeSeconds = try reader.optional(root, "keyframeSeconds") ?? keyframeSeconds
        if let videoNode = root["video"] {
            guard let map = videoNode as? [String: Any] else {
                throw PipelineError(source: source, key: "video", problem: "must be a mapping")
            }
            try reader.refuseUnknown(map, allowed: ["encoder", "preset", "bFrames", "bStrategy", "threadsPerRendition", "tune", "parallelism",
                                                     "copyTopRung"], at: "video")
            video.encoder = try reader.optional(map, "encoder", at: "video") ?? video.encoder
            video.preset = try reader.optional(map, "preset", at: "video") ?? video.preset
            video.bFrames = try reader.optional(map, "bFrames", at: "video") ?? video.bFrames
            video.bStrategy = try reader.optional(map, "bStrategy", at: "video") ?? video.bStrategy
            video.threadsPerRendition = try reader.optional(map, "threadsPerRendition", at: "video") ?? video.threadsPerRendition
            video.tune = try reader.optional(map, "tune", at: "video")
            if let name: String = try reader.optional(map, "parallelism", at: "video") {
                guard let parallelism = VideoSettings.Parallelism(rawValue: name) else {
                    throw PipelineError(source: source, key: "video.parallelism",
                                        problem: "must be \(VideoSettings.Parallelism.allCases.map(\.rawValue).joined(separator: " or ")), not '\(name)'")
                }
                video.parallelism = parallelism
            }
            if let name: String = try reader.optional(map, "copyTopRung", at: "video") {
                guard let mode = VideoSettings.CopyMode(rawValue: name) else {
                    throw PipelineError(source: source, key: "video.copyTopRung",
                                        problem: "must be \(VideoSettings.CopyMode.allCases.map(\.rawValue).joined(separator: " or ")), not '\(name)'")
                }
                video.copyTopRung = mode
            }
        }
        if let audioNode = root["audio"] {
            guard let map = audioNode as? [String: Any] else {
                throw PipelineError(source: source, key: "audio", problem: "must be a mapping")
            }
            try reader.refuseUnknown(map, allowed: ["encoder"], at: "audio")
            audio.encoder = try reader.optional(map, "encoder", at: "audio") ?? audio.encoder
        }
        try validate(source: source)
    }

    /// Checks the values make a usable ladder.
    func validate(source: String) throws(PipelineError) {
        if rungs.isEmpty { throw PipelineError(source: source, key: "rungs", problem: "needs at least one resolution") }
        for (index, rung) in rungs.enumerated() where rung < 2 || rung > 8192 {
            throw PipelineError(source: source, key: "rungs[\(index)]", problem: "\(rung) is not a resolution between 2 and 8192")
        }
        if Set(rungs).count != rungs.count { throw PipelineError(source: source, key: "rungs", problem: "lists a resolution twice") }
        if !(1...240).contains(maxFps) { throw PipelineError(source: source, key: "maxFps", problem: "\(maxFps) is not between 1 and 240") }
        if keyframeSeconds < 1 { throw PipelineError(source: source, key: "keyframeSeconds", problem: "must be at least 1") }
        if segmentSeconds < keyframeSeconds || segmentSeconds % keyframeSeconds != 0 {
            throw PipelineError(source: source, key: "segmentSeconds",
                                problem: "must be a multiple of keyframeSeconds (\(keyframeSeconds)) so every segment starts on a keyframe")
        }
        if !(0...16).contains(video.bFrames) { throw PipelineError(source: source, key: "video.bFrames", problem: "must be 0 to 16") }
        if video.threadsPerRendition < 0 { throw PipelineError(source: source, key: "video.threadsPerRendition", problem: "must be 0 or more") }
    }
}

/// Typed access to a YAML mapping that reports the failing key.
private struct PipelineReader {
    let source: String

    func refuseUnknown(_ map: [String: Any], allowed: Set<String>, at parent: String?) throws(PipelineError) {
        if let unknown = map.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw PipelineError(source: source, key: path(unknown, parent),
                                problem: "is not a known key (known: \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    func require<T>(_ map: [String: Any], _ key: String, at parent: String? = nil) throws(PipelineError) -> T {
        guard let value: T = try optional(map, key, at: parent) else {
            throw PipelineError(source: source, key: path(key, parent), problem: "is required")
        }
        return value
    }

    func optional<T>(_ map: [String: Any], _ key: String, at parent: String? = nil) throws(PipelineError) -> T? {
        guard let raw = map[key], !(raw is NSNull) else { return nil }
        if let value = raw as? T { return value }
        if T.self == [Int].self, let list = raw as? [Any] {
            for (index, item) in list.enumerated() where !(item is Int) {
                throw PipelineError(source: source, key: "\(path(key, parent))[\(index)]", problem: "'\(item)' is not a whole number")
            }
        }
        if T.self == String.self, let number = raw as? Int, let text = String(number) as? T { return text }
        throw PipelineError(source: source, key: path(key, parent), problem: "'\(raw)' is not \(describe(T.self))")
    }

    private func path(_ key: String, _ parent: String?) -> String {
        parent.map { "\($0).\(key)" } ?? key
    }

    private func describe(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type: "a whole number"
        case is Bool.Type: "true or false"
        case is String.Type: "text"
        case is [Int].Type: "a list of whole numbers"
        default: "of the expected type"
        }
    }
}
