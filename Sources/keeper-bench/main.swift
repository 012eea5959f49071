import Flags
import Foundation

/// keeper-bench: baselines for later work. Each subcommand measures one part and prints figures.
let program = Subcommands(program: "keeper-bench", summary: "Benchmarks for Keeper and kube-sim.", commands: [
    .init(name: "apiserver", summary: "kube-sim API server: request throughput and watch fan-out latency"),
    .init(name: "client", summary: "KubeClient per-request overhead against raw URLSession"),
    .init(name: "operator", summary: "Keeper with 1, 100 and 1000 clusters: time to children, requests, idle writes, RSS"),
    .init(name: "cache-memory", summary: "heap bytes Keeper's informer caches hold per object, kind by kind"),
    .init(name: "e2e", summary: "apply to Available for 3 and 5 members, and Keeper's CPU time (root, ZooKeeper, Java)"),
    .init(name: "rollout", summary: "Keeper's rolling restart against a StatefulSet RollingUpdate, with a client writing (root, ZooKeeper, Java)"),
    .init(name: "scale", summary: "3 -> 5 -> 3 -> 2 one member at a time, with a client writing (root, ZooKeeper, Java)"),
    .init(name: "leader-turn", summary: "the leader's restart: plain against hand-off by reconfig first (root, ZooKeeper, Java)"),
])

let command: String
let arguments: [String]
do {
    (command, arguments) = try program.select(Array(CommandLine.arguments.dropFirst()))
} catch .helpRequested {
    print(program.usage, terminator: "")
    exit(0)
} catch {
    print("keeper-bench: \(error.description)\n\n\(program.usage)")
    exit(2)
}

do {
    switch command {
    case "apiserver": await APIServerBenchmark.run(arguments)
    case "client": try await ClientBenchmark.run(arguments: arguments)
    case "operator": try await OperatorBenchmark.run(arguments: arguments)
    case "cache-memory": try await CacheMemoryBenchmark.run(arguments: arguments)
    case "e2e": try await EndToEndBenchmark.run(arguments: arguments)
    case "rollout": try await RolloutBenchmark.run(arguments: arguments)
    case "scale": try await ScaleBenchmark.run(arguments: arguments)
    case "leader-turn": try await LeaderTurnBenchmark.run(arguments: arguments)
    default: break
    }
} catch {
    print("keeper-bench \(command): \(error)")
    exit(1)
}
