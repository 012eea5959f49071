/// A program with subcommands (`kube-sim apiserver ...`): picks the subcommand from the
/// first argument and writes the top-level usage.
public struct Subcommands: Sendable {
    public struct Command: Sendable {
        public var name: String
        public var summary: String
        public init(name: String, summary: String) {
            self.name = name
            self.summary = summary
        }
    }

    public let program: String
    public let summary: String
    public let commands: [Command]

    public init(program: String, summary: String, commands: [Command]) {
        self.program = program
        self.summary = summary
        self.commands = commands
    }

    /// The chosen command's name and the arguments after it.
    public func select(_ arguments: [String]) throws(FlagError) -> (command: String, arguments: [String]) {
        guard let first = arguments.first else { throw .missingCommand }
        if first == "-h" || first == "--help" || first == "help" { throw .helpRequested }
        guard commands.contains(where: { $0.name == first }) else { throw .unknownCommand(first) }
        return (first, Array(arguments.dropFirst()))
    }

    public var usage: String {
        var text = "Usage: \(program) <command> [flags]\n\n\(summary)\n\nCommands:\n"
        let width = commands.map(\.name.count).max() ?? 0
        for command in commands {
            text += "  \(command.name)" + String(repeating: " ", count: width - command.name.count + 2) + command.summary + "\n"
        }
        text += "\nRun '\(program) <command> --help' for a command's flags.\n"
        return text
    }
}
