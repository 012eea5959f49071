import Flags
import Foundation
import Keeper
import KubeClient
import KubeModel
import ZooKeeperClient

/// `keeper-bench leader-turn [--members 3] [--runs N]` (issue 9, "The leader's turn"): the
/// leader's restart measured both ways on the same ensemble with a client writing, Keeper
/// stopped so that only the benchmark acts: (a) a plain restart of the leader's pod, what
/// Keeper's rollout does; (b) hand-off first: `reconfig` the leader to an observer (the
/// leader designates its successor, `Leader.getDesignatedLeader`), restart its pod, wait until
/// it serves, `reconfig` it back to participant.
enum LeaderTurnBenchmark {
    struct Figures {
        var way: String
        var leader: String
        var time: Duration
        var elections: Int
        var leaderChanges: Int
        var failed: Int
        var longestOutage: Duration
    }

    static func run(arguments: [String]) async throws {
        var parser = FlagParser(command: "keeper-bench leader-turn", summary: "The leader's restart: plain against hand-off first.")
        parser.option("members", valueName: "N", default: "3", help: "ensemble size")
        parser.option("runs", valueName: "N", default: "2", help: "runs of each way, alternating")
        let flags: ParsedFlags
        do { flags = try parser.parse(arguments) } catch { throw BenchmarkError.usage("\(error)\n\(parser.usage)") }
        let size = max(3, (try? flags.int("members")) ?? 3)
        let runs = max(1, (try? flags.int("runs")) ?? 2)

        let bench = try await BenchCluster.start()
        do {
            let name = "lt"
            try await bench.create(name, replicas: size)
            try await bench.waitUntilConverged(name, voters: size)
            await bench.stopKeeper()
            let writer = BenchWriter(prefix: "w")
            let poller = EnsemblePoller()
            poller.start(bench, name: name)
            writer.start { try await bench.serviceAddresses(name) }
            try await bench.waitUntil("the writer writes", .seconds(30)) { writer.current.acknowledged.count >= 20 }
            var results: [Figures] = []
            for _ in 1...runs {
                results.append(try await plainRestart(bench, name: name, size: size, writer: writer, poller: poller))
                results.append(try await handOffFirst(bench, name: name, size: size, writer: writer, poller: poller))
            }
            let log = await writer.stop()
            _ = await poller.stop()
            let lost = try await writer.lost(log, addresses: try await bench.serviceAddresses(name))
            try await bench.delete(name)
            print(table(size: size, results: results, acknowledged: log.acknowledged.count, lost: lost))
        } catch {
            await bench.stop()
            throw error
        }
        await bench.stop()
    }

    /// (a) Deletes the leader's pod and waits until its new pod serves in a stable ensemble.
    static func plainRestart(_ bench: BenchCluster, name: String, size: Int, writer: BenchWriter, poller: EnsemblePoller) async throws -> Figures {
        let (leader, uid) = try await currentLeader(bench, name: name, poller: poller)
        let started = ContinuousClock.now
        try await bench.client.delete(Pod.self, namespace: "default", name: leader)
        let done = try await backInSync(bench, leader: leader, oldUID: uid, size: size, after: started, poller: poller)
        return figures("(a) plain restart", leader: leader, started...done, writer: writer, poller: poller)
    }

    /// (b) Leader to observer, wait for the successor, restart the pod, wait until it serves,
    /// back to participant, wait until the ensemble is stable.
    static func handOffFirst(_ bench: BenchCluster, name: String, size: Int, writer: BenchWriter, poller: EnsemblePoller) async throws -> Figures {
        let (leader, uid) = try await currentLeader(bench, name: name, poller: poller)
        let started = ContinuousClock.now
        try await reconfigure(bench, name: name, member: leader, role: "observer")
        try await bench.waitUntil("a new leader after \(leader) hands off", .seconds(60)) {
            poller.current.last.map { $0.at > started && $0.leader != nil && $0.leader != leader } == true
        }
        let restarted = ContinuousClock.now
        try await bench.client.delete(Pod.self, namespace: "default", name: leader)
        try await bench.waitUntil("\(leader)'s new pod serves as an observer", .seconds(300)) {
            poller.current.last { $0.at > restarted }.map { sample in
                sample.members[leader].map { $0.uid != uid && !$0.terminating && $0.servingMode != nil } == true
            } == true
        }
        try await reconfigure(bench, name: name, member: leader, role: "participant")
        let done = try await backInSync(bench, leader: leader, oldUID: uid, size: size, after: restarted, poller: poller)
        return figures("(b) hand-off first", leader: leader, started...done, writer: writer, poller: poller)
    }

    static func currentLeader(_ bench: BenchCluster, name: String, poller: EnsemblePoller) async throws -> (String, String) {
        var found: (String, String)?
        try await bench.waitUntil("\(name) has a leader", .seconds(60)) {
            guard let sample = poller.current.last, let leader = sample.leader, let uid = sample.members[leader]?.uid else { return false }
            found = (leader, uid)
            return true
        }
        guard let found else { throw BenchmarkError.timedOut("\(name) has a leader") }
        return found
    }

    static func backInSync(_ bench: BenchCluster, leader: String, oldUID: String, size: Int, after: ContinuousClock.Instant,
                           poller: EnsemblePoller) async throws -> ContinuousClock.Instant {
        var done: ContinuousClock.Instant?
        try await bench.waitUntil("\(leader) is back in sync", .seconds(300)) {
            done = poller.current.first { sample in
                sample.at > after && sample.isStable(voters: size)
                    && sample.members[leader].map { $0.uid != oldUID && $0.servesAsVoterRole } == true
            }?.at
            return done != nil
        }
        return done ?? ContinuousClock.now
    }

    /// An incremental `reconfig` giving `member` the role `role`, as the superuser (the
    /// password from the Secret `<name>-superuser`); retried while the ensemble is not ready for it.
    static func reconfigure(_ bench: BenchCluster, name: String, member: String, role: String) async throws {
        let secret = try await bench.client.get(Secret.self, namespace: "default", name: "\(name)-superuser")
        guard let credentials = SuperuserSecret.credentials(from: secret) else { throw BenchmarkError.usage("\(name)-superuser has no password") }
        let ordinal = Int(member.split(separator: "-").last ?? "") ?? 0
        var lastError: (any Error)?
        for _ in 0..<40 {
            do {
                let client = try await ZooKeeperClient.connect(try await bench.serviceAddresses(name).joined(separator: ","))
                do {
                    try await client.addAuth(credentials)
                    try await client.sync("/")
                    let (config, _) = try await client.getConfig()
                    guard var line = config.member(id: ordinal + 1) ?? config.members.first(where: { $0.host.hasPrefix(member + ".") }) else {
                        throw BenchmarkError.usage("\(member) is not in \(config.text)")
                    }
                    line.role = role
                    try await client.reconfig(joining: [line.configLine], fromConfig: config.version ?? -1)
                    await client.close()
                    return
                } catch {
                    await client.close()
                    throw error
                }
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(250))
            }
        }
        throw lastError ?? BenchmarkError.timedOut("reconfig \(member) to \(role)")
    }

    static func figures(_ way: String, leader: String, _ window: ClosedRange<ContinuousClock.Instant>, writer: BenchWriter,
                        poller: EnsemblePoller) -> Figures {
        let log = writer.current
        let timeline = EnsembleTimeline(samples: poller.current)
        return Figures(way: way, leader: leader, time: window.upperBound - window.lowerBound,
                       elections: timeline.elections(in: window), leaderChanges: timeline.leaderChanges(in: window),
                       failed: log.failed(in: window), longestOutage: log.longestOutage(in: window))
    }

    static func table(size: Int, results: [Figures], acknowledged: Int, lost: Int) -> String {
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
        var lines = ["The leader's restart on \(size) members with a client writing: \(acknowledged) writes acknowledged, \(lost) lost"]
        lines.append("  " + pad("way", 22) + pad("member", 8) + pad("time", 10) + pad("epoch bumps", 13) + pad("leader chg", 12)
                     + pad("failed", 8) + "longest outage")
        for figures in results {
            lines.append("  " + pad(figures.way, 22) + pad(figures.leader, 8) + pad(seconds(figures.time), 10) + pad("\(figures.elections)", 13)
                         + pad("\(figures.leaderChanges)", 12) + pad("\(figures.failed)", 8) + seconds(figures.longestOutage))
        }
        return lines.joined(separator: "\n")
    }
}
