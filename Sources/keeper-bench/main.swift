import Flags
import Foundation

/// keeper-bench: baselines for later work. Each subcommand measures one part and prints figures.
let program = Subcommands(program: "keeper-bench", summary: "Benchmarks for Keeper and kube-sim.", commands: [
    .init(name: "apiserver", summary: "kube-sim API server: request throughput and watch fan-out latency"),
    .init(name: "client", summary: "KubeClient per-request overhead against raw URLSession"),
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
    default: break
    }
} catch {
    print("keeper-bench \(command): \(error)")
    exit(1)
}
