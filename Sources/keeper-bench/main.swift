import Foundation

// keeper-bench SUBCOMMAND [options]: benchmarks that give later work a baseline.
let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "client":
    try await ClientBenchmark.run(arguments: Array(arguments.dropFirst()))
case "operator":
    do {
        try await OperatorBenchmark.run(arguments: Array(arguments.dropFirst()))
    } catch {
        FileHandle.standardError.write(Data("keeper-bench operator: \(error)\n".utf8))
        exit(1)
    }
default:
    print("usage: keeper-bench client [--requests N]")
    print(OperatorBenchmark.usage)
}
