import Foundation
import KubeModel

/// The leader-election fields of a `coordination.k8s.io/v1` Lease's spec, as client-go's
/// `LeaderElectionRecord`. Times stay strings (MicroTime, RFC 3339 with microseconds):
/// decisions never read them, they are for people and other tools.
public struct LeaseRecord: Sendable, Hashable {
    public var holderIdentity: String?
    public var leaseDurationSeconds: Int
    public var acquireTime: String?
    public var renewTime: String?
    public var leaseTransitions: Int

    public init(holderIdentity: String?, leaseDurationSeconds: Int, acquireTime: String? = nil, renewTime: String? = nil, leaseTransitions: Int = 0) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
    }

    /// True when someone holds the lease (a released lease has an empty holder).
    public var isHeld: Bool { !(holderIdentity ?? "").isEmpty }

    /// Reads the record from a Lease object's `spec`.
    public init(lease: JSONValue) {
        let spec = lease["spec"] ?? [:]
        holderIdentity = spec["holderIdentity"]?.stringValue
        leaseDurationSeconds = Int(spec["leaseDurationSeconds"]?.intValue ?? 0)
        acquireTime = spec["acquireTime"]?.stringValue
        renewTime = spec["renewTime"]?.stringValue
        leaseTransitions = Int(spec["leaseTransitions"]?.intValue ?? 0)
    }

    /// `lease` (or a new Lease named `name` in `namespace`) with this record as its spec's
    /// election fields; other fields, including metadata.resourceVersion, are kept.
    public func applied(to lease: JSONValue?, name: String, namespace: String) -> JSONValue {
        var object = lease ?? [
            "apiVersion": .string(ResourceType.leases.apiVersion),
            "kind": .string(ResourceType.leases.kind),
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
        ]
        var spec = object["spec"] ?? [:]
        if case .object = spec {} else { spec = [:] }
        spec["holderIdentity"] = holderIdentity.map(JSONValue.string) ?? .null
        spec["leaseDurationSeconds"] = .int(Int64(leaseDurationSeconds))
        spec["acquireTime"] = acquireTime.map(JSONValue.string) ?? .null
        spec["renewTime"] = renewTime.map(JSONValue.string) ?? .null
        spec["leaseTransitions"] = .int(Int64(leaseTransitions))
        object["spec"] = spec
        return object
    }

}
