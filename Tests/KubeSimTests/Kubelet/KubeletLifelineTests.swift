import Foundation
import Testing
@testable import KubeSim
#if canImport(Glibc)
import Glibc
#endif

/// The parent-death guard: what `ProcessSpawner` starts dies with the process that holds the
/// lifeline's write end, and only then. Each test uses a lifeline of its own, not the test
/// process's, so that its "kubelet" can die while the test runs.
@Suite(.enabled(if: KubeletLifeline.process != nil || RuntimeTestSupport.isCI, "needs /usr/bin/setpriv and /bin/sh (CI=true runs it anyway, to fail)"))
struct KubeletLifelineTests {
    /// One line of `/proc/<pid>/stat`, as much as these tests need.
    struct ProcStat: Equatable, CustomStringConvertible {
        var pid: pid_t
        var state: Substring
        var parent: pid_t
        var group: pid_t
        var session: pid_t
        var startTime: UInt64

        init?(pid: pid_t) {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = text.lastIndex(of: ")") else { return nil }
            let fields = text[text.index(after: close)...].split(separator: " ")
            guard fields.count > 19, let parent = pid_t(fields[1]), let group = pid_t(fields[2]), let session = pid_t(fields[3]),
                  let startTime = UInt64(fields[19]) else { return nil }
            self.pid = pid
            self.state = fields[0]
            self.parent = parent
            self.group = group
            self.session = session
            self.startTime = startTime
        }

        static func all() -> [ProcStat] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap { pid_t($0).flatMap(ProcStat.init(pid:)) }.filter { $0.state != "Z" }
        }

        var command: String {
            let data = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
            return String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
        }

        var mountNamespace: String? { ProcessSpawner.mountNamespace(of: pid) }

        /// Still this process (not a reused pid), and not a zombie.
        var isRunning: Bool {
            guard let now = ProcStat(pid: pid) else { return false }
            return now.startTime == startTime && now.state != "Z"
        }

        var description: String { "\(pid) [\(state) sid \(session) pgid \(group)] \(command)" }
    }

    static let environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]

    /// Starts `/bin/sleep 300` holding `descriptor` as its fd 3: a stand-in for the kubelet's
    /// process, which the test can SIGKILL.
    static func spawnHolder(of descriptor: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_adddup2(&actions, descriptor, 3)
        let argv = ["/bin/sleep", "300"]
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var cEnv = environment.map { strdup($0) } + [nil]
        defer { cEnv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, nil, &cArgs, &cEnv)
        try #require(result == 0, "posix_spawn: \(result)")
        return pid
    }

    /// The live processes of `session`.
    static func members(ofSession session: pid_t) -> [ProcStat] {
        ProcStat.all().filter { $0.session == session }
    }

    static func isWatchdog(_ process: ProcStat) -> Bool {
        process.command.contains("kube-sim-lifeline")
    }

    /// Kills whatever of `processes` still runs (a failed test must not leave a tree behind).
    static func killAll(_ processes: [ProcStat]) {
        for process in processes where process.isRunning { kill(process.pid, SIGKILL) }
    }

    @Test func theCommandKeepsThePidAndItsExitStatusAndTheWatchdogEndsWithIt() async throws {
        let lifeline = try #require(KubeletLifeline())
        defer { lifeline.cut() }
        let exiting = try ProcessSpawner.spawn(argv: ["/bin/sh", "-c", "exit 3"], environment: Self.environment,
                                               outputPath: nil, lifeline: lifeline)
        #expect(await ProcessSpawner.waitForExit(exiting) == .exited(3))
        try await RuntimeTestSupport.eventually(timeout: .seconds(10), "nothing of the ended command's session is left") {
            Self.members(ofSession: exiting).isEmpty
        }

        let sleeper = try ProcessSpawner.spawn(argv: ["/bin/sleep", "300"], environment: Self.environment,
                                               outputPath: nil, lifeline: lifeline)
        do {
            try await RuntimeTestSupport.eventually(timeout: .seconds(10), "the spawned pid becomes the command, with its watchdog beside it") {
                let comm = try? String(contentsOfFile: "/proc/\(sleeper)/comm", encoding: .utf8)
                let watchdogs = Self.members(ofSession: sleeper).filter(Self.isWatchdog)
                return comm == "sleep\n" && watchdogs.count == 1 && watchdogs.allSatisfy { $0.parent == sleeper && $0.group == sleeper }
            }
            // The command does not see the lifeline's descriptor.
            #expect(!FileManager.default.fileExists(atPath: "/proc/\(sleeper)/fd/3"))
            // A graceful stop signals the group (the watchdog ignores SIGTERM) ...
            ProcessSpawner.signalGroup(sleeper, SIGTERM)
            #expect(await ProcessSpawner.waitForExit(sleeper) == .signaled(SIGTERM))
            // ... and the watchdog goes with the command it guarded.
            try await RuntimeTestSupport.eventually(timeout: .seconds(10), "the watchdog ends with its command") {
                Self.members(ofSession: sleeper).isEmpty
            }
        } catch {
            Self.killAll(Self.members(ofSession: sleeper))
            _ = await ProcessSpawner.waitForExit(sleeper)
            throw error
        }
    }

    @Test func aCommandThatCannotStartIsReportedAsBefore() throws {
        #expect(throws: PodRuntimeError.spawnFailed(command: "/nonexistent/kube-sim", errno: ENOENT)) {
            try ProcessSpawner.spawn(argv: ["/nonexistent/kube-sim"], environment: Self.environment, outputPath: nil,
                                     lifeline: KubeletLifeline.process)
        }
    }

    /// The scenario the guard exists for: the process holding the lifeline (the test process
    /// hosting a kubelet) is SIGKILLed. Every process of the spawned session goes: the leader,
    /// its children and grandchildren, one that left the process group, and the watchdog.
    @Test func theWholeSessionDiesWhenTheLifelinesHolderIsKilled() async throws {
        let lifeline = try #require(KubeletLifeline())
        let holder = try Self.spawnHolder(of: lifeline.writeEnd)
        // From here only the holder has the write end.
        close(lifeline.writeEnd)
        defer { close(lifeline.readEnd) }
        let hasPerl = FileManager.default.isExecutableFile(atPath: "/usr/bin/perl")
        // Three sleeps in the leader's group (one under an intermediate shell) and, with perl,
        // one in a process group of its own, still in the leader's session.
        let script = "sleep 300 & sh -c 'sleep 300; exit 0' & "
            + (hasPerl ? "/usr/bin/perl -e 'setpgrp(0, 0); exec @ARGV' sleep 300 & " : "")
            + "sleep 300 & wait"
        let sleeps = hasPerl ? 4 : 3
        let leader: pid_t
        do {
            leader = try ProcessSpawner.spawn(argv: ["/bin/sh", "-c", script], environment: Self.environment,
                                              outputPath: nil, lifeline: lifeline)
        } catch {
            kill(holder, SIGKILL)
            _ = await ProcessSpawner.waitForExit(holder)
            throw error
        }
        var tree: [ProcStat] = []
        do {
            try await RuntimeTestSupport.eventually(timeout: .seconds(15), "the tree and its watchdog run") {
                let members = Self.members(ofSession: leader)
                let sleeping = members.filter { $0.command.hasPrefix("sleep ") }
                let outOfGroup = sleeping.filter { $0.group != leader }
                guard sleeping.count == sleeps, outOfGroup.count == (hasPerl ? 1 : 0),
                      members.contains(where: Self.isWatchdog) else { return false }
                tree = members
                return true
            }
            #expect(tree.contains { $0.pid == leader })
            // The test process no longer holds the write end, the holder does: nothing fires.
            try await Task.sleep(for: .seconds(1))
            let stopped = tree.filter { !$0.isRunning }
            #expect(stopped.isEmpty, "ended while the lifeline held: \(stopped)")

            kill(holder, SIGKILL)
            #expect(await ProcessSpawner.waitForExit(holder) == .signaled(SIGKILL))
            try await RuntimeTestSupport.eventually(timeout: .seconds(20), "every process of the tree is gone") {
                tree.allSatisfy { !$0.isRunning } && Self.members(ofSession: leader).isEmpty
            }
            #expect(await ProcessSpawner.waitForExit(leader) == .signaled(SIGKILL))
        } catch {
            kill(holder, SIGKILL)
            Self.killAll(tree + Self.members(ofSession: leader))
            _ = await ProcessSpawner.waitForExit(holder)
            _ = await ProcessSpawner.waitForExit(leader)
            throw error
        }
    }

    /// A container's processes share a mount namespace, and one of them may leave the session
    /// (`setsid`): the watchdog kills by namespace too, as the kubelet itself does.
    @Test(.enabled(if: (RuntimeTestSupport.isRoot && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")) || RuntimeTestSupport.isCI,
                   "needs root and unshare (CI=true runs it anyway, to fail)"))
    func processesThatLeftTheSessionDieByMountNamespace() async throws {
        let lifeline = try #require(KubeletLifeline())
        var cut = false
        defer { if !cut { lifeline.cut() } }
        let own = try #require(ProcessSpawner.mountNamespace(of: getpid()))
        let leader = try ProcessSpawner.spawn(
            argv: ["/usr/bin/unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c", "setsid sleep 300 & sleep 300 & wait"],
            environment: Self.environment, outputPath: nil, lifeline: lifeline)
        var tree: [ProcStat] = []
        do {
            try await RuntimeTestSupport.eventually(timeout: .seconds(15), "both sleeps run in the new namespace, one in a session of its own") {
                guard let namespace = ProcessSpawner.mountNamespace(of: leader), namespace != own else { return false }
                let inNamespace = ProcStat.all().filter { $0.mountNamespace == namespace }
                let sleeping = inNamespace.filter { $0.command.hasPrefix("sleep ") }
                let session = Self.members(ofSession: leader)
                guard sleeping.count == 2, sleeping.contains(where: { $0.session != leader }),
                      session.contains(where: Self.isWatchdog) else { return false }
                tree = inNamespace + session.filter { member in !inNamespace.contains { $0.pid == member.pid } }
                return true
            }
            lifeline.cut()
            cut = true
            try await RuntimeTestSupport.eventually(timeout: .seconds(20), "every process of the tree is gone") {
                tree.allSatisfy { !$0.isRunning }
            }
            #expect(await ProcessSpawner.waitForExit(leader) == .signaled(SIGKILL))
        } catch {
            Self.killAll(tree + Self.members(ofSession: leader))
            _ = await ProcessSpawner.waitForExit(leader)
            throw error
        }
    }
}
