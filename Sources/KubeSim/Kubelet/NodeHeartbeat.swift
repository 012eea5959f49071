import Foundation
#if canImport(Glibc)
import Glibc
#endif
import KubeClient
import KubeModel

/// Registers the kubelet's Node and keeps it alive: `status` (Ready, capacity, addresses)
/// and a Lease in `kube-node-lease`, renewed every heartbeat, as a real kubelet does.
struct NodeHeartbeat: Sendable {
    let client: KubeClient
    let configuration: KubeletConfiguration
    /// Where the kubelet serves `/containerLogs` (reported as `daemonEndpoints`), if it does.
    var kubeletPort: Int?

    static let leaseNamespace = "kube-node-lease"

    /// The node's status as this kubelet reports it.
    func nodeStatus(now: Date, previous: NodeStatus?) -> NodeStatus {
        let time = RFC3339.seconds(now)
        func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> NodeCondition {
            let old = previous?.conditions?.first { $0.type == type }
            return NodeCondition(type: type, status: status, lastHeartbeatTime: time,
                                 lastTransitionTime: old?.status == status ? (old?.lastTransitionTime ?? time) : time,
                                 reason: reason, message: message)
        }
        var info = NodeSystemInfo()
        info.kubeletVersion = "v1.32.0-kube-sim"
        info.kubeProxyVersion = "v1.32.0-kube-sim"
        info.containerRuntimeVersion = "kube-sim://1"
        info.operatingSystem = "linux"
        info.architecture = Self.architecture
        info.osImage = "kube-sim (local processes)"
        info.kernelVersion = Self.kernelRelease
        info.machineID = configuration.nodeName
        info.systemUUID = configuration.nodeName
        info.bootID = Self.bootID
        return NodeStatus(
            capacity: configuration.capacity, allocatable: configuration.capacity,
            conditions: [
                condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            addresses: [NodeAddress(type: "InternalIP", address: configuration.hostIP),
                        NodeAddress(type: "Hostname", address: configuration.nodeName)],
            daemonEndpoints: kubeletPort.map { ["kubeletEndpoint": ["Port": .int(Int64($0))]] },
            nodeInfo: info)
    }

    static let architecture: String = {
        #if arch(arm64)
        "arm64"
        #else
        "amd64"
        #endif
    }()

    /// `uname -r`.
    static let kernelRelease: String = {
        var names = utsname()
        uname(&names)
        return withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }()

    static let bootID: String = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? UUID().uuidString.lowercased()

    /// Creates the Node if missing, then writes its status.
    func register() async throws {
        let name = configuration.nodeName
        var existing: Node?
        do {
            existing = try await client.get(Node.self, namespace: nil, name: name)
        } catch let error as KubeError where error.isNotFound {
            var meta = ObjectMeta()
            meta.name = name
            meta.labels = ["kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": Self.architecture,
                           "kube-sim.dev/node": "true"]
            do {
                existing = try await client.create(Node(metadata: meta, spec: NodeSpec()))
            } catch let error as KubeError where error.isAlreadyExists || error.isConflict {
                existing = try await client.get(Node.self, namespace: nil, name: name)
            }
        }
        try await updateStatus(previous: existing?.status)
    }

    /// Writes the node's status (a merge patch of the status subresource: no conflicts).
    func updateStatus(previous: NodeStatus?) async throws {
        let status = nodeStatus(now: Date(), previous: previous)
        let patch: JSONValue = ["status": try JSONValue(encoding: status)]
        _ = try await client.patch(.nodes, namespace: nil, name: configuration.nodeName, patch: .merge(patch), subresource: "status")
    }

    /// One heartbeat: the Lease renewed (created when missing) and the status rewritten.
    func beat() async throws {
        let name = configuration.nodeName
        let now = RFC3339.microseconds(Date())
        let duration = Int(max(40, configuration.heartbeatInterval.components.seconds * 4))
        do {
            var lease = try await client.get(Lease.self, namespace: Self.leaseNamespace, name: name)
            var spec = lease.spec ?? LeaseSpec()
            spec.holderIdentity = name
            spec.leaseDurationSeconds = duration
            spec.renewTime = now
            lease.spec = spec
            _ = try await client.update(lease)
        } catch let error as KubeError where error.isNotFound {
            var meta = ObjectMeta()
            meta.name = name
            meta.namespace = Self.leaseNamespace
            if let node = try? await client.get(Node.self, namespace: nil, name: name), let uid = node.metadata.uid {
                meta.ownerReferences = [OwnerReference(apiVersion: "v1", kind: "Node", name: name, uid: uid)]
            }
            var spec = LeaseSpec()
            spec.holderIdentity = name
            spec.leaseDurationSeconds = duration
            spec.renewTime = now
            _ = try await client.create(Lease(metadata: meta, spec: spec))
        }
        let node = try? await client.get(Node.self, namespace: nil, name: name)
        if node == nil {
            try await register()
        } else {
            try await updateStatus(previous: node?.status)
        }
    }
}
