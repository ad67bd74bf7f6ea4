import Foundation
import Jobs
import Ladder
import PeerTubeClient
import Transcoding

/// Makes a studio job: downloads the video and each task's file, then applies every task in one
/// pass in a child process (``StudioEditor`` through the job runner), so a crash or hang in an
/// edit fails that job only.
struct StudioExecutor: Sendable {
    let batches: BatchExecutor

    /// The edited MP4 in `folder`, made from `member`'s job.
    func make(_ member: VideoBatch.Member, batch: VideoBatch, folder: URL, passID: Int64, cancellation: CancellationFlag,
              progress: @escaping @Sendable (Double) -> Void) async throws -> StudioEditResult {
        let input = try await batches.download(batch, into: folder)
        var tasks: [StudioTask] = []
        for (index, task) in member.job.studioTasks.enumerated() {
            guard let url = task.file else {
                tasks.append(task)
                continue
            }
            let file = folder.appendingPathComponent("task-\(index)" + Self.fileExtension(of: url))
            try await batches.download(url, for: member, to: file)
            tasks.append(task.withFile(file.path))
        }
        let options = StudioEditOptions(input: input.video, separateAudio: input.separateAudio, tasks: tasks,
                                        output: folder.appendingPathComponent("output-edition-\(member.job.uuid).mp4"),
                                        limits: batches.configuration.inputLimits)
        let runner = batches.runner
        return try await batches.watched(passID, cancellation: cancellation, progress: progress) { report in
            try await runner.edit(options, cancellation: cancellation, progress: report)
        }
    }

    /// `.png` from `…/task-files/<uuid>.png` (the name PeerTube gave the upload), else nothing.
    static func fileExtension(of url: String) -> String {
        let name = URL(string: url)?.lastPathComponent ?? ""
        guard let dot = name.lastIndex(of: "."), name[dot...].count <= 9,
              name[name.index(after: dot)...].allSatisfy({ $0.isLetter || $0.isNumber }) else { return "" }
        return String(name[dot...]).lowercased()
    }
}
