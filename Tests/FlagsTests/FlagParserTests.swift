import Testing
@testable import Flags

@Suite struct FlagParserTests {
    private func parser() -> FlagParser {
        var parser = FlagParser(command: "tool run", summary: "Runs things.")
        parser.option("port", valueName: "PORT", default: "0", help: "port to listen on")
        parser.option("label", repeatable: true, help: "a label")
        parser.option("name", help: "a name")
        parser.flag("verbose", help: "say more")
        return parser
    }

    @Test func readsSpaceAndEqualsForms() throws {
        let flags = try parser().parse(["--port", "8080", "--name=zk", "--verbose"])
        #expect(try flags.int("port") == 8080)
        #expect(flags.string("name") == "zk")
        #expect(flags.bool("verbose"))
    }

    @Test func appliesDefaultsAndLeavesBooleansFalse() throws {
        let flags = try parser().parse([])
        #expect(flags.string("port") == "0")
        #expect(flags.string("name") == nil)
        #expect(!flags.bool("verbose"))
        #expect(!flags.isSet("port"))
    }

    @Test func collectsRepeatableFlagsInOrder() throws {
        let flags = try parser().parse(["--label", "a=1", "--label=b=2"])
        #expect(flags.strings("label") == ["a=1", "b=2"])
    }

    @Test func explicitBooleanValues() throws {
        #expect(!(try parser().parse(["--verbose=false"]).bool("verbose")))
        #expect(throws: FlagError.invalidValue(flag: "verbose", value: "maybe", expected: "true or false")) {
            try parser().parse(["--verbose=maybe"])
        }
    }

    @Test func reportsClearErrors() {
        #expect(throws: FlagError.unknownFlag("bogus")) { try parser().parse(["--bogus"]) }
        #expect(throws: FlagError.missingValue("name")) { try parser().parse(["--name"]) }
        #expect(throws: FlagError.duplicate("name")) { try parser().parse(["--name", "a", "--name", "b"]) }
        #expect(throws: FlagError.unexpectedArgument("stray")) { try parser().parse(["stray"]) }
        #expect(throws: FlagError.helpRequested) { try parser().parse(["-h"]) }
        #expect(FlagError.unknownFlag("bogus").description == "unknown flag: --bogus")
    }

    @Test func rejectsNonIntegers() throws {
        let flags = try parser().parse(["--port", "eighty"])
        #expect(throws: FlagError.invalidValue(flag: "port", value: "eighty", expected: "an integer")) { try flags.int("port") }
    }

    @Test func positionalArgumentsWhenAllowed() throws {
        var parser = parser()
        parser.positional("file")
        let flags = try parser.parse(["a.yaml", "--verbose", "--", "--not-a-flag"])
        #expect(flags.positional == ["a.yaml", "--not-a-flag"])
        #expect(flags.bool("verbose"))
    }

    @Test func usageListsEveryFlag() {
        let usage = parser().usage
        #expect(usage.hasPrefix("Usage: tool run [flags]\n\nRuns things.\n"))
        #expect(usage.contains("--port PORT"))
        #expect(usage.contains("port to listen on (default 0)"))
        #expect(usage.contains("a label (repeatable)"))
        #expect(usage.contains("-h, --help"))
    }

    @Test func subcommandsSelectByFirstArgument() throws {
        let program = Subcommands(program: "kube-sim", summary: "Sim.", commands: [.init(name: "apiserver", summary: "API server"), .init(name: "up", summary: "everything")])
        let (command, rest) = try program.select(["apiserver", "--port", "1"])
        #expect(command == "apiserver")
        #expect(rest == ["--port", "1"])
        #expect(throws: FlagError.unknownCommand("nope")) { try program.select(["nope"]) }
        #expect(throws: FlagError.missingCommand) { try program.select([]) }
        #expect(program.usage.contains("  apiserver  API server\n"))
    }
}
