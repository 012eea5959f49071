import Foundation
import KubeModel
import Synchronization

/// Writes one log line per message to standard error, as text or as JSON objects.
final class LogWriter: Sendable {
    let json: Bool
    private let lock = Mutex(())

    init(json: Bool) {
        self.json = json
    }

    func write(_ message: String, level: String = "info") {
        let time = RFC3339.string(Date(), fractionDigits: 3)
        let line: String
        if json {
            let object = ["ts": time, "level": level, "msg": message]
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
            line = String(decoding: data, as: UTF8.self)
        } else {
            line = "\(time) \(level.uppercased()) \(message)"
        }
        lock.withLock { _ in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }
}
