import ZooKeeperClient

/// One membership change, as Keeper asks ZooKeeper for it.
public enum MembershipChange: Sendable, Equatable {
    /// Add this server (`server.N=...` line) as a participant.
    case add(EnsembleConfig.Member)
    /// Give a server already in the configuration this line's role (participant or observer):
    /// the same incremental `reconfig -add`, which replaces the server's line.
    case setRole(EnsembleConfig.Member)
    /// Remove the server with this id.
    case remove(id: Int)
}

/// Changes an ensemble's membership. A protocol so tests can fake the ensemble.
public protocol EnsembleAdmin: Sendable {
    /// Runs one incremental `reconfig` against the server at `host`, as the superuser,
    /// conditional on the committed configuration still being `fromVersion` (BadVersion
    /// otherwise: someone else changed it, and the next reconcile reads it anew).
    func reconfigure(host: String, port: Int, credentials: DigestCredentials, change: MembershipChange, fromVersion: Int64) async throws
}

/// `EnsembleAdmin` over a short ZooKeeper session of its own.
public struct ZooKeeperEnsembleAdmin: EnsembleAdmin {
    public init() {}

    public func reconfigure(host: String, port: Int, credentials: DigestCredentials, change: MembershipChange, fromVersion: Int64) async throws {
        var options = ZooKeeperClient.Options()
        options.randomizeServerOrder = false
        options.requestTimeout = .seconds(15)
        let client = try await ZooKeeperClient.connect("\(host):\(port)", options: options)
        do {
            try await client.addAuth(credentials)
            switch change {
            case .add(let member), .setRole(let member): try await client.addMember(member, fromConfig: fromVersion)
            case .remove(let id): try await client.removeMember(id: id, fromConfig: fromVersion)
            }
        } catch {
            await client.close(replyTimeout: .zero)
            throw error
        }
        // Not waiting for the session's end: after a hand-off (or the leader's removal) the
        // old leader commits nothing more (`Leader.tryToCommit`: not the designated leader,
        // `allowedToCommit = false`) and answers it only as it steps down, which held every
        // hand-off ~1 s in `keeper-bench rollout`. The session owns nothing ephemeral.
        await client.close(replyTimeout: .zero)
    }
}
