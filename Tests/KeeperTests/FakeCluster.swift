import Controller
import Foundation
@testable import Keeper
import KubeClient
import KubeModel
import Synchronization
import ZooKeeperClient

/// An in-memory stand-in for the API server and the informers: applies land in the caches
/// the way a watch would deliver them, with server-side fields added, and every write is
/// counted.
final class FakeCluster: KeeperAPI, EventSink, Sendable {
    struct Write: Equatable, Sendable {
        var verb: String
        var kind: String
        var name: String
    }

    let caches = ClusterCaches()
    /// What the operator's informers do to each object before caching it.
    let compaction = CacheCompaction()
    /// Told of every delivery, as the operator wires it to its informers.
    let recentWrites = RecentWrites()
    /// Deliveries of written objects held back, as a lagging watch would (nil: deliver at once).
    private let heldDeliveries = Mutex<[@Sendable () -> Void]?>(nil)
    private let log = Mutex<[Write]>([])
    private let recordedEvents = Mutex<[JSONValue]>([])
    private let failing = Mutex<Set<String>>([])
    private let counter = Mutex(0)

    var writes: [Write] { log.withLock { $0 } }
    var events: [JSONValue] { recordedEvents.withLock { $0 } }
    func resetWrites() { log.withLock { $0 = [] } }
    func failApplies(of kind: String) { failing.withLock { _ = $0.insert(kind) } }

    /// From now on, what the fake server writes reaches the caches only at `releaseDeliveries()`.
    func holdDeliveries() { heldDeliveries.withLock { $0 = $0 ?? [] } }

    func releaseDeliveries() {
        let held = heldDeliveries.withLock { held in
            defer { held = nil }
            return held ?? []
        }
        for deliver in held { deliver() }
    }

    /// Delivers an object the fake server wrote, now or when deliveries are released.
    private func deliverWritten<T: KubeObject>(_ object: T) {
        let delivery: @Sendable () -> Void = { [self] in send(.apply(compaction.compact(object))) }
        let deferred = heldDeliveries.withLock { held -> Bool in
            guard held != nil else { return false }
            held?.append(delivery)
            return true
        }
        if !deferred { delivery() }
    }

    private func nextVersion() -> String {
        counter.withLock { value in
            value += 1
            return String(value)
        }
    }

    func apply<T: KubeObject>(_ object: T) async throws -> T {
        log.withLock { $0.append(Write(verb: "apply", kind: T.resourceType.kind, name: object.name)) }
        if failing.withLock({ $0.contains(T.resourceType.kind) }) {
            throw Status(message: "\(T.resourceType.kind) refused by the test", reason: "Invalid", code: 422)
        }
        var live = object
        live.metadata.uid = live.metadata.uid ?? "uid-\(object.name)-\(T.resourceType.kind)"
        live.metadata.resourceVersion = nextVersion()
        live.metadata.creationTimestamp = "2024-05-01T12:00:00Z"
        // A server default, so the comparison has to tolerate fields Keeper did not send.
        if var service = live as? Service {
            // Server-side apply keeps list entries owned by another manager: a port someone
            // re-keyed stays next to Keeper's.
            let existing = caches.services.get(ObjectKey(namespace: service.metadata.namespace, name: service.name))
            let desiredPorts = Set((service.spec?.ports ?? []).compactMap(\.port))
            let foreign = (existing?.spec?.ports ?? []).filter { !desiredPorts.contains($0.port ?? 0) }
            let ports = service.spec?.ports ?? []
            service.spec?.ports = foreign + ports
            // As the real server's validateServicePort refuses the merged object.
            var names = Set<String>()
            for (index, port) in (service.spec?.ports ?? []).enumerated() {
                guard let name = port.name, !name.isEmpty, !names.insert(name).inserted else { continue }
                throw KubeError.api(Status(message: "Service \"\(service.name)\" is invalid: spec.ports[\(index)].name: Duplicate value: \"\(name)\"",
                                           reason: "Invalid", code: 422))
            }
            service.spec?.sessionAffinity = "None"
            if service.spec?.clusterIP == nil { service.spec?.clusterIP = "10.96.0.10" }
            live = service as! T
        }
        deliverWritten(live)
        return live
    }

    func mergePatch<T: KubeObject>(_ object: T) async throws -> T {
        log.withLock { $0.append(Write(verb: "mergePatch", kind: T.resourceType.kind, name: object.name)) }
        if failing.withLock({ $0.contains(T.resourceType.kind) }) {
            throw Status(message: "\(T.resourceType.kind) refused by the test", reason: "Invalid", code: 422)
        }
        // Lists replaced whole: the desired object with the server's additions.
        var live = object
        live.metadata.uid = "uid-\(object.name)-\(T.resourceType.kind)"
        live.metadata.resourceVersion = nextVersion()
        if var service = live as? Service {
            service.spec?.sessionAffinity = "None"
            if service.spec?.clusterIP == nil { service.spec?.clusterIP = "10.96.0.10" }
            live = service as! T
        }
        deliverWritten(live)
        return live
    }

    func updateStatus(_ cluster: ZookeeperCluster) async throws -> ZookeeperCluster {
        log.withLock { $0.append(Write(verb: "updateStatus", kind: "ZookeeperCluster", name: cluster.name)) }
        var live = cluster
        live.metadata.resourceVersion = nextVersion()
        deliverWritten(live)
        return live
    }

    private let secrets = Mutex<[String: Secret]>([:])
    private let evictions = Mutex<[String]>([])
    /// Pods evicted, in order.
    var evicted: [String] { evictions.withLock { $0 } }

    func evict(namespace: String, pod: String, uid: String) async throws {
        log.withLock { $0.append(Write(verb: "evict", kind: "Pod", name: pod)) }
        evictions.withLock { $0.append(pod) }
    }

    func create(_ secret: Secret) async throws -> Secret {
        log.withLock { $0.append(Write(verb: "create", kind: "Secret", name: secret.name)) }
        let key = "\(secret.metadata.namespace ?? "")/\(secret.name)"
        return try secrets.withLock { secrets in
            if secrets[key] != nil { throw KubeError.api(Status(message: "secrets \"\(secret.name)\" already exists", reason: "AlreadyExists", code: 409)) }
            var created = secret
            created.metadata.uid = "uid-\(secret.name)-Secret"
            secrets[key] = created
            return created
        }
    }

    func secret(namespace: String, name: String) async throws -> Secret {
        guard let secret = secrets.withLock({ $0["\(namespace)/\(name)"] }) else {
            throw KubeError.api(Status(message: "secrets \"\(name)\" not found", reason: "NotFound", code: 404))
        }
        return secret
    }

    /// Events the fake server lists (the StatefulSet controller's), filtered by the selector's
    /// `involvedObject.uid` and `reason`.
    let listedEvents = Mutex<[Event]>([])
    /// How many times Keeper listed Events (reads, not counted in `writes`).
    let eventLists = Mutex(0)

    func events(namespace: String, fieldSelector: String) async throws -> [Event] {
        eventLists.withLock { $0 += 1 }
        let terms = Dictionary(fieldSelector.split(separator: ",").map { term -> (String, String) in
            let parts = term.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }, uniquingKeysWith: { first, _ in first })
        return listedEvents.withLock { $0 }.filter { event in
            event.metadata.namespace == namespace && terms["involvedObject.uid"].map { event.involvedObject?.uid == $0 } != false
                && terms["reason"].map { event.reason == $0 } != false
        }
    }

    func create(namespace: String, event: JSONValue) async throws {
        recordedEvents.withLock { $0.append(event) }
    }

    func patch(namespace: String, name: String, patch: JSONValue) async throws {
        recordedEvents.withLock { $0.append(patch) }
    }

    /// Puts `object` in its cache with a new resourceVersion, as a watch event would after
    /// someone else's write.
    func deliver<T: KubeObject>(_ object: T) {
        var written = object
        written.metadata.resourceVersion = nextVersion()
        send(.apply(compaction.compact(written)))
    }

    /// Removes `object` from its cache, as a watch's DELETED event would.
    func deliverDeletion<T: KubeObject>(_ object: T) {
        send(.delete(object))
    }

    private func send<T: KubeObject>(_ event: WatcherEvent<T>) {
        func feed<Cached: KubeObject>(_ store: Store<Cached>) {
            guard let event = event as? WatcherEvent<Cached> else { return }
            for change in store.apply(event) { recentWrites.observe(change) }
        }
        switch T.self {
        case is ZookeeperCluster.Type: feed(caches.clusters)
        case is Service.Type: feed(caches.services)
        case is ConfigMap.Type: feed(caches.configMaps)
        case is StatefulSet.Type: feed(caches.statefulSets)
        case is PodDisruptionBudget.Type: feed(caches.podDisruptionBudgets)
        case is Pod.Type: feed(caches.pods)
        default: break
        }
    }
}

/// A fake ensemble: the role of each pod IP. Its committed configuration lists a voter per
/// answering member (ids 1...n), and its leader reports every other voter in sync.
struct FakeProber: MemberProber {
    var roles: [String: ZooKeeperRole]
    /// Voters of the committed configuration (ids 1...voters); nil: one per member with a role.
    var voters: Int? = nil

    func serverStatus(host: String, port: Int) async -> ServerStatus? {
        guard let role = roles[host], role != .unknown else { return nil }
        return ServerStatus(srvrOutput: "Zookeeper version: 3.9.4-abc, built on 2024\nZxid: 0x100000005\nMode: \(role.rawValue)\nNode count: 5\n")
    }

    func monitorStatus(host: String, port: Int) async -> MonitorStatus? {
        guard roles[host] == .leader else { return nil }
        let followers = roles.values.filter { $0 == .follower }.count
        return MonitorStatus(mntrOutput: "zk_server_state\tleader\nzk_synced_followers\t\(followers)\nzk_synced_non_voting_followers\t0\nzk_pending_syncs\t0\n")
    }

    func configuration(host: String, port: Int) async -> EnsembleConfig? {
        guard roles[host] == .leader else { return nil }
        let lines = (1...max(voters ?? roles.count, 1)).map { "server.\($0)=zk-\($0 - 1).zk-headless.default.svc.cluster.local:2888:3888:participant;2181" }
        return EnsembleConfig(text: (lines + ["version=100000000"]).joined(separator: "\n"))
    }
}

/// A fake ensemble that answers `reconfig` as well as the probes: members `zk-0...` at
/// 127.0.0.10..., all voters at first. Making the leader an observer hands leadership to the
/// highest voter left (`Leader.getDesignatedLeader`); every change is conditional on the
/// configuration's version, as ZooKeeper's is.
final class FakeEnsemble: MemberProber, EnsembleAdmin, Sendable {
    struct State {
        var roles: [Int: ZooKeeperRole]
        var observers: Set<Int> = []
        var version: Int64 = 0x1_0000_0000
        var changes: [MembershipChange] = []
    }
    let state: Mutex<State>

    init(roles: [ZooKeeperRole]) {
        state = Mutex(State(roles: Dictionary(uniqueKeysWithValues: roles.enumerated().map { ($0.offset, $0.element) })))
    }

    static func ordinal(_ host: String) -> Int? { host.split(separator: ".").last.flatMap { Int($0) }.map { $0 - 10 } }

    var changes: [MembershipChange] { state.withLock { $0.changes } }
    func setRole(_ ordinal: Int, _ role: ZooKeeperRole) { state.withLock { $0.roles[ordinal] = role } }

    func serverStatus(host: String, port: Int) async -> ServerStatus? {
        guard let ordinal = Self.ordinal(host), let role = state.withLock({ $0.roles[ordinal] }), role != .unknown else { return nil }
        return ServerStatus(srvrOutput: "Zookeeper version: 3.9.4-abc, built on 2024\nZxid: 0x100000005\nMode: \(role.rawValue)\nNode count: 5\n")
    }

    func monitorStatus(host: String, port: Int) async -> MonitorStatus? {
        let roles = state.withLock { $0.roles }
        guard let ordinal = Self.ordinal(host), roles[ordinal] == .leader else { return nil }
        let followers = roles.values.filter { $0 == .follower }.count, observers = roles.values.filter { $0 == .observer }.count
        return MonitorStatus(mntrOutput: "zk_server_state\tleader\nzk_synced_followers\t\(followers)\nzk_synced_non_voting_followers\t0\n"
                             + "zk_synced_observers\t\(observers)\nzk_pending_syncs\t0\n")
    }

    func configuration(host: String, port: Int) async -> EnsembleConfig? {
        let state = state.withLock { $0 }
        guard let ordinal = Self.ordinal(host), state.roles[ordinal] == .leader else { return nil }
        let lines = state.roles.keys.sorted().map { ordinal in
            "server.\(ordinal + 1)=zk-\(ordinal).zk-headless.default.svc.cluster.local:2888:3888:"
                + "\(state.observers.contains(ordinal + 1) ? "observer" : "participant");2181"
        }
        return EnsembleConfig(text: (lines + ["version=\(String(state.version, radix: 16))"]).joined(separator: "\n"))
    }

    func reconfigure(host: String, port: Int, credentials: DigestCredentials, change: MembershipChange, fromVersion: Int64) async throws {
        try state.withLock { state in
            guard fromVersion == state.version else { throw ZooKeeperError.server(code: ZooKeeperErrorCode.badVersion, path: nil) }
            state.changes.append(change)
            state.version += 1
            guard case .setRole(let member) = change else { return }
            if member.role == "observer" {
                state.observers.insert(member.id)
                let wasLeader = state.roles[member.id - 1] == .leader
                state.roles[member.id - 1] = .observer
                if wasLeader, let successor = state.roles.keys.filter({ !state.observers.contains($0 + 1) }).max() {
                    state.roles[successor] = .leader
                }
            } else {
                state.observers.remove(member.id)
                state.roles[member.id - 1] = .follower
            }
        }
    }
}

extension MembershipChange {
    /// The role a `.setRole` gives (nil for other changes), for tests.
    var role: String? {
        if case .setRole(let member) = self { member.role } else { nil }
    }
}
