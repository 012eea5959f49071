import Foundation
import KubeModel
import Synchronization
import ZooKeeperClient

/// What one poll saw of one member: its pod and its `srvr` answer.
struct MemberSample: Sendable {
    var uid: String?
    var revision: String?
    var terminating: Bool
    /// `srvr`'s mode when the member serves ("leader", "follower", ...), nil otherwise.
    var servingMode: String?
    var zxid: Int64?

    var servesAsVoterRole: Bool { servingMode == "leader" || servingMode == "follower" }
}

/// What one poll saw of the ensemble: every pod of the cluster, and the leader's `mntr` when
/// exactly one member leads.
struct EnsembleSample: Sendable {
    var at: ContinuousClock.Instant
    var members: [String: MemberSample]
    var leader: String?
    /// The leader's `zk_quorum_size`: the voters in its view of the configuration.
    var quorumSize: Int?
    /// The leader's synced voting followers.
    var syncedVotingFollowers: Int?

    /// The highest epoch (zxid >> 32) a serving member reports.
    var epoch: Int64? {
        members.values.filter(\.servesAsVoterRole).compactMap { $0.zxid.map { $0 >> 32 } }.max()
    }

    /// `member` leads or follows, and the leader reports every other voter of its configuration
    /// in sync: the member is back, whatever the size of the configuration at that moment (a
    /// leader handed off leaves one voter fewer until it votes again).
    func isInSync(_ member: String) -> Bool {
        members[member]?.servesAsVoterRole == true && configurationInSync
    }

    /// `member` leads or follows, and the leader counts every member that follows as a synced
    /// voter: a rolled member is back. Counted against the followers serving rather than the
    /// configuration's voters, so the member restarted next (down already when a 0.25 s poll
    /// comes) does not stretch this member's window into its own.
    func isBack(_ member: String) -> Bool {
        guard members[member]?.servesAsVoterRole == true, leader != nil, let syncedVotingFollowers else { return false }
        return syncedVotingFollowers >= members.values.filter { $0.servingMode == "follower" }.count
    }

    /// One leader, and it reports every other voter of its configuration in sync.
    var configurationInSync: Bool {
        guard leader != nil, let quorumSize, let syncedVotingFollowers else { return false }
        return syncedVotingFollowers >= quorumSize - 1
    }

    /// One leader, `voters` voters in its configuration, every other voter synced, and every
    /// pod that is not terminating serving as leader or follower.
    func isStable(voters: Int) -> Bool {
        leader != nil && quorumSize == voters && syncedVotingFollowers == voters - 1
            && members.values.allSatisfy { $0.terminating || $0.servesAsVoterRole }
    }
}

/// Polls every pod of a cluster and its `srvr` every 0.25 s (and the leader's `mntr`) until
/// stopped, keeping every sample.
final class EnsemblePoller: Sendable {
    static let interval: Duration = .milliseconds(250)
    private let samples = Mutex<[EnsembleSample]>([])
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Starts polling the pods of cluster `name`.
    func start(_ bench: BenchCluster, name: String) {
        let running = Task { [self] in
            while !Task.isCancelled {
                let started = ContinuousClock.now
                if let sample = try? await Self.sample(bench, name: name) {
                    self.samples.withLock { $0.append(sample) }
                }
                try? await Task.sleep(until: started + Self.interval)
            }
        }
        task.withLock { $0 = running }
    }

    /// Stops polling and returns the samples, oldest first.
    func stop() async -> [EnsembleSample] {
        let running = task.withLock { $0 }
        running?.cancel()
        await running?.value
        return samples.withLock { $0 }
    }

    /// The samples so far.
    var current: [EnsembleSample] { samples.withLock { $0 } }

    static func sample(_ bench: BenchCluster, name: String) async throws -> EnsembleSample {
        let pods = try await bench.pods(name)
        let at = ContinuousClock.now
        var members: [String: MemberSample] = [:]
        var ips: [String: String] = [:]
        await withTaskGroup(of: (String, ServerStatus?).self) { group in
            for pod in pods {
                guard let podName = pod.metadata.name else { continue }
                members[podName] = MemberSample(uid: pod.metadata.uid, revision: pod.metadata.labels?["controller-revision-hash"],
                                                terminating: pod.metadata.deletionTimestamp != nil)
                guard let ip = pod.status?.podIP else { continue }
                ips[podName] = ip
                group.addTask { (podName, try? await FourLetterWords.serverStatus(host: ip, timeout: .milliseconds(500))) }
            }
            for await (podName, status) in group {
                guard let status, status.isServing else { continue }
                members[podName]?.servingMode = status.mode
                members[podName]?.zxid = status.zxid
            }
        }
        var sample = EnsembleSample(at: at, members: members)
        let leaders = members.filter { $0.value.servingMode == "leader" }.map(\.key)
        if leaders.count == 1, let leader = leaders.first, let ip = ips[leader],
           let monitor = try? await FourLetterWords.monitorStatus(host: ip, timeout: .milliseconds(500)) {
            sample.leader = leader
            sample.quorumSize = monitor.quorumSize
            sample.syncedVotingFollowers = monitor.syncedVotingFollowers
        }
        return sample
    }
}
