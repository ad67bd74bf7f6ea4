import Foundation
import Testing
@testable import Runner
@testable import PeerTubeClient

@Suite struct RunnerSettingsTests {
    @Test func theEnvironmentWinsOverTheFileAndUnknownKeysAreNamed() throws {
        let folder = try RunnerMedia.stateFolder()
        let file = folder.appendingPathComponent("sluice.yaml")
        try "inbox: /srv/inbox\nrunner:\n  state: /var/lib/runner\n  concurrency: 2\n  jobMemoryLimit: 3G\n".write(to: file, atomically: true, encoding: .utf8)
        let values = try RunnerSettings.load(file: file, environment: ["SLUICE_RUNNER_CONCURRENCY": "3", "SLUICE_RUNNER_JOB_MEMORY_LIMIT": "2G"])
        #expect(values == ["state": "/var/lib/runner", "concurrency": "3", "jobMemoryLimit": "2G"])
        try "runner:\n  concurency: 2\n".write(to: file, atomically: true, encoding: .utf8)
        #expect { try RunnerSettings.load(file: file, environment: [:]) } throws: { "\($0)".contains("runner.concurency") }
        #expect(try RunnerSettings.load(file: nil, environment: [:]).isEmpty)
        #expect(try RunnerSettings.load(file: nil, environment: ["SLUICE_RUNNER_LIVE_READ_TIMEOUT": "5"]) == ["liveReadTimeout": "5"])
    }
}
