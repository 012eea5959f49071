import Foundation
import KubeModel

/// Settings of a kube-sim kubelet.
public struct KubeletConfiguration: Sendable {
    public var nodeName: String
    /// The node's `InternalIP`, reported as every pod's `hostIP`.
    public var hostIP: String
    /// `status.capacity` (and `allocatable`): large enough for test ensembles by default.
    public var capacity: [String: Quantity]
    /// Holds `pods/` (per-pod directories), `images/`, and `volumes/` (provisioned volumes).
    public var stateDirectory: URL
    /// How often the node's Lease and status are renewed (a real kubelet: 10 s).
    public var heartbeatInterval: Duration
    /// How often every pod is re-synced even without events (hosts files, ConfigMap volumes).
    public var resyncInterval: Duration
    /// Whether pending PersistentVolumeClaims get a local-directory PersistentVolume.
    public var provisionVolumes: Bool
    /// Whether unscheduled pods are bound to this node.
    public var bindPods: Bool
    public var images: ImageCatalog
    public var backoff: RestartBackoff
    /// The port of the kubelet's HTTP endpoint (`/containerLogs` for `kubectl logs`) on
    /// `hostIP`; 0 picks a free one, nil serves none.
    public var kubeletPort: Int?
    /// The first pod address (127.0.0.2 by default); kubelets sharing a host use separate ranges.
    public var firstPodAddress: String
    /// Where pods reach the API server over TLS (`KUBERNETES_SERVICE_HOST`/`_PORT`). A real
    /// kubelet takes the `kubernetes` Service's cluster IP and port; kube-sim routes no cluster
    /// IPs, so it is told the TLS front's address. Nil sets no such variables.
    public var kubernetesService: KubernetesServiceEndpoint?

    public init(nodeName: String, hostIP: String = "127.0.0.1",
                capacity: [String: Quantity] = ["cpu": "64", "memory": "256Gi", "pods": "250", "ephemeral-storage": "1Ti"],
                stateDirectory: URL, heartbeatInterval: Duration = .seconds(10), resyncInterval: Duration = .seconds(5),
                provisionVolumes: Bool = true, bindPods: Bool = true, images: ImageCatalog = .standard,
                backoff: RestartBackoff = RestartBackoff(), kubeletPort: Int? = 0, firstPodAddress: String = "127.0.0.2",
                kubernetesService: KubernetesServiceEndpoint? = nil) {
        self.nodeName = nodeName
        self.hostIP = hostIP
        self.capacity = capacity
        self.stateDirectory = stateDirectory
        self.heartbeatInterval = heartbeatInterval
        self.resyncInterval = resyncInterval
        self.provisionVolumes = provisionVolumes
        self.bindPods = bindPods
        self.images = images
        self.backoff = backoff
        self.kubeletPort = kubeletPort
        self.firstPodAddress = firstPodAddress
        self.kubernetesService = kubernetesService
    }
}

/// The API server's in-cluster address.
public struct KubernetesServiceEndpoint: Sendable, Equatable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// The variables `envvars.FromServices` makes of the `kubernetes` Service (port name
    /// `https`), which the kubelet gives every container whatever `enableServiceLinks` says.
    public var environment: [RuntimeEnvVar] {
        let address = "tcp://\(host):\(port)"
        return [
            RuntimeEnvVar("KUBERNETES_SERVICE_HOST", host), RuntimeEnvVar("KUBERNETES_SERVICE_PORT", String(port)),
            RuntimeEnvVar("KUBERNETES_SERVICE_PORT_HTTPS", String(port)), RuntimeEnvVar("KUBERNETES_PORT", address),
            RuntimeEnvVar("KUBERNETES_PORT_\(port)_TCP", address), RuntimeEnvVar("KUBERNETES_PORT_\(port)_TCP_PROTO", "tcp"),
            RuntimeEnvVar("KUBERNETES_PORT_\(port)_TCP_PORT", String(port)), RuntimeEnvVar("KUBERNETES_PORT_\(port)_TCP_ADDR", host),
        ]
    }
}

/// Errors of the kubelet.
public enum KubeletError: Error, Sendable, CustomStringConvertible {
    case registration(String)

    public var description: String {
        switch self {
        case .registration(let message): "node registration failed: \(message)"
        }
    }
}
