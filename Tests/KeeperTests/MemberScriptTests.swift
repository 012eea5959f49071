import Foundation
import Testing
@testable import Keeper

/// Runs the start script with bash in a temporary directory, with a fake `zkServer.sh`
/// that records what it would have started.
@Suite struct MemberScriptTests {
    struct Sandbox {
        let root: URL
        var template: URL { root.appendingPathComponent("keeper") }
        var data: URL { root.appendingPathComponent("data") }
        var imageConf: URL { root.appendingPathComponent("conf") }
        var bin: URL { root.appendingPathComponent("bin") }

        init(zooCfg: String = ConfigMapBuilder.staticConfig(ResolvedSpec(ZookeeperClusterSpec()))) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("keeper-script-\(UUID().uuidString)")
            for directory in [template, data, imageConf, bin] {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            }
            try zooCfg.write(to: template.appendingPathComponent("zoo.cfg"), atomically: true, encoding: .utf8)
            try ConfigMapBuilder.initialMembership(names: ClusterNames(cluster: "zk", namespace: "default"), replicas: 3, clusterDomain: "cluster.local")
                .write(to: template.appendingPathComponent("zoo.cfg.dynamic"), atomically: true, encoding: .utf8)
            try MemberScripts.start.write(to: template.appendingPathComponent("start.sh"), atomically: true, encoding: .utf8)
            try "<configuration/>\n".write(to: imageConf.appendingPathComponent("logback.xml"), atomically: true, encoding: .utf8)
            try "image default\n".write(to: imageConf.appendingPathComponent("zoo.cfg"), atomically: true, encoding: .utf8)
            // The fake server records its arguments and the config directory it was given.
            let fake = "#!/usr/bin/env bash\necho \"$@\" > \"$ZOOCFGDIR/../started-with\"\necho \"$ZOOCFGDIR\" >> \"$ZOOCFGDIR/../started-with\"\n"
            let fakeURL = bin.appendingPathComponent("zkServer.sh")
            try fake.write(to: fakeURL, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fakeURL.path)
        }

        func run(podName: String) throws -> (status: Int32, stderr: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [template.appendingPathComponent("start.sh").path]
            process.environment = [
                "PATH": "\(bin.path):/usr/bin:/bin",
                "POD_NAME": podName,
                "KEEPER_TEMPLATE_DIR": template.path,
                "ZOO_DATA_DIR": data.path,
                "ZOO_CONF_DIR": imageConf.path,
            ]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return (process.terminationStatus, stderr)
        }

        func read(_ path: String) throws -> String {
            try String(contentsOf: data.appendingPathComponent(path), encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    @Test func firstStartWritesMyidConfigAndSeedsMembership() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let result = try sandbox.run(podName: "zk-2")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try sandbox.read("myid") == "3\n")
        let zooCfg = try sandbox.read("conf/zoo.cfg")
        #expect(zooCfg.hasPrefix(ConfigMapBuilder.staticConfig(ResolvedSpec(ZookeeperClusterSpec()))))
        #expect(zooCfg.hasSuffix("dataDir=\(sandbox.data.path)\ndynamicConfigFile=\(sandbox.data.path)/conf/zoo.cfg.dynamic\n"))
        #expect(try sandbox.read("conf/zoo.cfg.dynamic").hasPrefix("server.1=zk-0.zk-headless"))
        #expect(try sandbox.read("conf/logback.xml") == "<configuration/>\n")
        #expect(try sandbox.read("started-with") == "start-foreground\n\(sandbox.data.path)/conf\n")
    }

    @Test func restartRewritesStaticSettingsButKeepsTheMembershipZooKeeperWrote() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        #expect(try sandbox.run(podName: "zk-0").status == 0)
        // ZooKeeper reconfigures: a new dynamic file, and zoo.cfg points at it.
        let reconfigured = sandbox.data.appendingPathComponent("conf/zoo.cfg.dynamic.100000003")
        try "server.1=a:2888:3888:participant;a:2181\n".write(to: reconfigured, atomically: true, encoding: .utf8)
        var zooCfg = try sandbox.read("conf/zoo.cfg")
        zooCfg = zooCfg.replacingOccurrences(of: "dynamicConfigFile=\(sandbox.data.path)/conf/zoo.cfg.dynamic\n", with: "dynamicConfigFile=\(reconfigured.path)\n")
        try zooCfg.write(to: sandbox.data.appendingPathComponent("conf/zoo.cfg"), atomically: true, encoding: .utf8)
        // The user changes tickTime: the ConfigMap's zoo.cfg changes.
        let changed = ConfigMapBuilder.staticConfig(ResolvedSpec(ZookeeperClusterSpec(config: ["tickTime": "4000"])))
        try changed.write(to: sandbox.template.appendingPathComponent("zoo.cfg"), atomically: true, encoding: .utf8)

        #expect(try sandbox.run(podName: "zk-0").status == 0)
        let restarted = try sandbox.read("conf/zoo.cfg")
        #expect(restarted.contains("tickTime=4000\n"))
        #expect(!restarted.contains("tickTime=2000\n"))
        #expect(restarted.hasSuffix("dynamicConfigFile=\(reconfigured.path)\n"))
        #expect(restarted.components(separatedBy: "dynamicConfigFile=").count == 2)
    }

    @Test func aMissingMembershipFileIsSeededAgain() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        #expect(try sandbox.run(podName: "zk-1").status == 0)
        try FileManager.default.removeItem(at: sandbox.data.appendingPathComponent("conf/zoo.cfg.dynamic"))
        #expect(try sandbox.run(podName: "zk-1").status == 0)
        #expect(try sandbox.read("conf/zoo.cfg.dynamic").hasPrefix("server.1="))
        #expect(try sandbox.read("myid") == "2\n")
    }

    @Test func aPodNameWithoutOrdinalFails() throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let result = try sandbox.run(podName: "zookeeper")
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot derive the member id"))
    }

    @Test func probeScriptsJudgeTheAnswers() throws {
        // A fake nc prints canned answers, so the scripts' decisions are tested without ZooKeeper.
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("keeper-probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try MemberScripts.ready.write(to: root.appendingPathComponent("ready.sh"), atomically: true, encoding: .utf8)
        try MemberScripts.live.write(to: root.appendingPathComponent("live.sh"), atomically: true, encoding: .utf8)
        func run(_ script: String, answer: String) throws -> Int32 {
            let nc = root.appendingPathComponent("nc")
            try "#!/usr/bin/env bash\ncat > /dev/null\nprintf '%s' \"$FAKE_ANSWER\"\n".write(to: nc, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: nc.path)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [root.appendingPathComponent(script).path]
            process.environment = ["PATH": "\(root.path):/usr/bin:/bin", "FAKE_ANSWER": answer]
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        #expect(try run("ready.sh", answer: "Zookeeper version: 3.9.4\nLatency min/avg/max: 0/0.0/0\nMode: follower\nNode count: 5\n") == 0)
        #expect(try run("ready.sh", answer: "This ZooKeeper instance is not currently serving requests\n") == 1)
        #expect(try run("ready.sh", answer: "") == 1)
        // Not serving at the first ask, serving at the next: one probe run waits for it (so
        // Ready follows serving at once), asking nc again rather than failing.
        let calls = root.appendingPathComponent("calls")
        try "#!/usr/bin/env bash\ncat > /dev/null\necho x >> \"$CALLS\"\nif [ $(wc -l < \"$CALLS\") -ge 2 ]; then printf 'Mode: follower\\n'; else printf 'This ZooKeeper instance is not currently serving requests\\n'; fi\n"
            .write(to: root.appendingPathComponent("nc"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root.appendingPathComponent("nc").path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [root.appendingPathComponent("ready.sh").path]
        process.environment = ["PATH": "\(root.path):/usr/bin:/bin", "CALLS": calls.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try String(contentsOf: calls, encoding: .utf8).split(separator: "\n").count == 2)
        #expect(try run("live.sh", answer: "imok") == 0)
        #expect(try run("live.sh", answer: "") == 1)
    }
}
