import Foundation
import Synchronization

/// Finds container log files by pod name, synchronously: what `kubectl logs` needs from a
/// kubelet (and what an HTTP handler, which cannot await an actor, can call).
///
/// Logs live at `<state>/pods/<uid>/containers/<container>/logs/<n>.log`, one file per
/// instance (`n` = restart count); the highest is the current one, the one before it the
/// previous instance's, as `kubectl logs --previous` expects.
public final class ContainerLogIndex: Sendable {
    private let pods = Mutex<[String: String]>([:])
    public let podsDirectory: URL

    public init(stateDirectory: URL) {
        podsDirectory = stateDirectory.appendingPathComponent("pods")
    }

    /// Records that `namespace/name` runs as `uid` on this node.
    public func record(namespace: String, name: String, uid: String) {
        pods.withLock { $0["\(namespace)/\(name)"] = uid }
    }

    /// Forgets `namespace/name` (its pod was removed).
    public func forget(namespace: String, name: String, uid: String) {
        pods.withLock { if $0["\(namespace)/\(name)"] == uid { $0["\(namespace)/\(name)"] = nil } }
    }

    /// Errors of log lookups, phrased as the API server phrases them.
    public enum LookupError: Error, Sendable, Equatable, CustomStringConvertible {
        case podNotFound(String)
        case containerNotFound(pod: String, container: String)
        case noPrevious(pod: String, container: String)

        public var description: String {
            switch self {
            case .podNotFound(let pod): "pods \"\(pod)\" not found on this node"
            case .containerNotFound(let pod, let container): "container \"\(container)\" in pod \"\(pod)\" has no logs yet"
            case .noPrevious(let pod, let container): "previous terminated container \"\(container)\" in pod \"\(pod)\" not found"
            }
        }
    }

    /// The log file of a container of `namespace/name` (its current or previous instance).
    /// With no `container` given, the pod's only container (or the first one alphabetically).
    public func logFile(namespace: String, name: String, container: String?, previous: Bool) throws(LookupError) -> URL {
        guard let uid = pods.withLock({ $0["\(namespace)/\(name)"] }) else { throw .podNotFound(name) }
        let containers = podsDirectory.appendingPathComponent("\(uid)/containers")
        let chosen = container ?? ((try? FileManager.default.contentsOfDirectory(atPath: containers.path)) ?? [])
            .filter { !$0.hasPrefix("init-") }.sorted().first
        guard let chosen else { throw .containerNotFound(pod: name, container: container ?? "") }
        var logs = containers.appendingPathComponent("\(chosen)/logs")
        if !FileManager.default.fileExists(atPath: logs.path) {
            logs = containers.appendingPathComponent("init-\(chosen)/logs")
        }
        let numbers = ((try? FileManager.default.contentsOfDirectory(atPath: logs.path)) ?? [])
            .compactMap { Int($0.replacingOccurrences(of: ".log", with: "")) }.sorted()
        guard let current = numbers.last else { throw .containerNotFound(pod: name, container: chosen) }
        if previous {
            guard numbers.contains(current - 1) else { throw .noPrevious(pod: name, container: chosen) }
            return logs.appendingPathComponent("\(current - 1).log")
        }
        return logs.appendingPathComponent("\(current).log")
    }

    /// The text of that log, optionally only its last `tailLines` lines or last `limitBytes` bytes.
    public func read(namespace: String, name: String, container: String?, previous: Bool = false,
                     tailLines: Int? = nil, limitBytes: Int? = nil) throws(LookupError) -> Data {
        let url = try logFile(namespace: namespace, name: name, container: container, previous: previous)
        var data = (try? Data(contentsOf: url)) ?? Data()
        if let tailLines {
            var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            if lines.last?.isEmpty == true { lines.removeLast() }
            data = Data(lines.suffix(max(0, tailLines)).map { Data($0) + Data([UInt8(ascii: "\n")]) }.joined())
        }
        if let limitBytes, data.count > limitBytes { data = data.prefix(limitBytes) }
        return data
    }
}
