import Foundation
@testable import Keeper
import KubeModel

/// Shared test objects.
enum Fixtures {
    static func cluster(_ name: String = "zk", namespace: String = "default", spec: ZookeeperClusterSpec = ZookeeperClusterSpec(), generation: Int64 = 1) -> ZookeeperCluster {
        var metadata = ObjectMeta(name: name, namespace: namespace)
        metadata.uid = "uid-\(name)"
        metadata.generation = generation
        return ZookeeperCluster(metadata: metadata, spec: spec)
    }

    /// A member pod as the StatefulSet controller and kubelet would leave it.
    static func pod(_ name: String, ready: Bool = true, revision: String = "zk-rev1", configHash: String? = nil) -> Pod {
        var metadata = ObjectMeta(name: name, namespace: "default", labels: [Labels.controllerRevisionHash: revision])
        if let configHash { metadata.annotations = [Labels.configHashAnnotation: configHash] }
        return Pod(metadata: metadata, status: PodStatus(
            phase: "Running",
            conditions: [PodCondition(type: "Ready", status: ready ? "True" : "False")],
            podIP: "127.0.0.\(name.last.flatMap { Int(String($0)) }.map { $0 + 10 } ?? 9)"
        ))
    }

    static let now = Date(timeIntervalSince1970: 1_714_564_800) // 2024-05-01T12:00:00Z
}
