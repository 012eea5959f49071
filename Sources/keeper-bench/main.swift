import Foundation

// keeper-bench SUBCOMMAND [options]: benchmarks that give later work a baseline.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "client":
    try await ClientBenchmark.run(arguments: Array(arguments.dropFirst()))
default:
    print("usage: keeper-bench client [--requests N]")
}
