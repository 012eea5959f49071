import KubeModel
import Foundation
import Synchronization

/// A `StatusDebouncer` shared by the reconcile workers.
final class StatusWriteGate: Sendable {
    private let debouncer: Mutex<StatusDebouncer>

    init(_ debouncer: StatusDebouncer) {
        self.debouncer = Mutex(debouncer)
    }

    func decide(_ key: ObjectKey, computed: ZookeeperClusterStatus, stored: ZookeeperClusterStatus?, settling: Bool, now: Date) -> StatusDebouncer.Decision {
        debouncer.withLock { $0.decide(key, computed: computed, stored: stored, settling: settling, now: now) }
    }

    func forget(_ key: ObjectKey) {
        debouncer.withLock { $0.forget(key) }
    }
}
