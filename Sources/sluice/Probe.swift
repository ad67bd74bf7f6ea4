import ArgumentParser
import Foundation
import LibAV
import Transcoding

extension Sluice {
    /// `sluice probe FILE [--json]`.
    struct Probe: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe a media file: container and every stream.")

        @Argument(help: "The file to read.")
        var file: String

        @Flag(help: "Print JSON instead of a table.")
        var json = false

        func run() throws {
            FFmpegLog.capture()
            let report = try CommandFailure.guarding { try MediaProbe.probe(URL(fileURLWithPath: file)).report }
            if json {
                print(try JSONOutput.string(report))
            } else {
                print(ProbeTable.render(report))
            }
        }
    }
}
