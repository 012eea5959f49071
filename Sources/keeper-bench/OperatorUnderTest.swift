import Foundation
import Keeper
import KubeClient
import ZooKeeperClient
#if canImport(Glibc)
import Glibc
#endif

/// Member roles for the in-process operator: answers at once, so no probe timeout skews
/// the figures (no pod runs on kube-sim without a kubelet anyway).
struct ImmediateProber: MemberProber {
    func serverStatus(host: String, port: Int) async -> ServerStatus? { nil }
    func monitorStatus(host: String, port: Int) async -> MonitorStatus? { nil }
    func configuration(host: String, port: Int) async -> EnsembleConfig? { nil }
}

/// Resident set size figures of one process, in kB, from `/proc/PID/status`.
struct MemoryFigures: Sendable {
    /// Peak resident set size (`VmHWM`).
    var peakKB: Int
    /// Resident set size now (`VmRSS`).
    var currentKB: Int

    static func read(pid: Int32?) -> MemoryFigures? {
        let path = pid.map { "/proc/\($0)/status" } ?? "/proc/self/status"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        guard let peak = field("VmHWM", in: text), let current = field("VmRSS", in: text) else { return nil }
        return MemoryFigures(peakKB: peak, currentKB: current)
    }

    /// `VmHWM:   12345 kB` → 12345.
    static func field(_ name: String, in text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            return Int(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        return nil
    }
}

/// The operator being measured: a `keeper` child process (clean RSS figures) or, when no
/// `keeper` binary is at hand, a `KeeperOperator` inside this process.
final class OperatorUnderTest: @unchecked Sendable {
    // @unchecked: `process` and `task` are set once in `start` and only read afterwards, on
    // the benchmark's single driving task.
    private var process: Process?
    private var task: Task<Bool, Never>?
    private var kubeconfigPath: String?

    /// Starts `keeper` (the binary at `keeperPath`, or in-process when nil) against the server
    /// described by `kubeconfig`.
    func start(keeperPath: String?, kubeconfig: String, concurrency: Int, resyncSeconds: Int) throws {
        if let keeperPath {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("keeper-bench-\(UUID().uuidString).kubeconfig").path
            try kubeconfig.write(toFile: path, atomically: true, encoding: .utf8)
            kubeconfigPath = path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: keeperPath)
            process.arguments = ["--kubeconfig", path, "--health-addr", "", "--concurrency", String(concurrency), "--resync", String(resyncSeconds)]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            self.process = process
        } else {
            let client = try KubeClient.fromKubeconfig(kubeconfig)
            let keeper = KeeperOperator(client: client, options: .init(concurrency: concurrency, resyncPeriod: .seconds(resyncSeconds)), prober: ImmediateProber())
            task = Task { await keeper.run() }
        }
    }

    /// The child's pid, or nil when the operator runs in this process.
    var pid: Int32? { process?.processIdentifier }

    /// True when the figures describe a process of its own.
    var isSubprocess: Bool { process != nil }

    var memory: MemoryFigures? { MemoryFigures.read(pid: pid) }

    /// CPU time (user + system) the process has used so far, in seconds; nil in-process.
    var cpuSeconds: Double? {
        guard let pid, let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name: state is field 3, utime 14 and stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// SIGTERM (or cancellation) and wait for the end.
    func stop() async {
        if let process {
            process.terminate()
            process.waitUntilExit()
        }
        if let task {
            task.cancel()
            _ = await task.value
        }
        if let kubeconfigPath { try? FileManager.default.removeItem(atPath: kubeconfigPath) }
    }

    /// `keeper` next to this executable (both come from the same build directory), if built.
    static func siblingKeeper() -> String? {
        guard let me = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let candidate = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("keeper").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    /// `bench-rss-baseline` next to this executable, if built.
    static func siblingBaseline() -> String? {
        guard let me = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        let candidate = URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("bench-rss-baseline").path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    /// Runs the baseline program against `url` and returns its printed peak RSS in kB.
    static func baselinePeakKB(path: String, url: URL, token: String) throws -> Int? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = [url.absoluteString, token]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return MemoryFigures.field("VmHWM", in: String(decoding: data, as: UTF8.self))
    }
}
