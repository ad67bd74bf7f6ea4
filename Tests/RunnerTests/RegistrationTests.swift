import Foundation
import Testing
@testable import Runner
@testable import PeerTubeClient

@Suite struct RegistrationTests {
    static let registrationToken = "ptrrt-0b5c1d2e-3f40-4a51-9b62-7c83d94e05f1"

    @Test func registeringKeepsTheRunnerTokenOwnerOnly() async throws {
        let state = try RunnerMedia.stateFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let peertube = FakePeerTube(registrationTokens: [Self.registrationToken])
        try await peertube.serve { url in
            let registration = RunnerRegistration(state: state, version: "0.1.0")
            let instance = try await registration.register(url: url + "/", registrationToken: Self.registrationToken,
                                                           name: "sluice-1", description: "2 cores")
            #expect(instance.url == url)
            #expect(instance.runnerToken.hasPrefix("ptrt-"))
            #expect(try registration.registry.instances() == [instance])
        }
        let runners = peertube.runners
        #expect(runners.count == 1 && runners.values.first?.name == "sluice-1" && runners.values.first?.version == "0.1.0")
        let registry = RunnerRegistry(state: state)
        let attributes = try FileManager.default.attributesOfItem(atPath: registry.file.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try registry.instances().first?.runnerToken == runners.keys.first)
    }

    @Test func theInstancesRefusalsArePassedOnAndNothingIsStored() async throws {
        let state = try RunnerMedia.stateFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let peertube = FakePeerTube(registrationTokens: [Self.registrationToken])
        try await peertube.serve { url in
            let registration = RunnerRegistration(state: state, version: "0.1.0")
            await #expect { try await registration.register(url: url, registrationToken: "ptrrt-wrong", name: "a", description: nil) }
                throws: { "\($0)".contains("Registration token is invalid (HTTP 404)") }
            // The name is taken on the instance by another runner (another state folder).
            let other = RunnerRegistration(state: try RunnerMedia.stateFolder(), version: "0.1.0")
            _ = try await other.register(url: url, registrationToken: Self.registrationToken, name: "taken", description: nil)
            await #expect { try await registration.register(url: url, registrationToken: Self.registrationToken, name: "taken", description: nil) }
                throws: { "\($0)".contains("This runner name already exists on this instance") }
            #expect(try registration.registry.instances().isEmpty)
        }
    }

    @Test func oneEntryPerInstanceAndSeveralInstances() async throws {
        let state = try RunnerMedia.stateFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let first = FakePeerTube(registrationTokens: [Self.registrationToken])
        let second = FakePeerTube(registrationTokens: [Self.registrationToken])
        try await first.serve { one in
            try await second.serve { two in
                let registration = RunnerRegistration(state: state, version: "0.1.0")
                _ = try await registration.register(url: one, registrationToken: Self.registrationToken, name: "r", description: nil)
                _ = try await registration.register(url: two, registrationToken: Self.registrationToken, name: "r", description: nil)
                await #expect { try await registration.register(url: one, registrationToken: Self.registrationToken, name: "r2", description: nil) }
                    throws: { "\($0)".contains("already registered") }
                #expect(try registration.registry.instances().map(\.url).sorted() == [one, two].sorted())
            }
        }
    }

    @Test func unregisteringReleasesTheRunnerAndForgetsTheToken() async throws {
        let state = try RunnerMedia.stateFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let peertube = FakePeerTube(registrationTokens: [Self.registrationToken])
        try await peertube.serve { url in
            let registration = RunnerRegistration(state: state, version: "0.1.0")
            _ = try await registration.register(url: url, registrationToken: Self.registrationToken, name: "a", description: nil)
            #expect(try await registration.unregister(url: url))
            #expect(peertube.runners.isEmpty)
            #expect(try registration.registry.instances().isEmpty)
            // Deleted by the admin meanwhile: the instance answers unknown_runner_token; the token is forgotten all the same.
            _ = try await registration.register(url: url, registrationToken: Self.registrationToken, name: "b", description: nil)
            peertube.deleteRunner(named: "b")
            #expect(try await registration.unregister(url: url) == false)
            #expect(try registration.registry.instances().isEmpty)
            await #expect { try await registration.unregister(url: url) } throws: { "\($0)".contains("not registered") }
        }
    }

    @Test func anUnreachableInstanceIsAClearError() async throws {
        let state = try RunnerMedia.stateFolder()
        defer { try? FileManager.default.removeItem(at: state) }
        let registration = RunnerRegistration(state: state, version: "0.1.0")
        // Port 9 on loopback (discard) is closed here: nothing leaves the machine.
        await #expect { try await registration.register(url: "http://127.0.0.1:9", registrationToken: "t", name: "a", description: nil) }
            throws: { "\($0)".contains("cannot reach http://127.0.0.1:9") }
        await #expect { try await registration.register(url: "ftp://example", registrationToken: "t", name: "a", description: nil) }
            throws: { "\($0)".contains("is not an http(s) URL") }
    }
}
