import ArgumentParser
import Foundation
import PeerTubeClient

extension Sluice {
    /// `sluice login --state DIR --url URL --username NAME [--password-file FILE]`.
    struct Login: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Log in to a PeerTube instance to publish videos on its channels.",
            discussion: """
            The password comes from a prompt, --password-file or SLUICE_PEERTUBE_PASSWORD, and is never \
            stored: only the refresh token is kept, owner-only, in STATE/logins/, and renewed as needed. \
            An account with two-factor authentication is asked for its code (or --otp). Several \
            instances can be logged in at once.
            """)

        @Option(help: "The state folder where the login is kept (owner-only).")
        var state: String = "state"

        @Option(help: "The instance's URL, e.g. https://tube.example.org.")
        var url: String

        @Option(help: "The account's user name or e-mail.")
        var username: String

        @Option(help: "A file whose first line is the password.")
        var passwordFile: String?

        @Option(help: "The current two-factor code, for accounts that have one.")
        var otp: String?

        @Flag(help: "Allow plain http:// to an instance that is not on this machine.")
        var allowInsecureHTTP = false

        func run() async throws {
            do {
                try InstanceURL.checkSecure(url, allowInsecure: allowInsecureHTTP)
                let password = try readPassword()
                let client = try await PeerTubeLogin.client(of: url)
                let tokens = try await grant(client: client, password: password)
                let login = StoredLogin(instance: InstanceURL.normalized(url), username: username, clientID: client.id,
                                        clientSecret: client.secret, refreshToken: tokens.refreshToken,
                                        refreshExpires: tokens.refreshExpiresIn.map { Date().addingTimeInterval($0) })
                let store = LoginStore(state: URL(fileURLWithPath: state))
                try store.save(login)
                print("logged in to \(login.instance) as \(username); the refresh token is kept in \(store.folder.path)")
            } catch let error as InstanceError {
                CommandFailure.printLine("sluice: cannot log in: \(error)")
                throw ExitCode(1)
            }
        }

        /// The password grant, asking for the two-factor code when the instance wants one.
        private func grant(client: (id: String, secret: String), password: String) async throws -> OAuthTokens {
            do {
                return try await PeerTubeLogin.password(instance: url, client: client, username: username, password: password, otp: otp)
            } catch let error as InstanceError where error.code == "missing_two_factor" && otp == nil {
                guard isatty(STDIN_FILENO) == 1, let code = Self.prompt("Two-factor code: ", hidden: false) else { throw error }
                return try await PeerTubeLogin.password(instance: url, client: client, username: username, password: password, otp: code)
            }
        }

        private func readPassword() throws -> String {
            if let passwordFile {
                guard let text = try? String(contentsOfFile: passwordFile, encoding: .utf8),
                      let line = text.split(separator: "\n", omittingEmptySubsequences: false).first, !line.isEmpty else {
                    throw InstanceError(status: nil, code: nil, detail: "\(passwordFile) holds no password")
                }
                return String(line)
            }
            if let password = ProcessInfo.processInfo.environment["SLUICE_PEERTUBE_PASSWORD"], !password.isEmpty { return password }
            guard isatty(STDIN_FILENO) == 1, let password = Self.prompt("Password for \(username): ", hidden: true), !password.isEmpty else {
                throw InstanceError(status: nil, code: nil, detail: "no password: give --password-file or SLUICE_PEERTUBE_PASSWORD, or run it in a terminal")
            }
            return password
        }

        /// Reads one line from the terminal, without echo for a password.
        static func prompt(_ text: String, hidden: Bool) -> String? {
            FileHandle.standardError.write(Data(text.utf8))
            var saved = termios()
            let restore = hidden && tcgetattr(STDIN_FILENO, &saved) == 0
            if restore {
                var quiet = saved
                quiet.c_lflag &= ~tcflag_t(ECHO)
                tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
            }
            defer {
                if restore {
                    tcsetattr(STDIN_FILENO, TCSANOW, &saved)
                    FileHandle.standardError.write(Data("\n".utf8))
                }
            }
            return readLine(strippingNewline: true)
        }
    }
}
