import Foundation
import Testing
@testable import KubeClient

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 4, baseDelay: 1, maxDelay: 5, maxRetryAfter: 20)

    @Test func retriesServerErrorsAndTooManyRequestsWithBackoff() {
        #expect(policy.decide(attempt: 1, method: "GET", failure: .status(503, retryAfter: nil), jitter: 0) == .retry(after: 0.5))
        #expect(policy.decide(attempt: 2, method: "GET", failure: .status(500, retryAfter: nil), jitter: 1) == .retry(after: 2))
        #expect(policy.decide(attempt: 3, method: "POST", failure: .status(429, retryAfter: nil), jitter: 0.5) == .retry(after: 3))
        // The ceiling caps the exponential growth.
        #expect(RetryPolicy(maxAttempts: 20, baseDelay: 1, maxDelay: 5).backoff(attempt: 10, jitter: 1) == 5)
    }

    @Test func tooManyRequestsCanBeLeftToTheCaller() {
        var eviction = policy
        eviction.retriesTooManyRequests = false
        #expect(eviction.decide(attempt: 1, method: "POST", failure: .status(429, retryAfter: nil), jitter: 0) == .fail)
        #expect(eviction.decide(attempt: 1, method: "POST", failure: .status(429, retryAfter: 1), jitter: 0) == .fail)
        #expect(eviction.decide(attempt: 1, method: "POST", failure: .status(503, retryAfter: nil), jitter: 0) == .retry(after: 0.5))
    }

    @Test func honoursRetryAfterUpToALimit() {
        #expect(policy.decide(attempt: 1, method: "GET", failure: .status(503, retryAfter: 7), jitter: 0.9) == .retry(after: 7))
        #expect(policy.decide(attempt: 1, method: "GET", failure: .status(429, retryAfter: 600), jitter: 0) == .retry(after: 20))
        #expect(RetryPolicy.retryAfterSeconds("3") == 3)
        let now = Date(timeIntervalSince1970: 1_000_000_000)
        #expect(RetryPolicy.retryAfterSeconds("Sun, 09 Sep 2001 01:46:50 GMT", now: now) == 10)
        #expect(RetryPolicy.retryAfterSeconds("soon") == nil)
    }

    @Test func neverRetriesOtherClientErrorsOrPastTheLastAttempt() {
        for code in [400, 401, 403, 404, 409, 410, 422] {
            #expect(policy.decide(attempt: 1, method: "GET", failure: .status(code, retryAfter: 1), jitter: 0) == .fail)
        }
        #expect(policy.decide(attempt: 1, method: "GET", failure: .status(501, retryAfter: nil), jitter: 0) == .fail)
        #expect(policy.decide(attempt: 4, method: "GET", failure: .status(503, retryAfter: nil), jitter: 0) == .fail)
        #expect(RetryPolicy.never.decide(attempt: 1, method: "GET", failure: .status(503, retryAfter: nil), jitter: 0) == .fail)
    }

    @Test func transportErrorsRetryUnlessAPostMayHaveLanded() {
        #expect(policy.decide(attempt: 1, method: "GET", failure: .transport(requestMaySurvive: true), jitter: 0) == .retry(after: 0.5))
        #expect(policy.decide(attempt: 1, method: "POST", failure: .transport(requestMaySurvive: false), jitter: 0) == .retry(after: 0.5))
        #expect(policy.decide(attempt: 1, method: "POST", failure: .transport(requestMaySurvive: true), jitter: 0) == .fail)
    }
}
