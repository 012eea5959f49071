import Foundation
import KubeModel

/// The `ServiceAccount` admission plugin's mutation of a new pod
/// (`plugin/pkg/admission/serviceaccount/admission.go`, v1.32), pure: `serviceAccountName`
/// defaults to `default`; the account must exist; unless the pod (first) or the account says
/// `automountServiceAccountToken: false`, every container and init container without a mount
/// at `/var/run/secrets/kubernetes.io/serviceaccount` gets one of a projected volume
/// `kube-api-access-<5 random>` (`TokenVolumeSource`): a bound token (`token`, 3607 s), the
/// `kube-root-ca.crt` ConfigMap's `ca.crt`, and the namespace through the downward API.
enum ServiceAccountAdmission {
    static let mountPath = "/var/run/secrets/kubernetes.io/serviceaccount"
    static let volumePrefix = "kube-api-access-"
    /// `serviceaccount.WarnOnlyBoundTokenExpirationSeconds`: an hour and 7 s, the `-7` telling
    /// the server to issue a longer-lived token and warn on its use past an hour.
    static let tokenExpirationSeconds: Int64 = 3607

    enum Refusal: Error, Equatable {
        /// `error looking up service account <ns>/<name>: serviceaccount "<name>" not found`.
        case notFound(namespace: String, name: String)

        var message: String {
            switch self {
            case .notFound(let namespace, let name):
                "error looking up service account \(namespace)/\(name): serviceaccount \"\(name)\" not found"
            }
        }
    }

    /// The account the pod runs as (after defaulting).
    static func serviceAccountName(of pod: JSONValue) -> String {
        let name = pod[path: ["spec", "serviceAccountName"]]?.stringValue ?? ""
        return name.isEmpty ? "default" : name
    }

    /// Mutates `pod` as the plugin does; `suffix` is the generated volume name's random part.
    static func admit(_ pod: inout JSONValue, namespace: String, serviceAccount: JSONValue?, suffix: String) throws(Refusal) {
        // Mirror pods are left alone (kube-sim has no static pods).
        if pod[path: ["metadata", "annotations", "kubernetes.io/config.mirror"]] != nil { return }
        let name = serviceAccountName(of: pod)
        pod[path: ["spec", "serviceAccountName"]] = .string(name)
        // `spec.serviceAccount` is the deprecated alias the API keeps equal.
        pod[path: ["spec", "serviceAccount"]] = .string(name)
        guard let serviceAccount else { throw .notFound(namespace: namespace, name: name) }
        let automount = pod[path: ["spec", "automountServiceAccountToken"]]?.boolValue
            ?? serviceAccount["automountServiceAccountToken"]?.boolValue ?? true
        guard automount else { return }
        mountToken(&pod, suffix: suffix)
        if (pod[path: ["spec", "imagePullSecrets"]]?.arrayValue ?? []).isEmpty, let secrets = serviceAccount["imagePullSecrets"],
           !(secrets.arrayValue ?? []).isEmpty {
            pod[path: ["spec", "imagePullSecrets"]] = secrets
        }
    }

    /// `mountServiceAccountToken`: reuses a `kube-api-access-*` volume the pod already has.
    static func mountToken(_ pod: inout JSONValue, suffix: String) {
        let volumes = pod[path: ["spec", "volumes"]]?.arrayValue ?? []
        let existing = volumes.compactMap { $0["name"]?.stringValue }.first { $0.hasPrefix(volumePrefix) }
        let volumeName = existing ?? volumePrefix + suffix
        let mount: JSONValue = ["name": .string(volumeName), "readOnly": true, "mountPath": .string(mountPath)]
        var needsVolume = false
        for field in ["initContainers", "containers"] {
            guard let containers = pod[path: ["spec", field]]?.arrayValue else { continue }
            pod[path: ["spec", field]] = .array(containers.map { container in
                var container = container
                let mounts = container["volumeMounts"]?.arrayValue ?? []
                guard !mounts.contains(where: { $0["mountPath"]?.stringValue == mountPath }) else { return container }
                container["volumeMounts"] = .array(mounts + [mount])
                needsVolume = true
                return container
            })
        }
        guard existing == nil, needsVolume else { return }
        pod[path: ["spec", "volumes"]] = .array(volumes + [["name": .string(volumeName), "projected": tokenVolumeSource]])
    }

    /// `TokenVolumeSource()`.
    static let tokenVolumeSource: JSONValue = [
        "defaultMode": 420,
        "sources": [
            ["serviceAccountToken": ["expirationSeconds": .int(tokenExpirationSeconds), "path": "token"]],
            ["configMap": ["name": "kube-root-ca.crt", "items": [["key": "ca.crt", "path": "ca.crt"]]]],
            ["downwardAPI": ["items": [["path": "namespace", "fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"]]]]],
        ],
    ]
}
