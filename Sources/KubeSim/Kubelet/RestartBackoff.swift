/// The kubelet's crash-loop back-off. The first restart is immediate; each later one waits
/// `initial`, doubling up to `maximum`; a container that ran for `resetAfter` starts afresh.
public struct RestartBackoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration
    public var resetAfter: Duration
    /// The delay the restart after the next one will wait; nil before the first restart.
    public private(set) var upcoming: Duration?

    /// Kubernetes' values: 10 s doubling to 5 min, reset after 10 min of running.
    public init(initial: Duration = .seconds(10), maximum: Duration = .seconds(300), resetAfter: Duration = .seconds(600)) {
        self.initial = initial
        self.maximum = maximum
        self.resetAfter = resetAfter
    }

    /// Records that a container that ran for `ranFor` ended; returns how long to wait before
    /// starting it again.
    public mutating func next(afterRunningFor ranFor: Duration) -> Duration {
        if ranFor >= resetAfter { upcoming = nil }
        guard let delay = upcoming else {
            upcoming = initial
            return .zero
        }
        upcoming = min(delay * 2, maximum)
        return delay
    }
}
