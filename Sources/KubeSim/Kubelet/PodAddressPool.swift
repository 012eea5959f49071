import Synchronization

/// Hands each pod its own loopback address (127.0.0.2 upwards), which becomes its `podIP`.
/// Addresses of pods that are gone are handed out again, lowest first.
public final class PodAddressPool: Sendable {
    private struct State {
        var byPod: [String: UInt32] = [:]
        var inUse: Set<UInt32> = []
    }

    private let state = Mutex(State())
    /// The pool spans `first` (127.0.0.2 unless told otherwise) up to 127.255.255.254.
    private let first: UInt32
    private static let last: UInt32 = 0x7FFF_FFFE

    /// A pool starting at `firstAddress` (a 127.x.y.z address; 127.0.0.2 by default). Separate
    /// simulations on one host (parallel test processes) use separate ranges.
    public init(firstAddress: String = "127.0.0.2") {
        let parsed = Self.parse(firstAddress) ?? 0x7F00_0002
        first = (parsed >> 24) == 127 && parsed < Self.last ? parsed : 0x7F00_0002
    }

    /// The address of pod `uid`: its existing one, or the lowest free one.
    public func allocate(for uid: String) -> String {
        state.withLock { state in
            if let existing = state.byPod[uid] { return Self.format(existing) }
            var candidate = first
            while state.inUse.contains(candidate) || Self.isUnusable(candidate) { candidate += 1 }
            precondition(candidate <= Self.last, "loopback pod addresses exhausted")
            state.byPod[uid] = candidate
            state.inUse.insert(candidate)
            return Self.format(candidate)
        }
    }

    /// Records that pod `uid` already holds `address` (a pod adopted after a kubelet restart).
    /// Returns false when the address is taken by another pod or is not a pool address.
    @discardableResult
    public func reserve(_ address: String, for uid: String) -> Bool {
        guard let value = Self.parse(address), value >= first, value <= Self.last else { return false }
        return state.withLock { state in
            if let existing = state.byPod[uid] { return existing == value }
            guard !state.inUse.contains(value) else { return false }
            state.byPod[uid] = value
            state.inUse.insert(value)
            return true
        }
    }

    /// Frees pod `uid`'s address.
    public func release(_ uid: String) {
        state.withLock { state in
            if let value = state.byPod.removeValue(forKey: uid) { state.inUse.remove(value) }
        }
    }

    /// The address pod `uid` holds, if any.
    public func address(of uid: String) -> String? {
        state.withLock { state in state.byPod[uid].map(Self.format) }
    }

    /// x.x.x.0 and x.x.x.255 look like network and broadcast addresses to people; skip them.
    private static func isUnusable(_ value: UInt32) -> Bool {
        let low = value & 0xFF
        return low == 0 || low == 0xFF
    }

    static func format(_ value: UInt32) -> String {
        "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
    }

    static func parse(_ address: String) -> UInt32? {
        let parts = address.split(separator: ".").compactMap { UInt32($0) }
        guard parts.count == 4, parts.allSatisfy({ $0 < 256 }) else { return nil }
        return parts.reduce(0) { $0 << 8 | $1 }
    }
}
