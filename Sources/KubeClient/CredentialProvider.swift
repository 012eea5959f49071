import Foundation
import Synchronization

/// Produces the `Authorization` header of each request from the configured credentials:
/// a token file is re-read when it changes, an exec plugin's token is cached until it
/// expires, and both are refreshed after a 401.
final class CredentialProvider: Sendable {
    private let credentials: Credentials
    private let plugin: ExecCredentialPlugin?
    /// The token file's contents and the modification date they were read at.
    private let tokenFileCache = Mutex<(modified: Date?, token: String)?>(nil)

    init(credentials: Credentials) {
        self.credentials = credentials
        if case .exec(let config) = credentials {
            plugin = ExecCredentialPlugin(config: config)
        } else {
            plugin = nil
        }
    }

    /// Whether a 401 may be cured by fetching the credential again.
    var canRefresh: Bool {
        switch credentials {
        case .exec, .tokenFile: return true
        default: return false
        }
    }

    func authorizationHeader() async throws -> String? {
        switch credentials {
        case .none: return nil
        case .token(let token): return "Bearer \(token)"
        case .basic(let username, let password): return "Basic \(Data("\(username):\(password)".utf8).base64EncodedString())"
        case .tokenFile(let path): return "Bearer \(try tokenFromFile(path))"
        case .exec:
            guard let plugin else { return nil }
            return "Bearer \(try await plugin.token())"
        }
    }

    /// Drops cached credentials after the server answered 401.
    func invalidate() async {
        tokenFileCache.withLock { $0 = nil }
        await plugin?.invalidate()
    }

    private func tokenFromFile(_ path: String) throws -> String {
        let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        if let cached = tokenFileCache.withLock({ $0 }), cached.modified == modified, modified != nil {
            return cached.token
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KubeError.configuration("cannot read token file \(path)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw KubeError.configuration("token file \(path) is empty") }
        tokenFileCache.withLock { $0 = (modified, token) }
        return token
    }
}
