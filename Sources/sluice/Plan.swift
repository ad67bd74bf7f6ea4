import ArgumentParser
import Foundation
import Ladder
import LibAV
import Transcoding

extension Sluice {
    /// `sluice plan FILE --tier T [--json]`.
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the ladder a transcode would make, without transcoding.")

        @Argument(help: "The video to plan for.")
        var file: String

        @OptionGroup var tier: TierOptions

        @Flag(help: "Split audio into its own rendition (overrides the pipeline).")
        var splitAudio = false

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            FFmpegLog.capture()
            var pipeline = try CommandFailure.guarding { try tier.load() }
            if splitAudio { pipeline.splitAudio = true }
            let plan = try CommandFailure.guarding { () throws -> LadderPlan in
                let (report, demuxer) = try MediaProbe.probe(URL(fileURLWithPath: file))
                try MediaProbe.validate(report)
                return MediaProbe.plan(report, demuxer: demuxer, pipeline: pipeline)
            }
            if json {
                print(try JSONOutput.string(plan))
            } else {
                print(PlanTable.render(plan))
            }
        }
    }
}
