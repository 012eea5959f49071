import Foundation

// keeper-bench SUBCOMMAND [options]: benchmarks that give later work a baseline.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "client":
    try await ClientBenchmark.run(arguments: Array(arguments.dropFirst()))
case "e2e":
    try await EndToEndBenchmark.run(arguments: Array(arguments.dropFirst()))
default:
    print("usage: keeper-bench client [--requests N]\n       keeper-bench e2e [--sizes 3,5]   (root, ZooKeeper, Java; uses the keeper binary beside it)")
}
