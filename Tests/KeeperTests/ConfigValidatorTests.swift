import Testing
@testable import Keeper

@Suite struct ConfigValidatorTests {
    /// One zoo.cfg setting and the start of the message Keeper answers with (nil: accepted).
    struct Row: CustomStringConvertible, Sendable {
        var config: [String: String]
        var refusal: String?
        var description: String { "\(config)" }
    }

    static let rows: [Row] = [
        Row(config: ["skipACL": "yes"], refusal: "spec.config: key \"skipACL\" is refused: ZooKeeper turns it into the system property zookeeper.skipACL"),
        Row(config: ["zookeeper.skipACL": "yes"], refusal: "spec.config: key \"zookeeper.skipACL\" is the system-property form of \"skipACL\", which is refused"),
        Row(config: ["zookeeper.4lw.commands.whitelist": "*"], refusal: "spec.config: key \"zookeeper.4lw.commands.whitelist\" is the system-property form of \"4lw.commands.whitelist\""),
        Row(config: ["zookeeper.dataDir": "/tmp"], refusal: "spec.config: key \"zookeeper.dataDir\" is the system-property form of \"dataDir\""),
        Row(config: ["zookeeper.server.9": "evil:1:2"], refusal: "spec.config: key \"zookeeper.server.9\" is the system-property form of \"server.9\""),
        Row(config: ["a:b": "1"], refusal: "spec.config: key \"a:b\" is not a valid zoo.cfg key"),
        Row(config: ["!x": "1"], refusal: "spec.config: key \"!x\" is not a valid zoo.cfg key"),
        Row(config: ["jute.maxbuffer": "4194304\\"], refusal: "spec.config: value of \"jute.maxbuffer\" contains a backslash"),
        Row(config: ["tickTime": "0"], refusal: "spec.config: \"tickTime\" must be at least 1, not 0"),
        Row(config: ["initLimit": "-1"], refusal: "spec.config: \"initLimit\" must be at least 1, not -1"),
        Row(config: ["syncLimit": "0"], refusal: "spec.config: \"syncLimit\" must be at least 1, not 0"),
        Row(config: ["maxClientCnxns": "3000000000"], refusal: "spec.config: \"maxClientCnxns\" must be a whole number (a Java int), not \"3000000000\""),
        Row(config: ["tickTime": "300000000"], refusal: "spec.config: tickTime × initLimit (300000000 × 10 ms) exceeds 2147483647"),
        Row(config: ["minSessionTimeout": "60000"], refusal: "spec.config: minSessionTimeout (60000 ms) is larger than maxSessionTimeout (40000 ms)"),
        Row(config: ["secureClientPort": "70000"], refusal: "spec.config: \"secureClientPort\" must be a port between 1 and 65535, not 70000"),
        Row(config: ["admin.serverPort": "2181"], refusal: "spec.config: \"admin.serverPort\" is 2181, a port members already listen on"),
        Row(config: ["observerMasterPort": "3888"], refusal: "spec.config: \"observerMasterPort\" is 3888, a port members already listen on"),
        Row(config: ["syncEnabled": "yes"], refusal: "spec.config: \"syncEnabled\" must be true or false, not \"yes\""),
        Row(config: ["electionAlg": "1"], refusal: "spec.config: \"electionAlg\" must be 3"),
        // Accepted: what ZooKeeper runs with.
        Row(config: ["syncEnabled": "TRUE", "electionAlg": "3", "admin.serverPort": "9090", "tickTime": "3000", "initLimit": "20",
                     "minSessionTimeout": "4000", "maxSessionTimeout": "120000", "jute.maxbuffer": "4194304", "zookeeper.foo": "x"], refusal: nil),
    ]

    @Test(arguments: rows) func eachSettingIsJudgedAsZooKeeperReadsIt(_ row: Row) {
        let problems = ConfigValidator.validate(row.config)
        if let refusal = row.refusal {
            #expect(problems.count == 1, "\(problems)")
            #expect(problems.first?.hasPrefix(refusal) == true, "\(problems)")
        } else {
            #expect(problems == [])
        }
    }

    @Test func theSkipACLRefusalSaysWhy() {
        #expect(ConfigValidator.validate(["skipACL": "yes"]) == [
            "spec.config: key \"skipACL\" is refused: ZooKeeper turns it into the system property zookeeper.skipACL, which switches off every ACL check (ZooKeeperServer), including the one that keeps reconfig to Keeper",
        ])
    }
}
