import Foundation
import TestSupport
@testable import Ingest
@testable import Jobs
import Ladder
import Logging
import Testing
import Transcoding

/// Counts the transcodes that really ran.
final class CountingRunner: TranscodeRunner, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var calls: Int { lock.withLock { count } }

    func transcode(file: URL, options: TranscodeOptions, cancellation: CancellationFlag,
                   progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws -> TranscodeResult {
        lock.withLock { count += 1 }
        return try await EngineRunner().transcode(file: file, options: options, cancellation: cancellation, progress: progress)
    }

    func check(file: URL, limits: InputLimits) async throws {
        try await EngineRunner().check(file: file, limits: limits)
    }
}

/// Stops like an interrupted run (Ctrl-C reaching `LibraryImport.interrupt()`): leaves a work
/// folder behind, and the job is cancelled.
final class InterruptingRunner: TranscodeRunner, @unchecked Sendable {
    /// Set to the importer's `interrupt` once the importer exists.
    let interrupt = LockedValue<(@Sendable () -> Void)?>(nil)

    func transcode(file: URL, options: TranscodeOptions, cancellation: CancellationFlag,
                   progress: @escaping @Sendable (TranscodeProgress) -> Void) async throws -> TranscodeResult {
        let uuid = options.videoUUID?.uuidString.lowercased() ?? "x"
        try FileManager.default.createDirectory(at: options.outputDirectory.appendingPathComponent(".sluice-\(uuid).tmp"),
                                                withIntermediateDirectories: true)
        interrupt.value?()
        throw TranscodeError(.cancelled, file: file.path, reason: "cancelled")
    }

    func check(file: URL, limits: InputLimits) async throws {
        try await EngineRunner().check(file: file, limits: limits)
    }
}

@Suite(.serialized) struct ImportTests {
    static func clip(_ url: URL, hue: Int) throws {
        try FFmpegCLI.make(url, ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25,hue=h=\(hue)",
                                 "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-f", "mp4"])
    }

    func library() throws -> URL {
        let root = TestScratch.path("library")
        let nested = root.appendingPathComponent("2019/holidays")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try Self.clip(root.appendingPathComponent("one.mp4"), hue: 0)
        try Self.clip(nested.appendingPathComponent("two.mov"), hue: 90)
        try Self.clip(nested.appendingPathComponent("no-extension"), hue: 180)
        try FileManager.default.copyItem(at: root.appendingPathComponent("one.mp4"), to: nested.appendingPathComponent("one-again.mp4"))
        try Data("shopping list\n".utf8).write(to: nested.appendingPathComponent("notes.txt"))
        try Data((0..<5000).map { _ in UInt8.random(in: 0...255) }).write(to: root.appendingPathComponent("broken.mp4"))
        return root
    }

    func run(_ library: URL, output: URL, runner: any TranscodeRunner, layout: ImportOptions.Layout = .flat) async throws -> ImportReport {
        var importer = LibraryImport(options: ImportOptions(library: library, output: output, workers: 2, layout: layout),
                                     pipeline: PipelineCatalog.builtIn("small")!, logger: Logger(label: "test"))
        importer.runner = runner
        let stopper = importer
        (runner as? InterruptingRunner)?.interrupt.value = { stopper.interrupt() }
        return try await importer.run()
    }

    @Test func importsEveryFileReportsEachAndResumes() async throws {
        let library = try library()
        let output = library.deletingLastPathComponent().appendingPathComponent(library.lastPathComponent + "-out")
        let runner = CountingRunner()
        let report = try await run(library, output: output, runner: runner)
        #expect(report.entries.count == 6)
        #expect(report.counts == ["done": 3, "duplicate": 1, "failed": 1, "skipped": 1])
        #expect(report.entries.first { $0.file.hasSuffix("no-extension") }?.status == "done")
        #expect(report.entries.first { $0.file.hasSuffix("notes.txt") }?.status == "skipped")
        #expect(runner.calls == 3)
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("index.json"))) as? [String: [Any]]
        #expect(index?["packages"]?.count == 3)
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("import-report.json").path))
        // The library is untouched.
        #expect(FileManager.default.fileExists(atPath: library.appendingPathComponent("2019/holidays/one-again.mp4").path))

        // A second run transcodes nothing.
        let again = CountingRunner()
        let second = try await run(library, output: output, runner: again)
        #expect(again.calls == 0)
        #expect(second.counts == report.counts)

        // A new video arrives and its job is cut off mid-run, leaving a half-written package folder.
        try Self.clip(library.appendingPathComponent("three.mp4"), hue: 270)
        let interrupted = try await run(library, output: output, runner: InterruptingRunner())
        #expect(interrupted.counts["pending"] == 1)
        let resumed = CountingRunner()
        let third = try await run(library, output: output, runner: resumed)
        #expect(resumed.calls == 1)
        #expect(third.counts["done"] == 4 && third.counts["pending"] == nil)
        let names = try FileManager.default.contentsOfDirectory(atPath: output.path)
        #expect(!names.contains { $0.hasPrefix(".sluice-") })
    }

    @Test func peerTubeLayoutFilesImagesAndTorrentsApart() async throws {
        let library = try library()
        let output = library.deletingLastPathComponent().appendingPathComponent(library.lastPathComponent + "-pt")
        _ = try await run(library, output: output, runner: CountingRunner(), layout: .peertube)
        let hls = output.appendingPathComponent("streaming-playlists/hls")
        #expect(try FileManager.default.contentsOfDirectory(atPath: hls.path).count == 3)
        for folder in ["torrents", "thumbnails", "previews"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent(folder).path)
            #expect(!names.isEmpty, "\(folder)")
        }
        let thumbnails = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("thumbnails").path)
        #expect(thumbnails.allSatisfy { $0.range(of: "^[0-9a-f-]{36}\\.jpg$", options: .regularExpression) != nil })
        let torrents = try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("torrents").path)
        #expect(torrents.allSatisfy { $0.hasSuffix("-hls.torrent") })
    }

    @Test func aFileStillBeingWrittenIsSkippedWithItsReasonAndTakenByTheNextRun() async throws {
        let library = TestScratch.path("library-writing")
        try FileManager.default.createDirectory(at: library, withIntermediateDirectories: true)
        try Self.clip(library.appendingPathComponent("done.mp4"), hue: 30)
        let finished = TestScratch.path("clip").appendingPathExtension("mp4")
        try FileManager.default.createDirectory(at: finished.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Self.clip(finished, hue: 60)
        let writer = try HeldWriter(library.appendingPathComponent("copying.mp4"))
        try writer.write(try Data(contentsOf: finished))
        let output = TestScratch.path("library-writing-out")
        let first = try await run(library, output: output, runner: CountingRunner())
        let entry = try #require(first.entries.first { $0.file.hasSuffix("copying.mp4") })
        #expect(entry.status == "skipped")
        #expect(entry.error?.hasPrefix("still being written") == true, "\(entry.error ?? "")")
        #expect(first.counts == ["done": 1, "skipped": 1])
        try writer.close()
        let second = try await run(library, output: output, runner: CountingRunner())
        #expect(second.counts == ["done": 2])
    }
}
