import ArgumentParser
import Foundation

/// `--base-url` and `--tracker`: where the package will be served, for torrents and magnets.
struct SeedingOptions: ParsableArguments {
    @Option(help: "The instance's public URL (e.g. https://tube.example.org): torrent web seeds, trackers, magnets.")
    var baseURL: String?

    @Option(help: "A tracker to announce to instead of the instance's own (repeatable).")
    var tracker: [String] = []

    mutating func validate() throws {
        if let baseURL {
            guard let url = URL(string: baseURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--base-url must be an http(s) URL such as https://tube.example.org")
            }
        }
    }
}
