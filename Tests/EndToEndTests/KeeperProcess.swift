import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Keeper as the `keeper` executable in a process of its own, so a test can SIGKILL it: no
/// deferred cleanup, no in-flight request finished, nothing remembered but what it wrote to
/// the cluster. The binary is the one `swift build --build-tests` put beside the test bundle.
final class KeeperProcess: Sendable {
    private let process: Process
    let log: LogLines

    private init(process: Process, log: LogLines) {
        self.process = process
        self.log = log
    }

    static var binaryPath: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("keeper").path
    }

    /// Starts `keeper --kubeconfig <path>` (no health endpoints, so several can run at once)
    /// with `arguments` added; its output goes to `log`. Tests pass the harness's
    /// `keeperKubeconfigPath`, so the process runs as the `keeper` ServiceAccount.
    static func start(kubeconfigPath: String, arguments: [String] = [], log: LogLines) throws -> KeeperProcess {
        try #require(FileManager.default.isExecutableFile(atPath: binaryPath), "no keeper binary at \(binaryPath): run swift build --build-tests")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binaryPath)
        process.arguments = ["--kubeconfig", kubeconfigPath, "--health-addr", "", "--concurrency", "2"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else { handle.readabilityHandler = nil; return }
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") { log.append("[keeper \(process.processIdentifier)] \(line)") }
        }
        try process.run()
        return KeeperProcess(process: process, log: log)
    }

    /// SIGKILL, then waits until the process is gone.
    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
