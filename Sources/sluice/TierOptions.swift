import ArgumentParser
import Foundation
import Ladder

/// `--tier` / `--pipeline`, shared by the commands that plan a ladder.
struct TierOptions: ParsableArguments {
    @Option(help: "Instance tier: small, mid, large, or any pipelines/NAME.yaml.")
    var tier: String = "mid"

    @Option(help: "A pipeline YAML file to use instead of the tier's.")
    var pipeline: String?

    func load() throws -> Pipeline {
        if let pipeline { return try PipelineCatalog.load(file: URL(fileURLWithPath: pipeline)) }
        return try PipelineCatalog.standard().pipeline(named: tier)
    }
}
