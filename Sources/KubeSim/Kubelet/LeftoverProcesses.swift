import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Finds and ends what a previous kubelet on the same state directory left running (after a
/// crash): every process whose root directory is a container view under `<state>/pods/`.
/// kube-sim does not adopt them: their pods start afresh from the API, which is what a real
/// kubelet does with containers it cannot account for.
enum LeftoverProcesses {
    /// The pids whose root is inside `podsDirectory`.
    static func find(under podsDirectory: URL) -> [pid_t] {
        let prefix = podsDirectory.standardizedFileURL.path + "/"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry in
            guard let pid = pid_t(entry), pid != getpid(),
                  let root = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/root"),
                  root.hasPrefix(prefix) else { return nil }
            return pid
        }
    }

    /// Kills them, waits until they are gone (up to `timeout`), then removes the pods' directories.
    /// Returns how many processes it killed.
    @discardableResult
    static func cleanUp(podsDirectory: URL, timeout: Duration = .seconds(10)) async -> Int {
        let pids = find(under: podsDirectory)
        for pid in pids { kill(pid, SIGKILL) }
        let deadline = ContinuousClock.now + timeout
        while !find(under: podsDirectory).isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
        try? FileManager.default.removeItem(at: podsDirectory)
        return pids.count
    }
}
