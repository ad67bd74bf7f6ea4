import Foundation

/// Finds tier pipelines: a `pipelines/` folder the user can edit (no recompiling), falling back
/// to the copies built into the binary.
///
/// Search order for `--tier NAME`: `$SLUICE_PIPELINES`, then `./pipelines`, then `pipelines/`
/// beside the executable, then the built-in defaults (small, mid, large).
public struct PipelineCatalog: Sendable {
    public var directories: [URL]

    public init(directories: [URL]) {
        self.directories = directories
    }

    /// The standard search path described above.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> PipelineCatalog {
        var directories: [URL] = []
        if let custom = environment["SLUICE_PIPELINES"], !custom.isEmpty {
            directories.append(URL(fileURLWithPath: custom, isDirectory: true))
        }
        directories.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("pipelines"))
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        directories.append(executable.deletingLastPathComponent().appendingPathComponent("pipelines"))
        return PipelineCatalog(directories: directories)
    }

    /// The pipeline for a tier name.
    public func pipeline(named name: String) throws(PipelineError) -> Pipeline {
        guard name.range(of: "^[A-Za-z0-9_-]+$", options: .regularExpression) != nil else {
            throw PipelineError(source: name, key: nil, problem: "is not a tier name (letters, digits, - and _)")
        }
        for directory in directories {
            let file = directory.appendingPathComponent("\(name).yaml")
            if FileManager.default.fileExists(atPath: file.path) {
                return try Self.load(file: file)
            }
        }
        if let builtIn = Self.builtIn(name) { return builtIn }
        throw PipelineError(source: name, key: nil,
                            problem: "is not a known tier (built in: small, mid, large; or add pipelines/\(name).yaml)")
    }

    /// Reads one pipeline file (`--pipeline FILE`).
    public static func load(file: URL) throws(PipelineError) -> Pipeline {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw PipelineError(source: file.path, key: nil, problem: "cannot be read (\(error.localizedDescription))")
        }
        return try Pipeline(yaml: text, defaultName: file.deletingPathExtension().lastPathComponent, source: file.path)
    }

    /// The shipped tiers, compiled in so the binary works without the repository beside it.
    public static func builtIn(_ name: String) -> Pipeline? {
        switch name {
        case "small": Pipeline(name: "small", description: "1-2 vCPU, little storage: two light renditions", rungs: [480, 240], maxFps: 30)
        case "mid": Pipeline(name: "mid", description: "the common community instance", rungs: [720, 480, 360, 240], maxFps: 60)
        case "large": Pipeline(name: "large", description: "big instance, many viewers on weak links",
                               rungs: [1080, 720, 480, 360, 240, 144], maxFps: 60)
        default: nil
        }
    }
}
