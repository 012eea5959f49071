/// Turns single probe results into a probe's verdict with its success and failure thresholds,
/// as the kubelet's prober does. Pure: the runtime feeds it results, it says what changed.
public struct ProbeTracker: Sendable, Equatable {
    public enum Verdict: Sendable, Equatable {
        /// No verdict yet (readiness: not ready; liveness: alive).
        case unknown
        case success
        case failure
    }

    public let successThreshold: Int
    public let failureThreshold: Int
    public private(set) var verdict: Verdict
    private var successes = 0
    private var failures = 0

    public init(successThreshold: Int, failureThreshold: Int, initial: Verdict = .unknown) {
        self.successThreshold = max(1, successThreshold)
        self.failureThreshold = max(1, failureThreshold)
        self.verdict = initial
    }

    /// Records one result; returns the new verdict when it changed.
    public mutating func record(success: Bool) -> Verdict? {
        if success {
            successes += 1
            failures = 0
            if successes >= successThreshold, verdict != .success {
                verdict = .success
                return verdict
            }
        } else {
            failures += 1
            successes = 0
            if failures >= failureThreshold, verdict != .failure {
                verdict = .failure
                return verdict
            }
        }
        return nil
    }
}
