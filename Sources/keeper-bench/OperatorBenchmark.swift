import Foundation
import KubeSim
#if canImport(Glibc)
import Glibc
#endif

/// `keeper-bench operator`: the figures of issue 3's benchmark. For each cluster count, on a
/// fresh in-process kube-sim: time from creating the ZookeeperClusters to all their children
/// existing, Keeper's API requests per cluster against the minimum, requests while idle, open
/// watches, and Keeper's peak RSS; then a plain replay of the same requests for comparison,
/// and the RSS of a bare Foundation + URLSession program.
enum OperatorBenchmark {
    struct Options {
        var clusterCounts = [1, 100, 1000]
        var idleSeconds = 60
        var resyncSeconds = 10
        var concurrency = 4
        var keeperPath: String? = OperatorUnderTest.siblingKeeper()
        var replay = true
    }

    static let usage = """
        usage: keeper-bench operator [--clusters 1,100,1000] [--idle-seconds 60] [--resync 10]
                                     [--concurrency 4] [--keeper PATH | --in-process] [--no-replay]
        Runs `keeper` (by default the one built next to keeper-bench) against an in-process kube-sim.
        """

    /// The fewest writes Keeper can make for one new cluster: five creates (one per child;
    /// the API has no batch create) and one status write (status is a subresource, so it cannot
    /// ride along with any other write). Reads cost nothing per cluster: the informers' lists
    /// and watches are per resource, not per cluster.
    static let minimumWritesPerCluster = 6

    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = rest.popFirst() else { throw BenchmarkError.usage("\(flag) needs a value\n\(usage)") }
            return next
        }
        func number(_ flag: String) throws -> Int {
            guard let number = Int(try value(flag)), number >= 0 else { throw BenchmarkError.usage("\(flag) needs a number\n\(usage)") }
            return number
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--clusters":
                let counts = try value(argument).split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
                guard !counts.isEmpty else { throw BenchmarkError.usage("--clusters needs counts like 1,100,1000\n\(usage)") }
                options.clusterCounts = counts
            case "--idle-seconds": options.idleSeconds = try number(argument)
            case "--resync": options.resyncSeconds = max(1, try number(argument))
            case "--concurrency": options.concurrency = max(1, try number(argument))
            case "--keeper": options.keeperPath = try value(argument)
            case "--in-process": options.keeperPath = nil
            case "--no-replay": options.replay = false
            default: throw BenchmarkError.usage("unknown argument \(argument)\n\(usage)")
            }
        }
        return options
    }

    static func run(arguments: [String]) async throws {
        let options = try parse(arguments)
        let mode = options.keeperPath.map { "keeper subprocess (\($0))" } ?? "KeeperOperator in this process (RSS includes kube-sim and the benchmark)"
        print("keeper-bench operator: \(mode)")
        print("  concurrency \(options.concurrency), resync \(options.resyncSeconds) s, idle window \(options.idleSeconds) s, clusters \(options.clusterCounts.map(String.init).joined(separator: ", "))")
        let baseline = try baselinePeakKB()
        if let baseline { print("  bare Foundation + URLSession program (bench-rss-baseline): peak RSS \(mb(baseline)) MB") }

        var runs: [OperatorRunFigures] = []
        var replays: [Int: ReplayFigures] = [:]
        for count in options.clusterCounts {
            print("  measuring \(count) cluster(s)...")
            fflush(nil)  // stdout is block-buffered into files: show progress as it goes
            let figures: OperatorRunFigures
            do {
                figures = try await OperatorRun.measureOperator(clusters: count, keeperPath: options.keeperPath, concurrency: options.concurrency,
                                                                resyncSeconds: options.resyncSeconds, idleSeconds: options.idleSeconds)
            } catch {
                print("    \(count) cluster(s): \(error); not in the table")
                continue
            }
            runs.append(figures)
            printRun(figures)
            fflush(nil)
            if options.replay {
                let replay = try await OperatorRun.measureReplay(clusters: count, concurrency: options.concurrency)
                replays[count] = replay
                print(String(format: "    replay: children %.3f s, all requests %.3f s; requests %@", replay.childrenSeconds, replay.totalSeconds, describe(replay.requests)))
                fflush(nil)
            }
        }
        print("")
        OperatorReport(runs: runs, replays: replays, baselineKB: baseline, minimumWrites: minimumWritesPerCluster).print()
    }

    static func printRun(_ run: OperatorRunFigures) {
        print(String(format: "    operator: children %.3f s; Keeper's requests until settled: %@", run.childrenSeconds, describe(run.convergence)))
        print(String(format: "    idle %.0f s: %@; open watches %d", run.idleSeconds, describe(run.idle), run.openWatches))
        if let cpu = run.idleCPUSeconds {
            print(String(format: "    Keeper CPU while idle: %.2f s in %.0f s (%.1f%% of a core)", cpu, run.idleSeconds, 100 * cpu / max(run.idleSeconds, 1)))
        }
        if let memory = run.memory { print("    Keeper RSS: peak \(mb(memory.peakKB)) MB, now \(mb(memory.currentKB)) MB") }
    }

    static func describe(_ counts: RequestCounts) -> String {
        let verbs = [("get", counts.get), ("list", counts.list), ("watch", counts.watch), ("create", counts.create), ("update", counts.update),
                     ("patch", counts.patch), ("delete", counts.delete), ("deletecollection", counts.deletecollection)]
        let nonZero = verbs.filter { $0.1 != 0 }.map { "\($0.0) \($0.1)" }
        return nonZero.isEmpty ? "no requests" : nonZero.joined(separator: ", ") + " (writes \(counts.writes))"
    }

    static func mb(_ kilobytes: Int) -> String { String(format: "%.1f", Double(kilobytes) / 1024) }

    /// Peak RSS of `bench-rss-baseline` after one GET to a fresh kube-sim.
    static func baselinePeakKB() throws -> Int? {
        guard let path = OperatorUnderTest.siblingBaseline() else {
            print("  (bench-rss-baseline not built: `swift build -c release --product bench-rss-baseline` for the RSS comparison)")
            return nil
        }
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        return try OperatorUnderTest.baselinePeakKB(path: path, url: server.baseURL.appendingPathComponent("api/v1/namespaces/default/configmaps"), token: server.adminToken)
    }
}
