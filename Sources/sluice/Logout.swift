import ArgumentParser
import Foundation
import PeerTubeClient

extension Sluice {
    /// `sluice logout --state DIR --url URL`.
    struct Logout: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke the login to an instance and forget it.")

        @Option(help: "The state folder where the login is kept.")
        var state: String = "state"

        @Option(help: "The instance's URL.")
        var url: String

        func run() async throws {
            let store = LoginStore(state: URL(fileURLWithPath: state))
            guard store.load(url) != nil else {
                print("not logged in to \(InstanceURL.normalized(url))")
                return
            }
            do {
                let session = UserSession(instance: url, store: store)
                try await PeerTubeLogin.revoke(instance: url, accessToken: try await session.currentToken())
                print("logged out of \(InstanceURL.normalized(url)); its tokens are revoked")
            } catch {
                // Forgotten here all the same: a token the instance no longer honours is of no use.
                CommandFailure.printLine("sluice: the instance did not confirm the revocation (\(error)); the login is forgotten here")
            }
            store.remove(url)
        }
    }
}
