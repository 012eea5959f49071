import Foundation
import Testing
@testable import KubeSim
#if canImport(Glibc)
import Glibc
#endif

/// The TLS front (socat) in front of the API server, as kubectl meets it.
@Suite struct TLSFrontTests {
    /// Live processes whose process group is `group` (`/proc/<pid>/stat`, field 5).
    static func processes(inGroup group: pid_t) -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.range(of: ") ", options: .backwards) else { return nil }
            // After the command name: state, ppid, pgrp.
            let fields = stat[close.upperBound...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z", pid_t(fields[2]) == group else { return nil }
            return pid
        }
    }

    static func waitUntil(_ what: String, timeout: TimeInterval = 20, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else {
                Issue.record("timed out waiting until \(what)")
                throw CancellationError()
            }
            usleep(50_000)
        }
    }

    /// Stopping the server ends every socat process, including the children still forwarding
    /// kubectl watches while events stream through them. (Children sent SIGTERM mid-OpenSSL
    /// deadlocked in their exit handler and spun for good; that race is rare, so this checks
    /// the invariant that rules it out: nothing of the front outlives `stop()`.)
    @Test(.enabled(if: Kubectl.shouldRun && FileManager.default.isExecutableFile(atPath: TLSFront.socat)))
    func stoppingTheServerEndsTheFrontAndEveryConnectionsProcess() throws {
        let server = APIServer()
        try server.start()
        let kubectl = try Kubectl(kubeconfigYAML: server.kubectlKubeconfigYAML())
        let group = try server.startTLSFront().processGroup
        let watches = try (0..<4).map { _ in try kubectl.start("get", "configmaps", "--watch", "-o", "name") }
        defer { for watch in watches { _ = watch.stop() } }
        try Self.waitUntil("the watches are served by socat children") { Self.processes(inGroup: group).count >= 5 }
        // Events stream through every child while the server stops.
        for index in 0..<200 {
            _ = try server.storage.create(.configMaps, ["metadata": ["name": .string("cm-\(index)"), "namespace": "default"], "data": ["k": .string(String(repeating: "x", count: 4000))]])
        }
        server.stop()
        try Self.waitUntil("no process of the front is left") { Self.processes(inGroup: group).isEmpty }
    }
}
