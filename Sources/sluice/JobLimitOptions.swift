import ArgumentParser

/// The per-job limits `watch` and `import` share; each flag overrides its `sluice.yaml` key and
/// `SLUICE_*` variable.
struct JobLimitOptions: ParsableArguments {
    @Option(help: "Memory one job may use, e.g. 3G or 512M; over it the job fails (default: 3/4 of RAM shared by the workers; 0 for none).")
    var jobMemoryLimit: String?

    @Option(help: "Scheduling priority of the jobs, 0 to 19 as nice(1) (default 19, as PeerTube's runner).")
    var niceness: Int?

    @Option(help: "Refuse inputs longer than this many seconds (default 86400; 0 for no limit).")
    var maxDuration: Double?

    @Option(help: "Refuse inputs with more pixels per frame (default 33177600, 8K UHD; 0 for no limit).")
    var maxPixels: Int?

    @Option(help: "Free space kept on the output and state disks beyond each job's estimate, e.g. 2G (default 512M).")
    var minFreeSpace: String?

    /// The flags given, by configuration key.
    var values: [String: String] {
        var values: [String: String] = [:]
        if let jobMemoryLimit { values["jobMemoryLimit"] = jobMemoryLimit }
        if let niceness { values["niceness"] = String(niceness) }
        if let maxDuration { values["maxDuration"] = String(maxDuration) }
        if let maxPixels { values["maxPixels"] = String(maxPixels) }
        if let minFreeSpace { values["minFreeSpace"] = minFreeSpace }
        return values
    }
}
