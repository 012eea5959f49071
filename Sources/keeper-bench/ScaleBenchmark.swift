import Flags
import Foundation
import Keeper
import KubeClient
import KubeModel

/// `keeper-bench scale` (issue 10): 3 → 5 → 3 → 2 on a real ensemble on kube-sim with a
/// client writing all along. Per member added: time from its pod appearing to a stable
/// ensemble (the leader's configuration counts it as a voter and reports every voter synced)
/// against the member's own start-to-serving time; per member removed: time to a stable
/// ensemble without it; for each, elections, failed writes and the longest write outage. The
/// last step removes the member that led since the ensemble formed (with equal zxids the
/// highest id wins the first election), to measure the hand-off a leader's removal costs.
enum ScaleBenchmark {
    struct Step {
        var label: String
        var toStable: Duration
        /// For an added member: its own pod-appeared-to-serving time.
        var own: Duration?
        var elections: Int
        var leaderChanges: Int
        var failed: Int
        var longestOutage: Duration
    }

    static func run(arguments: [String]) async throws {
        var parser = FlagParser(command: "keeper-bench scale", summary: "3 -> 5 -> 3 -> 2 with a client writing.")
        parser.option("from", valueName: "N", default: "3", help: "the size to start from and return to")
        parser.option("to", valueName: "M", default: "5", help: "the size to grow to")
        let flags: ParsedFlags
        do { flags = try parser.parse(arguments) } catch { throw BenchmarkError.usage("\(error)\n\(parser.usage)") }
        let from = max(1, (try? flags.int("from")) ?? 3)
        let to = max(from + 1, (try? flags.int("to")) ?? 5)

        let bench = try await BenchCluster.start()
        do {
            let (steps, acknowledged, lost) = try await measure(bench, from: from, to: to)
            print(table(from: from, to: to, steps: steps, acknowledged: acknowledged, lost: lost))
        } catch {
            await bench.stop()
            throw error
        }
        await bench.stop()
    }

    static func measure(_ bench: BenchCluster, from: Int, to: Int) async throws -> (steps: [Step], acknowledged: Int, lost: Int) {
        let name = "sc"
        try await bench.create(name, replicas: from)
        try await bench.waitUntilConverged(name, voters: from)
        let writer = BenchWriter(prefix: "w")
        let poller = EnsemblePoller()
        poller.start(bench, name: name)
        writer.start { try await bench.serviceAddresses(name) }
        try await bench.waitUntil("the writer writes", .seconds(30)) { writer.current.acknowledged.count >= 20 }

        let grow = ContinuousClock.now
        _ = try await bench.client.patch(.zookeeperClusters, namespace: "default", name: name, patch: .merge(["spec": ["replicas": .int(Int64(to))]]))
        try await bench.waitUntilConverged(name, voters: to, timeout: .seconds(600))
        let shrink = ContinuousClock.now
        _ = try await bench.client.patch(.zookeeperClusters, namespace: "default", name: name, patch: .merge(["spec": ["replicas": .int(Int64(from))]]))
        try await bench.waitUntilConverged(name, voters: from, timeout: .seconds(600))
        let shrinkFurther = ContinuousClock.now
        if from > 1 {
            _ = try await bench.client.patch(.zookeeperClusters, namespace: "default", name: name, patch: .merge(["spec": ["replicas": .int(Int64(from - 1))]]))
            try await bench.waitUntilConverged(name, voters: from - 1, timeout: .seconds(600))
        }
        let acknowledgedAtEnd = writer.current.acknowledged.count
        try await bench.waitUntil("the writer writes after the resize", .seconds(30)) { writer.current.acknowledged.count >= acknowledgedAtEnd + 10 }
        let log = await writer.stop()
        let timeline = EnsembleTimeline(samples: await poller.stop())
        let lost = try await writer.lost(log, addresses: try await bench.serviceAddresses(name))
        try await bench.delete(name)

        var steps: [Step] = []
        var start = grow
        for ordinal in from..<to {
            let member = "\(name)-\(ordinal)"
            guard let times = timeline.startToServing(member, after: start),
                  // A voter of a configuration of at least `ordinal + 1` (not "the ensemble is
                  // stable with exactly that many": Keeper grows the StatefulSet for the next
                  // member at once, and its pod starting kept the poll from seeing that state).
                  let stable = timeline.first(after: times.serving, { sample in
                      sample.isInSync(member) && (sample.quorumSize ?? 0) >= ordinal + 1
                  })
            else { throw BenchmarkError.timedOut("the poll saw \(member) added") }
            let window = start...stable.at
            steps.append(Step(label: "add \(member) (\(ordinal) -> \(ordinal + 1) voters)", toStable: stable.at - times.appeared, own: times.serving - times.appeared,
                              elections: timeline.elections(in: window), leaderChanges: timeline.leaderChanges(in: window),
                              failed: log.failed(in: window), longestOutage: log.longestOutage(in: window)))
            start = stable.at
        }
        start = shrink
        for ordinal in ((from > 1 ? from - 1 : from)..<to).reversed() {
            if ordinal == from - 1 { start = shrinkFurther }
            let member = "\(name)-\(ordinal)"
            let leader = timeline.samples.last { $0.at <= start && $0.leader != nil }?.leader
            // Its pod gone and a configuration without it (the next removal may already have
            // shrunk it further: Keeper goes on as soon as it sees this, often within one poll)
            // all in sync.
            guard let stable = timeline.first(after: start, { sample in
                sample.members[member] == nil && sample.configurationInSync && (sample.quorumSize ?? .max) <= ordinal
            })
            else { throw BenchmarkError.timedOut("the poll saw \(member) removed") }
            let window = start...stable.at
            steps.append(Step(label: "remove \(member)\(leader == member ? " (the leader)" : "") (\(ordinal + 1) -> \(ordinal) voters)",
                              toStable: stable.at - start, own: nil,
                              elections: timeline.elections(in: window), leaderChanges: timeline.leaderChanges(in: window),
                              failed: log.failed(in: window), longestOutage: log.longestOutage(in: window)))
            start = stable.at
        }
        return (steps, log.acknowledged.count, lost)
    }

    static func table(from: Int, to: Int, steps: [Step], acknowledged: Int, lost: Int) -> String {
        func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
        var lines = ["\(from) -> \(to) -> \(from)\(from > 1 ? " -> \(from - 1)" : "") with a client writing: \(acknowledged) writes acknowledged, \(lost) lost"]
        lines.append("  " + pad("step", 44) + pad("to stable", 11) + pad("own", 10) + pad("ratio", 7) + pad("elections", 11)
                     + pad("leader chg", 12) + pad("failed", 8) + "longest outage")
        for step in steps {
            let ratio = step.own.map { String(format: "%.2f", secondsValue(step.toStable) / max(0.001, secondsValue($0))) } ?? "-"
            lines.append("  " + pad(step.label, 44) + pad(seconds(step.toStable), 11) + pad(step.own.map(seconds) ?? "-", 10) + pad(ratio, 7)
                         + pad("\(step.elections)", 11) + pad("\(step.leaderChanges)", 12) + pad("\(step.failed)", 8) + seconds(step.longestOutage))
        }
        lines.append("  targets: adding costs no election and no failed write, each added member stable within 1.2x its own time;"
                     + " removing the leader costs one hand-off")
        lines.append("  (to stable: an added member from its pod appearing, a removed one from the previous step's end;"
                     + " own: the added member's pod appearing to serving)")
        return lines.joined(separator: "\n")
    }
}
