import Foundation
import Synchronization

/// Runs the real `/usr/bin/kubectl` against a kubeconfig, with no extra flags: only
/// `KUBECONFIG` and a private `HOME` (so no discovery cache from another run leaks in).
struct Kubectl {
    static let path = "/usr/bin/kubectl"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: path) }
    /// The conformance tests run when kubectl is there, and must fail (not skip) on CI without it.
    static var shouldRun: Bool { isAvailable || ProcessInfo.processInfo.environment["CI"] == "true" }

    let kubeconfig: String
    let home: String

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    init(kubeconfigYAML: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubectl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        home = directory.path
        kubeconfig = directory.appendingPathComponent("kubeconfig").path
        try kubeconfigYAML.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
    }

    func writeFile(_ name: String, _ text: String) throws -> String {
        let path = (home as NSString).appendingPathComponent(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func process(_ arguments: [String]) -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["KUBECONFIG"] = kubeconfig
        environment["HOME"] = home
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        return (process, out, err)
    }

    /// Runs kubectl to completion (killing it after `timeout`).
    func run(_ arguments: String..., timeout: TimeInterval = 30) throws -> Result {
        try run(arguments, timeout: timeout)
    }

    func run(_ arguments: [String], timeout: TimeInterval = 30) throws -> Result {
        let (process, out, err) = process(arguments)
        try process.run()
        let outData = Collected(), errData = Collected()
        let group = DispatchGroup()
        for (pipe, sink) in [(out, outData), (err, errData)] {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                sink.data.withLock { $0 = data }
                group.leave()
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        _ = group.wait(timeout: .now() + 5)
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData.data.withLock { $0 }, as: UTF8.self),
                      stderr: String(decoding: errData.data.withLock { $0 }, as: UTF8.self))
    }

    final class Collected: Sendable {
        let data = Mutex(Data())
    }

    /// Starts a long-running kubectl (`get -w`); `stop()` ends it and returns its output.
    final class Background: @unchecked Sendable {
        private let process: Process
        private let output = Collected()
        private let done = DispatchSemaphore(value: 0)

        init(process: Process, stdout: Pipe) {
            self.process = process
            let output = self.output
            let done = self.done
            DispatchQueue.global().async {
                let handle = stdout.fileHandleForReading
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    output.data.withLock { $0.append(data) }
                }
                done.signal()
            }
        }

        var text: String { String(decoding: output.data.withLock { $0 }, as: UTF8.self) }

        func stop() -> String {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            _ = done.wait(timeout: .now() + 5)
            return text
        }
    }

    func start(_ arguments: String...) throws -> Background {
        let (process, out, _) = process(arguments)
        try process.run()
        return Background(process: process, stdout: out)
    }
}
