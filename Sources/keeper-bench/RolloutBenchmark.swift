import Flags
import Foundation
import Keeper
import KubeClient
import KubeModel

/// `keeper-bench rollout [--members 3,5] [--runs N]` (issue 9): a rolling restart of a real
/// ensemble on kube-sim with a client writing all along, Keeper's way (a config change,
/// followers first, the leader last, each step gated on the member back in sync) against the
/// peer way on a fresh ensemble of the same size (Keeper stopped, the StatefulSet switched to
/// `RollingUpdate` and its template annotation changed: kube-sim's StatefulSet controller then
/// rolls one pod at a time in descending ordinal order gated on Ready, as kube-controller-manager
/// v1.32's `updateStatefulSet` does).
enum RolloutBenchmark {
    enum Way: String { case keeper = "Keeper", peer = "StatefulSet RollingUpdate" }

    struct Figures {
        var way: Way
        var elections: Int
        var leaderChanges: Int
        var acknowledged: Int
        var lost: Int
        var failed: Int
        var longestOutage: Duration
        var rolloutTime: Duration
        /// Each member's own restart-to-in-sync time; nil when the poll never saw it back.
        var memberTimes: [String: Duration?]
        /// Time outside the members' own windows (`EnsembleTimeline.gaps`).
        var gaps: [String]

        var sumOfOwnTimes: Duration? {
            memberTimes.values.reduce(Duration?.some(.zero)) { sum, time in sum.flatMap { sum in time.map { sum + $0 } } }
        }
    }

    static func run(arguments: [String]) async throws {
        var parser = FlagParser(command: "keeper-bench rollout", summary: "Keeper's rolling restart against a StatefulSet RollingUpdate.")
        parser.option("members", valueName: "SIZES", default: "3,5", help: "ensemble sizes, comma-separated")
        parser.option("runs", valueName: "N", default: "1", help: "runs per size and way")
        let flags: ParsedFlags
        do { flags = try parser.parse(arguments) } catch { throw BenchmarkError.usage("\(error)\n\(parser.usage)") }
        let sizes = (flags.string("members") ?? "3,5").split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
        let runs = max(1, (try? flags.int("runs")) ?? 1)

        let bench = try await BenchCluster.start()
        do {
            for size in sizes {
                for run in 1...runs {
                    let keeper = try await measure(bench, size: size, way: .keeper, name: "rk\(size)-\(run)")
                    let peer = try await measure(bench, size: size, way: .peer, name: "rp\(size)-\(run)")
                    print(table(size: size, run: run, of: runs, keeper: keeper, peer: peer))
                }
            }
        } catch {
            await bench.stop()
            throw error
        }
        await bench.stop()
    }

    /// Creates a cluster of `size`, waits until it converged, and rolls it one way or the other
    /// with a writer and the poller running; then deletes it.
    static func measure(_ bench: BenchCluster, size: Int, way: Way, name: String) async throws -> Figures {
        try await bench.create(name, replicas: size)
        try await bench.waitUntilConverged(name, voters: size)
        if way == .peer { await bench.stopKeeper() }
        var originalUIDs: [String: String] = [:]
        for pod in try await bench.pods(name) {
            if let podName = pod.metadata.name, let uid = pod.metadata.uid { originalUIDs[podName] = uid }
        }
        let writer = BenchWriter(prefix: "w")
        let poller = EnsemblePoller()
        poller.start(bench, name: name)
        writer.start { try await bench.serviceAddresses(name) }
        try await bench.waitUntil("the writer writes", .seconds(30)) { writer.current.acknowledged.count >= 20 }

        let started = ContinuousClock.now
        switch way {
        case .keeper:
            _ = try await bench.client.patch(.zookeeperClusters, namespace: "default", name: name,
                                             patch: .merge(["spec": ["config": ["maxClientCnxns": "61"]]]))
        case .peer:
            _ = try await bench.client.patch(.statefulSets, namespace: "default", name: name, patch: .merge([
                "spec": ["updateStrategy": ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]],
                         "template": ["metadata": ["annotations": ["bench.keeper.dev/restartedAt": .string("\(Date().timeIntervalSince1970)")]]]],
            ]))
        }
        // Done: every member runs a new pod that serves, and the ensemble is stable.
        var finished: ContinuousClock.Instant?
        try await bench.waitUntil("\(name) is rolled (\(way.rawValue))", .seconds(900)) {
            finished = poller.current.last { sample in
                sample.at > started && sample.isStable(voters: size) && originalUIDs.allSatisfy { member, uid in
                    sample.members[member].map { $0.uid != uid && !$0.terminating && $0.servesAsVoterRole } == true
                }
            }?.at
            return finished != nil
        }
        let acknowledgedAtEnd = writer.current.acknowledged.count
        try await bench.waitUntil("the writer writes after the rollout", .seconds(30)) { writer.current.acknowledged.count >= acknowledgedAtEnd + 10 }
        let log = await writer.stop()
        let samples = await poller.stop()
        let lost = try await writer.lost(log, addresses: try await bench.serviceAddresses(name))
        if way == .keeper { try await bench.waitUntilConverged(name, voters: size) }
        try await bench.delete(name)

        let end = finished ?? ContinuousClock.now
        let window = started...end
        let timeline = EnsembleTimeline(samples: samples)
        return Figures(way: way, elections: timeline.elections(in: window), leaderChanges: timeline.leaderChanges(in: window),
                       acknowledged: log.acknowledged.count, lost: lost, failed: log.failed(in: window),
                       longestOutage: log.longestOutage(in: window), rolloutTime: end - started,
                       memberTimes: timeline.restartToInSync(originalUIDs: originalUIDs),
                       gaps: timeline.gaps(originalUIDs: originalUIDs, start: started, end: end))
    }

    static func table(size: Int, run: Int, of runs: Int, keeper: Figures, peer: Figures) -> String {
        func ratio(_ figures: Figures) -> String {
            guard let sum = figures.sumOfOwnTimes, sum > .zero else { return "?" }
            return String(format: "%.2f", secondsValue(figures.rolloutTime) / secondsValue(sum))
        }
        func own(_ figures: Figures) -> String {
            figures.memberTimes.sorted { $0.key < $1.key }.map { "\($0.value.map(seconds) ?? "?")" }.joined(separator: " + ")
        }
        let rows: [(String, String, String, String)] = [
            ("leader elections (epoch bumps)", "\(keeper.elections)", "\(peer.elections)", "exactly 1 (peer: typically 2)"),
            ("leader changes", "\(keeper.leaderChanges)", "\(peer.leaderChanges)", ""),
            ("acknowledged writes lost", "\(keeper.lost) of \(keeper.acknowledged)", "\(peer.lost) of \(peer.acknowledged)", "0"),
            ("failed writes", "\(keeper.failed)", "\(peer.failed)", ""),
            ("longest write outage", seconds(keeper.longestOutage), seconds(peer.longestOutage), "about one election (~1 s)"),
            ("rollout time", seconds(keeper.rolloutTime), seconds(peer.rolloutTime), ""),
            ("sum of members' own restart-to-in-sync", keeper.sumOfOwnTimes.map(seconds) ?? "?", peer.sumOfOwnTimes.map(seconds) ?? "?", ""),
            ("rollout time / sum", ratio(keeper), ratio(peer), "<= 1.20"),
        ]
        var lines = ["\(size) members, run \(run) of \(runs)"]
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
        lines.append("  " + pad("", 40) + pad(Way.keeper.rawValue, 16) + pad(Way.peer.rawValue, 28) + "target (Keeper)")
        for (label, keeperValue, peerValue, target) in rows {
            lines.append("  " + pad(label, 40) + pad(keeperValue, 16) + pad(peerValue, 28) + target)
        }
        lines.append("  members' own times, by ordinal: Keeper \(own(keeper)); peer \(own(peer))")
        lines.append("  between them: Keeper \(keeper.gaps.joined(separator: ", ")); peer \(peer.gaps.joined(separator: ", "))")
        return lines.joined(separator: "\n")
    }
}
