import Foundation
import KubeSim

/// The summary table of `keeper-bench operator` and the verdict on each of issue 3's targets.
struct OperatorReport {
    var runs: [OperatorRunFigures]
    var replays: [Int: ReplayFigures]
    var baselineKB: Int?
    var minimumWrites: Int

    /// Idle RSS may exceed the bare URLSession program by this much.
    static let idleAllowanceKB = 10 * 1024
    /// Peak RSS with 1000 clusters must stay under this.
    static let thousandClustersLimitKB = 80 * 1024
    /// Keeper may take this many times the plain replay's time.
    static let replayRatioLimit = 1.5

    func print() {
        Swift.print("clusters | children (s) | replay (s) | ratio | Keeper writes/cluster (min \(minimumWrites)) | reads/cluster | idle req/min | idle writes/min | watches | peak RSS (MB)")
        Swift.print(String(repeating: "-", count: 150))
        for run in runs {
            let replay = replays[run.clusters]
            let perCluster = Double(run.convergence.writes) / Double(run.clusters)
            let reads = Double(run.convergence.get + run.convergence.list + run.convergence.watch) / Double(run.clusters)
            let minutes = max(run.idleSeconds, 1) / 60
            let idleRequests = Double(run.idle.writes + run.idle.get + run.idle.list + run.idle.watch) / minutes
            let idleWrites = Double(run.idle.writes) / minutes
            let columns: [String] = [
                pad(String(run.clusters), 8),
                pad(String(format: "%.3f", run.childrenSeconds), 11),
                pad(replay.map { String(format: "%.3f", $0.childrenSeconds) } ?? "-", 10),
                pad(replay.map { String(format: "%.2fx", run.childrenSeconds / max($0.childrenSeconds, 1e-9)) } ?? "-", 5),
                pad(String(format: "%.2f (c %.2f p %.2f u %.2f)", perCluster, Double(run.convergence.create) / Double(run.clusters),
                           Double(run.convergence.patch) / Double(run.clusters), Double(run.convergence.update) / Double(run.clusters)), 38),
                pad(String(format: "%.3f", reads), 13),
                pad(String(format: "%.1f", idleRequests), 12),
                pad(String(format: "%.1f", idleWrites), 15),
                pad(String(run.openWatches), 7),
                run.memory.map { OperatorBenchmark.mb($0.peakKB) } ?? "-",
            ]
            Swift.print(columns.joined(separator: " | "))
        }
        Swift.print("")
        Swift.print("minimum writes per new cluster: \(minimumWrites) = 5 child creates (no batch create in the API) + 1 status write (a subresource of its own);")
        Swift.print("  reads per cluster: 0 (informers list and watch per resource, not per cluster: 6 lists + 6 watches in all)")
        Swift.print("")
        targets()
    }

    private func targets() {
        for run in runs {
            let met = run.convergence.writes == minimumWrites * run.clusters
            verdict("writes per new cluster = \(minimumWrites) with \(run.clusters) cluster(s)",
                    met: met, detail: String(format: "%.2f", Double(run.convergence.writes) / Double(run.clusters)))
        }
        for run in runs {
            let perMinute = Double(run.idle.writes) / (max(run.idleSeconds, 1) / 60)
            verdict("zero writes per minute when idle with \(run.clusters) cluster(s)", met: run.idle.writes == 0, detail: String(format: "%.1f/min", perMinute))
        }
        if let largest = runs.max(by: { $0.clusters < $1.clusters }), let replay = replays[largest.clusters] {
            let ratio = largest.childrenSeconds / max(replay.childrenSeconds, 1e-9)
            verdict("\(largest.clusters) clusters' children within \(Self.replayRatioLimit)x of the plain replay", met: ratio <= Self.replayRatioLimit,
                    detail: String(format: "%.2fx (%.3f s vs %.3f s)", ratio, largest.childrenSeconds, replay.childrenSeconds))
        }
        guard runs.allSatisfy(\.subprocess) else {
            Swift.print("  RSS targets: not judged (the operator ran in this process; build `keeper` for a subprocess run)")
            return
        }
        // "Idle" is an operator with next to nothing to manage: judged on a 1-cluster run only.
        if let smallest = runs.first(where: { $0.clusters == 1 }), let memory = smallest.memory, let baselineKB {
            verdict("idle RSS within 10 MB of a bare Foundation + URLSession program (\(smallest.clusters) cluster(s))",
                    met: memory.peakKB - baselineKB <= Self.idleAllowanceKB,
                    detail: "peak \(OperatorBenchmark.mb(memory.peakKB)) MB vs \(OperatorBenchmark.mb(baselineKB)) MB: +\(OperatorBenchmark.mb(memory.peakKB - baselineKB)) MB")
        }
        if let thousand = runs.first(where: { $0.clusters >= 1000 }), let memory = thousand.memory {
            verdict("peak RSS under 80 MB with \(thousand.clusters) clusters", met: memory.peakKB < Self.thousandClustersLimitKB,
                    detail: "\(OperatorBenchmark.mb(memory.peakKB)) MB")
        }
    }

    private func verdict(_ target: String, met: Bool, detail: String) {
        Swift.print("  [\(met ? "met" : "NOT MET")] \(target): \(detail)")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
