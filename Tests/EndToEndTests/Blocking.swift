import Foundation
import Testing

/// Blocking work kept off Swift concurrency's cooperative threads (there may be only two).
enum Blocking {
    /// Runs a program on a thread of its own; returns its exit status and stdout+stderr.
    static func run(_ path: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: path)
                process.arguments = arguments
                let output = Pipe()
                process.standardOutput = output
                process.standardError = output
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
            }
        }
    }
}

/// What the end-to-end tests need from the machine: root (each pod gets a mount namespace),
/// ZooKeeper and Java (what `zookeeper:*` images run), unshare/nsenter, and kubectl.
enum Prerequisites {
    static let missing: [String] = {
        var missing: [String] = []
        if getuid() != 0 { missing.append("root (pods run in their own mount namespaces)") }
        let files = FileManager.default
        if !files.isExecutableFile(atPath: "/usr/share/zookeeper/bin/zkServer.sh") { missing.append("ZooKeeper (/usr/share/zookeeper)") }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for tool in ["java", "unshare", "nsenter", "nc"] where !path.contains(where: { files.isExecutableFile(atPath: "\($0)/\(tool)") }) {
            missing.append(tool)
        }
        if !files.isExecutableFile(atPath: "/usr/bin/kubectl") { missing.append("kubectl (/usr/bin/kubectl)") }
        return missing
    }()

    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Run when everything is there, and always in CI (where a missing piece must fail).
    static var shouldRun: Bool { missing.isEmpty || isCI }

    static var skipReason: Comment {
        Comment(rawValue: "end-to-end tests need \(missing.joined(separator: ", ")); run hack/install-deps.sh as root")
    }

    /// In CI, fails the test when something is missing.
    static func require() throws {
        try #require(missing.isEmpty, "CI=true but \(missing.joined(separator: ", ")) missing: run hack/install-deps.sh as root")
    }
}
