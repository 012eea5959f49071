import Dispatch
import Foundation

/// A repeating timer for time-based controllers: `SimController.sync` runs only after
/// commits, so a controller that must notice silence (a node that stopped renewing its
/// Lease) asks for a pass every `interval` with this.
final class ControllerTicker: @unchecked Sendable {
    // A dispatch source is thread-safe; it is only scheduled, resumed and cancelled.
    private let source: DispatchSourceTimer

    /// Calls `tick` every `interval` seconds until it returns false or the ticker is released.
    init(interval: TimeInterval, tick: @escaping @Sendable () -> Bool) {
        let source = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        self.source = source
        let nanoseconds = max(1_000_000, Int(interval * 1_000_000_000))
        source.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds), leeway: .milliseconds(5))
        // Cancelling releases the handler, so capturing the source here is no lasting cycle.
        source.setEventHandler {
            if !tick() { source.cancel() }
        }
        source.resume()
    }

    func cancel() { source.cancel() }

    deinit { source.cancel() }
}
