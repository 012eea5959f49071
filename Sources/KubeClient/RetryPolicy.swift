import Foundation

/// When to retry a failed request and how long to wait first: exponential backoff with
/// jitter for 429, 5xx and transport errors, honouring `Retry-After`; never for other 4xx.
/// A pure value: `decide` does no I/O and takes its randomness as an argument.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The delay before the first retry, doubled for each one after.
    public var baseDelay: TimeInterval
    /// The longest computed delay.
    public var maxDelay: TimeInterval
    /// The longest `Retry-After` honoured; a server asking for more gets this.
    public var maxRetryAfter: TimeInterval
    /// Whether a 429 is retried. An eviction's 429 is an answer, not load: the budget allows
    /// no disruption now (kube-apiserver's `pkg/registry/core/pod/storage/eviction.go`,
    /// "needs N healthy pods and has M currently", with no `Retry-After`), and the caller
    /// decides when to ask again (Keeper re-plans on the budget's next status).
    public var retriesTooManyRequests: Bool

    public init(maxAttempts: Int = 5, baseDelay: TimeInterval = 0.2, maxDelay: TimeInterval = 10, maxRetryAfter: TimeInterval = 30,
                retriesTooManyRequests: Bool = true) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.retriesTooManyRequests = retriesTooManyRequests
    }

    /// No retries at all.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// How an attempt failed.
    public enum Failure: Sendable, Hashable {
        /// The server answered with this status code, perhaps with `Retry-After` seconds.
        case status(Int, retryAfter: TimeInterval?)
        /// No answer. `requestMaySurvive` is true when the request may have reached the server
        /// (the connection broke after it was sent), which makes retrying a POST unsafe.
        case transport(requestMaySurvive: Bool)
    }

    /// What to do next.
    public enum Decision: Sendable, Hashable {
        case retry(after: TimeInterval)
        case fail
    }

    /// Decides after failed attempt number `attempt` (1-based) of a request with `method`.
    /// `jitter` is a random number in 0..<1.
    public func decide(attempt: Int, method: String, failure: Failure, jitter: Double) -> Decision {
        guard attempt < maxAttempts else { return .fail }
        let retryAfter: TimeInterval?
        switch failure {
        case .status(let code, let after):
            guard (code == 429 && retriesTooManyRequests) || (500...599).contains(code) else { return .fail }
            // 501 Not Implemented will not change by asking again.
            if code == 501 { return .fail }
            retryAfter = after
        case .transport(let requestMaySurvive):
            // A POST that may have been processed must not be sent twice.
            if requestMaySurvive, method.uppercased() == "POST" { return .fail }
            retryAfter = nil
        }
        if let retryAfter, retryAfter >= 0 {
            return .retry(after: min(retryAfter, maxRetryAfter))
        }
        return .retry(after: backoff(attempt: attempt, jitter: jitter))
    }

    /// The exponential delay after `attempt` failures, with "equal jitter": half fixed,
    /// half random, so retries of many clients spread out but never collapse to zero.
    public func backoff(attempt: Int, jitter: Double) -> TimeInterval {
        let exponent = Double(max(0, min(attempt - 1, 30)))
        let ceiling = min(maxDelay, baseDelay * pow(2, exponent))
        let clampedJitter = min(max(jitter, 0), 1)
        return ceiling / 2 + ceiling / 2 * clampedJitter
    }

    /// Parses a `Retry-After` header: delta seconds or an HTTP date.
    public static func retryAfterSeconds(_ header: String?, now: Date = Date()) -> TimeInterval? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        if let seconds = Double(header) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: header) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
