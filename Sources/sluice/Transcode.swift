import ArgumentParser
import Foundation
import Jobs
import LibAV
import Transcoding

extension Sluice {
    /// `sluice transcode FILE --tier T --output DIR [--split-audio] [--json]`.
    struct Transcode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Transcode one file into a PeerTube HLS package (DIR/<videoUUID>/).")

        @Argument(help: "The video (or audio) file to transcode. It is only read.")
        var file: String

        @OptionGroup var tier: TierOptions

        @Option(name: .shortAndLong, help: "Folder that receives the package folder.")
        var output: String = "out"

        @Flag(help: "Video-only renditions plus one audio-only rendition (PeerTube >= 6.3).")
        var splitAudio = false

        @OptionGroup var seeding: SeedingOptions

        @Flag(help: "Print one JSON object describing the package on stdout.")
        var json = false

        func run() throws {
            let pipeline = try CommandFailure.guarding { try tier.load() }
            let options = TranscodeOptions(pipeline: pipeline, outputDirectory: URL(fileURLWithPath: output),
                                           splitAudio: splitAudio ? true : nil, baseURL: seeding.baseURL,
                                           trackers: seeding.tracker)
            let cancellation = CancellationFlag()
            let interrupts = InterruptHandler { cancellation.cancel() }
            defer { interrupts.restore() }
            let display = ProgressDisplay(enabled: isatty(STDERR_FILENO) == 1)
            let result = try CommandFailure.guarding {
                try Transcoder.transcode(file: URL(fileURLWithPath: file), options: options, cancellation: cancellation,
                                         progress: display.update)
            }
            display.finish()
            if json {
                print(try JSONOutput.string(result))
            } else {
                print(result.master)
            }
        }
    }
}
