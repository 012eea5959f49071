import KubeModel
import Synchronization

/// What kube-sim's authorizer decided for the requests it served over HTTP, like the
/// `authorization.k8s.io/decision` and `/reason` annotations of kube-apiserver's audit log:
/// tests read which requests a user made and which were refused. Keeps the newest
/// `capacity` decisions; refusals are kept apart (up to `capacity` too) so none is lost to a
/// busy run.
public final class AuthorizationLog: Sendable {
    /// One decision.
    public struct Record: Sendable, Hashable {
        public var user: UserInfo
        public var attributes: AuthorizationAttributes
        public var decision: AuthorizationDecision

        /// The 403 message the request got (nil when it was allowed).
        public var forbiddenMessage: String? {
            decision.isAllowed ? nil : APIErrors.forbidden(user: user, attributes: attributes, reason: decision.reason).message
        }
    }

    private struct State {
        var records: [Record] = []
        var start = 0
        var refused: [Record] = []
    }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    func record(_ record: Record) {
        state.withLock { state in
            if state.records.count < capacity {
                state.records.append(record)
            } else {
                state.records[state.start] = record
                state.start = (state.start + 1) % capacity
            }
            if !record.decision.isAllowed && state.refused.count < capacity { state.refused.append(record) }
        }
    }

    /// The kept decisions, oldest first.
    public var records: [Record] {
        state.withLock { Array($0.records[$0.start...] + $0.records[..<$0.start]) }
    }

    /// The requests refused with 403, oldest first.
    public var refused: [Record] { state.withLock { $0.refused } }

    /// The decisions for `user` (by name).
    public func records(of userName: String) -> [Record] { records.filter { $0.user.name == userName } }

    public func reset() { state.withLock { $0 = State() } }
}
