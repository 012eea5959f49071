import Foundation
import KubeClient
import KubeModel

/// Gives each pending PersistentVolumeClaim a PersistentVolume backed by a local directory
/// and binds the two, as rancher's local-path provisioner (plus the PV controller) would:
/// the PV (`pvc-<claim uid>`, reclaim policy Delete, node affinity to this node) points at
/// `<state>/volumes/<namespace>_<claim>`, so a claim re-created under the same name — or a pod
/// re-created with the same claim — finds its data again.
struct LocalVolumeProvisioner: Sendable {
    let client: KubeClient
    let configuration: KubeletConfiguration

    var volumesDirectory: URL { configuration.stateDirectory.appendingPathComponent("volumes") }

    /// The directory backing a claim.
    func directory(namespace: String, claim: String) -> String {
        volumesDirectory.appendingPathComponent("\(namespace)_\(claim)").path
    }

    /// Provisions and binds `claim` if it is pending and unbound; returns the PV name when it did.
    @discardableResult
    func provision(_ claim: PersistentVolumeClaim) async throws -> String? {
        guard claim.metadata.deletionTimestamp == nil, (claim.spec?.volumeName ?? "").isEmpty,
              let namespace = claim.metadata.namespace, let name = claim.metadata.name, let uid = claim.metadata.uid
        else { return nil }
        let path = directory(namespace: namespace, claim: name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        let volumeName = "pvc-\(uid)"
        let size = claim.spec?.resources?.requests?["storage"] ?? "1Gi"
        let accessModes = claim.spec?.accessModes ?? ["ReadWriteOnce"]
        var meta = ObjectMeta()
        meta.name = volumeName
        meta.annotations = ["pv.kubernetes.io/provisioned-by": "kube-sim.dev/local-path"]
        var requirement = NodeSelectorRequirement()
        requirement.key = "kubernetes.io/hostname"
        requirement.operator = "In"
        requirement.values = [configuration.nodeName]
        var term = NodeSelectorTerm()
        term.matchExpressions = [requirement]
        var spec = PersistentVolumeSpec()
        spec.capacity = ["storage": size]
        spec.accessModes = accessModes
        spec.persistentVolumeReclaimPolicy = "Delete"
        spec.storageClassName = claim.spec?.storageClassName
        spec.hostPath = HostPathVolumeSource(path: path, type: "DirectoryOrCreate")
        spec.claimRef = ObjectReference(apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: namespace, name: name, uid: uid)
        spec.nodeAffinity = VolumeNodeAffinity(required: NodeSelector(nodeSelectorTerms: [term]))
        do {
            _ = try await client.create(PersistentVolume(metadata: meta, spec: spec))
        } catch let error as KubeError where error.isAlreadyExists || error.isConflict {
            // Provisioned before (by us, before a restart): go on binding.
        }
        // The binding half of the PV controller: claim → volume, then both statuses Bound.
        _ = try await client.patch(PersistentVolumeClaim.self, namespace: namespace, name: name,
                                   patch: .merge(["spec": ["volumeName": .string(volumeName)]]))
        let claimStatus: JSONValue = ["status": ["phase": "Bound", "accessModes": try JSONValue(encoding: accessModes),
                                                 "capacity": ["storage": .string(size)]]]
        _ = try? await client.patch(PersistentVolumeClaim.self, namespace: namespace, name: name, patch: .merge(claimStatus), subresource: "status")
        _ = try? await client.patch(PersistentVolume.self, namespace: nil, name: volumeName,
                                    patch: .merge(["status": ["phase": "Bound"]]), subresource: "status")
        return volumeName
    }

    /// The host directory of a bound claim's volume, if it is one this node can use.
    func boundDirectory(of claim: PersistentVolumeClaim) async -> String? {
        guard let volumeName = claim.spec?.volumeName, !volumeName.isEmpty,
              let volume = try? await client.get(PersistentVolume.self, namespace: nil, name: volumeName) else { return nil }
        return volume.spec?.hostPath?.path ?? volume.spec?.local?.path
    }
}
