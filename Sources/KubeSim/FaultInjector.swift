import Foundation
import Synchronization

/// Makes the next requests fail, as an overloaded or restarting API server would: tests use
/// it to check retries, backoff and `Retry-After` handling.
public final class FaultInjector: Sendable {
    struct Fault: Sendable {
        var remaining: Int
        var status: Int
        var retryAfterSeconds: Int?
        var pathPrefix: String?
    }

    private let faults = Mutex<[Fault]>([])

    init() {}

    /// Fails the next `count` requests whose path starts with `pathPrefix` (all paths when nil)
    /// with `status`, a `Status` body and, when given, a `Retry-After` header.
    public func failNext(_ count: Int, status: Int = 503, retryAfterSeconds: Int? = nil, pathPrefix: String? = nil) {
        faults.withLock { $0.append(Fault(remaining: count, status: status, retryAfterSeconds: retryAfterSeconds, pathPrefix: pathPrefix)) }
    }

    /// Forgets every pending fault.
    public func clear() { faults.withLock { $0.removeAll() } }

    /// The fault to answer `path` with, consuming one use of it.
    func take(path: String) -> Fault? {
        faults.withLock { faults in
            guard let index = faults.firstIndex(where: { $0.pathPrefix.map(path.hasPrefix) ?? true }) else { return nil }
            let fault = faults[index]
            faults[index].remaining -= 1
            if faults[index].remaining <= 0 { faults.remove(at: index) }
            return fault
        }
    }
}

/// How many requests of each verb the server answered since the last reset.
public struct RequestCounts: Sendable, Hashable {
    public var get = 0
    public var list = 0
    public var watch = 0
    public var create = 0
    public var update = 0
    public var patch = 0
    public var delete = 0
    public var deletecollection = 0

    /// create + update + patch + delete + deletecollection.
    public var writes: Int { create + update + patch + delete + deletecollection }

    public init() {}

    mutating func record(_ verb: String) {
        switch verb {
        case "get": get += 1
        case "list": list += 1
        case "watch": watch += 1
        case "create": create += 1
        case "update": update += 1
        case "patch": patch += 1
        case "delete": delete += 1
        case "deletecollection": deletecollection += 1
        default: break
        }
    }
}
