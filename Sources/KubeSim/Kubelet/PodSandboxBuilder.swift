import Foundation
import KubeModel

/// The API objects a pod refers to, fetched by the kubelet before it builds the pod's sandbox.
public struct PodReferences: Sendable {
    public var configMaps: [String: ConfigMap]
    public var secrets: [String: Secret]
    /// Claim name → the host directory of the volume bound to it.
    public var claimDirectories: [String: String]
    /// Bound ServiceAccount tokens for the pod's `serviceAccountToken` projections, by
    /// `tokenKey(audience:expirationSeconds:)`.
    public var serviceAccountTokens: [String: String]
    /// The variables every container gets before its own (`KUBERNETES_SERVICE_HOST`, ...).
    public var serviceEnvironment: [RuntimeEnvVar]

    public init(configMaps: [String: ConfigMap] = [:], secrets: [String: Secret] = [:], claimDirectories: [String: String] = [:],
                serviceAccountTokens: [String: String] = [:], serviceEnvironment: [RuntimeEnvVar] = []) {
        self.configMaps = configMaps
        self.secrets = secrets
        self.claimDirectories = claimDirectories
        self.serviceAccountTokens = serviceAccountTokens
        self.serviceEnvironment = serviceEnvironment
    }

    /// The key of a token projection: its audience (empty: the API server's) and lifetime.
    public static func tokenKey(audience: String?, expirationSeconds: Int64?) -> String {
        "\(audience ?? "")|\(expirationSeconds ?? 3600)"
    }
}

/// Turns a `Pod` and what it refers to into the runtime's `PodSandboxSpec`: env with
/// `valueFrom`/`envFrom` resolved, volumes' files projected, probes and identities mapped.
/// Pure: the kubelet fetches, this decides.
public enum PodSandboxBuilder {
    /// Why a pod cannot be built yet (Kubernetes reports these as `CreateContainerConfigError`
    /// or a `FailedMount` event, and retries).
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case missing(kind: String, name: String)
        case missingKey(kind: String, name: String, key: String)
        case unboundClaim(String)
        case unsupported(String)

        public var description: String {
            switch self {
            case .missing(let kind, let name): "\(kind) \"\(name)\" not found"
            case .missingKey(let kind, let name, let key): "couldn't find key \(key) in \(kind) \(name)"
            case .unboundClaim(let claim): "persistentvolumeclaim \"\(claim)\" is not bound"
            case .unsupported(let what): "unsupported by kube-sim: \(what)"
            }
        }
    }

    /// The pod's sandbox, for a pod given `podIP` on a node whose address is `hostIP`.
    public static func sandbox(for pod: Pod, podIP: String, hostIP: String, references: PodReferences) throws(Failure) -> PodSandboxSpec {
        let spec = pod.spec ?? PodSpec()
        let meta = pod.metadata
        let namespace = meta.namespace ?? "default"
        let podSecurity = spec.securityContext
        let identity = ProcessIdentity(
            runAsUser: podSecurity?.runAsUser.map { UInt32(clamping: $0) },
            runAsGroup: podSecurity?.runAsGroup.map { UInt32(clamping: $0) },
            fsGroup: podSecurity?.fsGroup.map { UInt32(clamping: $0) },
            supplementalGroups: (podSecurity?.supplementalGroups ?? []).map { UInt32(clamping: $0) })
        let fields = FieldValues(pod: pod, podIP: podIP, hostIP: hostIP)
        var volumes: [VolumeSpec] = []
        for volume in spec.volumes ?? [] {
            volumes.append(try Self.volume(volume, namespace: namespace, fields: fields, references: references))
        }
        func container(_ container: Container) throws(Failure) -> ContainerSpec {
            try Self.container(container, fields: fields, references: references)
        }
        var initContainers: [ContainerSpec] = []
        for item in spec.initContainers ?? [] { initContainers.append(try container(item)) }
        var containers: [ContainerSpec] = []
        for item in spec.containers ?? [] { containers.append(try container(item)) }
        return PodSandboxSpec(
            uid: meta.uid ?? "\(namespace)_\(meta.name ?? "")", namespace: namespace, name: meta.name ?? "",
            hostname: spec.hostname ?? meta.name, subdomain: spec.subdomain, volumes: volumes,
            initContainers: initContainers, containers: containers,
            restartPolicy: RestartPolicy(rawValue: spec.restartPolicy ?? "Always") ?? .always,
            terminationGracePeriodSeconds: Int(spec.terminationGracePeriodSeconds ?? 30), identity: identity)
    }

    private static func container(_ container: Container, fields: FieldValues, references: PodReferences) throws(Failure) -> ContainerSpec {
        let name = container.name ?? ""
        let namespace = fields.namespace
        // `makeEnvironmentVariables`: the service variables first, the container's own after
        // (and winning), each `$(VAR)` able to use those before it.
        var env: [RuntimeEnvVar] = references.serviceEnvironment
        for source in container.envFrom ?? [] {
            let prefix = source.prefix ?? ""
            if let reference = source.configMapRef, let mapName = reference.name {
                guard let map = references.configMaps[mapName] else {
                    if reference.optional == true { continue }
                    throw .missing(kind: "configmap", name: mapName)
                }
                for (key, value) in (map.data ?? [:]).sorted(by: { $0.key < $1.key }) { env.append(RuntimeEnvVar(prefix + key, value)) }
            }
            if let reference = source.secretRef, let secretName = reference.name {
                guard let secret = references.secrets[secretName] else {
                    if reference.optional == true { continue }
                    throw .missing(kind: "secret", name: secretName)
                }
                for (key, value) in secretData(secret).sorted(by: { $0.key < $1.key }) {
                    env.append(RuntimeEnvVar(prefix + key, String(decoding: value, as: UTF8.self)))
                }
            }
        }
        for variable in container.env ?? [] {
            guard let variableName = variable.name else { continue }
            if let source = variable.valueFrom {
                if let value = try value(of: source, container: container, fields: fields, references: references, namespace: namespace) {
                    env.append(RuntimeEnvVar(variableName, value))
                }
            } else {
                env.append(RuntimeEnvVar(variableName, variable.value ?? ""))
            }
        }
        let security = container.securityContext
        let identity = ProcessIdentity(runAsUser: security?.runAsUser.map { UInt32(clamping: $0) },
                                       runAsGroup: security?.runAsGroup.map { UInt32(clamping: $0) })
        let mounts = (container.volumeMounts ?? []).map {
            MountSpec(volume: $0.name ?? "", mountPath: $0.mountPath ?? "/", subPath: $0.subPath, readOnly: $0.readOnly ?? false)
        }
        return ContainerSpec(
            name: name, image: container.image ?? "", command: container.command, args: container.args, env: env,
            workingDir: container.workingDir, volumeMounts: mounts,
            readinessProbe: container.readinessProbe.flatMap { probe($0, container: container) },
            livenessProbe: container.livenessProbe.flatMap { probe($0, container: container) },
            startupProbe: container.startupProbe.flatMap { probe($0, container: container) },
            preStop: container.lifecycle?.preStop.flatMap { handler in
                if let seconds = handler.sleep?.seconds { return .exec(["sleep", String(seconds)]) }
                return action(exec: handler.exec, tcp: handler.tcpSocket, http: handler.httpGet, container: container)
            },
            identity: identity)
    }

    private static func value(of source: EnvVarSource, container: Container, fields: FieldValues, references: PodReferences,
                              namespace: String) throws(Failure) -> String? {
        if let path = source.fieldRef?.fieldPath { return fields.value(of: path) }
        if let selector = source.configMapKeyRef, let name = selector.name, let key = selector.key {
            guard let map = references.configMaps[name] else {
                if selector.optional == true { return nil }
                throw .missing(kind: "configmap", name: name)
            }
            guard let value = map.data?[key] else {
                if selector.optional == true { return nil }
                throw .missingKey(kind: "configmap", name: name, key: key)
            }
            return value
        }
        if let selector = source.secretKeyRef, let name = selector.name, let key = selector.key {
            guard let secret = references.secrets[name] else {
                if selector.optional == true { return nil }
                throw .missing(kind: "secret", name: name)
            }
            guard let value = secretData(secret)[key] else {
                if selector.optional == true { return nil }
                throw .missingKey(kind: "secret", name: name, key: key)
            }
            return String(decoding: value, as: UTF8.self)
        }
        if let resource = source.resourceFieldRef?.resource {
            // No cgroup limits here: report the declared limit or request, else the node's share.
            let limits = container.resources?.limits ?? [:]
            let requests = container.resources?.requests ?? [:]
            let key = resource.split(separator: ".").dropFirst().joined(separator: ".")
            return limits[key] ?? requests[key] ?? (key == "cpu" ? "1" : "0")
        }
        return nil
    }

    /// A Secret's `data` (base64) and `stringData`, decoded.
    static func secretData(_ secret: Secret) -> [String: Data] {
        var result: [String: Data] = [:]
        for (key, value) in secret.data ?? [:] { result[key] = Data(base64Encoded: value) ?? Data(value.utf8) }
        for (key, value) in secret.stringData ?? [:] { result[key] = Data(value.utf8) }
        return result
    }

    private static func probe(_ probe: Probe, container: Container) -> ProbeSpec? {
        guard let action = action(exec: probe.exec, tcp: probe.tcpSocket, http: probe.httpGet, container: container) else { return nil }
        return ProbeSpec(action: action, initialDelaySeconds: Double(probe.initialDelaySeconds ?? 0),
                         periodSeconds: Double(probe.periodSeconds ?? 10), timeoutSeconds: Double(probe.timeoutSeconds ?? 1),
                         successThreshold: probe.successThreshold ?? 1, failureThreshold: probe.failureThreshold ?? 3)
    }

    private static func action(exec: ExecAction?, tcp: TCPSocketAction?, http: HTTPGetAction?, container: Container) -> ProbeSpec.Action? {
        if let command = exec?.command { return .exec(command) }
        if let tcp, let port = port(tcp.port, container: container) { return .tcpSocket(port: port, host: tcp.host) }
        if let http, let port = port(http.port, container: container) {
            return .httpGet(path: http.path ?? "/", port: port, host: http.host, scheme: http.scheme ?? "HTTP")
        }
        return nil
    }

    /// A probe's port: a number, or the name of one of the container's ports.
    private static func port(_ value: IntOrString?, container: Container) -> Int? {
        switch value {
        case .int(let number)?: return number
        case .string(let name)?: return Int(name) ?? container.ports?.first { $0.name == name }?.containerPort
        case nil: return nil
        }
    }

    private static func volume(_ volume: Volume, namespace: String, fields: FieldValues, references: PodReferences) throws(Failure) -> VolumeSpec {
        let name = volume.name ?? ""
        if volume.emptyDir != nil { return VolumeSpec(name: name, source: .emptyDir) }
        if let claim = volume.persistentVolumeClaim?.claimName {
            guard let directory = references.claimDirectories[claim] else { throw .unboundClaim(claim) }
            return VolumeSpec(name: name, source: .hostDirectory(directory))
        }
        if let path = volume.hostPath?.path { return VolumeSpec(name: name, source: .hostDirectory(path)) }
        if let source = volume.configMap {
            let files = try configMapFiles(source.name ?? "", items: source.items, optional: source.optional ?? false,
                                           defaultMode: source.defaultMode, references: references)
            return VolumeSpec(name: name, source: .files(files))
        }
        if let source = volume.secret {
            let files = try secretFiles(source.secretName ?? "", items: source.items, optional: source.optional ?? false,
                                        defaultMode: source.defaultMode, references: references)
            return VolumeSpec(name: name, source: .files(files))
        }
        if let source = volume.downwardAPI {
            return VolumeSpec(name: name, source: .files(downwardFiles(source.items ?? [], defaultMode: source.defaultMode, fields: fields)))
        }
        if let projected = volume.projected {
            var files: [ProjectedFile] = []
            let mode = projected.defaultMode
            for source in projected.sources ?? [] {
                if let map = source.configMap {
                    files += try configMapFiles(map.name ?? "", items: map.items, optional: map.optional ?? false, defaultMode: mode, references: references)
                }
                if let secret = source.secret {
                    files += try secretFiles(secret.name ?? "", items: secret.items, optional: secret.optional ?? false, defaultMode: mode, references: references)
                }
                if let downward = source.downwardAPI {
                    files += downwardFiles(downward.items ?? [], defaultMode: mode, fields: fields)
                }
                if let token = source.serviceAccountToken {
                    let key = PodReferences.tokenKey(audience: token.audience, expirationSeconds: token.expirationSeconds)
                    guard let value = references.serviceAccountTokens[key] else { throw .missing(kind: "serviceaccount token", name: token.path ?? "token") }
                    files.append(ProjectedFile(path: token.path ?? "token", content: Data(value.utf8), mode: UInt16(clamping: mode ?? 0o644)))
                }
            }
            return VolumeSpec(name: name, source: .files(files))
        }
        throw .unsupported("volume \(name) of this type")
    }

    private static func keyPaths(_ items: [KeyToPath]?) -> [VolumeFiles.KeyToPath]? {
        items?.map { VolumeFiles.KeyToPath(key: $0.key ?? "", path: $0.path ?? $0.key ?? "", mode: $0.mode.map { UInt16(clamping: $0) }) }
    }

    private static func configMapFiles(_ name: String, items: [KeyToPath]?, optional: Bool, defaultMode: Int?,
                                       references: PodReferences) throws(Failure) -> [ProjectedFile] {
        guard let map = references.configMaps[name] else {
            if optional { return [] }
            throw .missing(kind: "configmap", name: name)
        }
        var data: [String: Data] = [:]
        for (key, value) in map.data ?? [:] { data[key] = Data(value.utf8) }
        for (key, value) in map.binaryData ?? [:] { data[key] = Data(base64Encoded: value) ?? Data() }
        let projected = VolumeFiles.project(data: data, items: keyPaths(items), defaultMode: defaultMode.map { UInt16(clamping: $0) })
        if let key = projected.missingKeys.first, !optional { throw .missingKey(kind: "configmap", name: name, key: key) }
        return projected.files
    }

    private static func secretFiles(_ name: String, items: [KeyToPath]?, optional: Bool, defaultMode: Int?,
                                     references: PodReferences) throws(Failure) -> [ProjectedFile] {
        guard let secret = references.secrets[name] else {
            if optional { return [] }
            throw .missing(kind: "secret", name: name)
        }
        let projected = VolumeFiles.project(data: secretData(secret), items: keyPaths(items), defaultMode: defaultMode.map { UInt16(clamping: $0) })
        if let key = projected.missingKeys.first, !optional { throw .missingKey(kind: "secret", name: name, key: key) }
        return projected.files
    }

    private static func downwardFiles(_ items: [DownwardAPIVolumeFile], defaultMode: Int?, fields: FieldValues) -> [ProjectedFile] {
        items.compactMap { item in
            guard let path = item.path, let fieldPath = item.fieldRef?.fieldPath, let value = fields.value(of: fieldPath) else { return nil }
            return ProjectedFile(path: path, content: Data(value.utf8), mode: UInt16(clamping: item.mode ?? defaultMode ?? 0o644))
        }
    }
}

/// The values `fieldRef` selects.
struct FieldValues: Sendable {
    var pod: Pod
    var podIP: String
    var hostIP: String

    var namespace: String { pod.metadata.namespace ?? "default" }

    func value(of path: String) -> String? {
        let meta = pod.metadata
        switch path {
        case "metadata.name": return meta.name
        case "metadata.namespace": return namespace
        case "metadata.uid": return meta.uid
        case "spec.nodeName": return pod.spec?.nodeName
        case "spec.serviceAccountName": return pod.spec?.serviceAccountName ?? "default"
        case "status.podIP", "status.podIPs": return podIP
        case "status.hostIP", "status.hostIPs": return hostIP
        case "metadata.labels": return Self.render(meta.labels ?? [:])
        case "metadata.annotations": return Self.render(meta.annotations ?? [:])
        default:
            for (prefix, map) in [("metadata.labels['", meta.labels), ("metadata.annotations['", meta.annotations)]
            where path.hasPrefix(prefix) && path.hasSuffix("']") {
                let key = String(path.dropFirst(prefix.count).dropLast(2))
                return map?[key] ?? ""
            }
            return nil
        }
    }

    /// The downward API's `key="value"` lines, sorted.
    static func render(_ map: [String: String]) -> String {
        map.keys.sorted().map { key in
            let value = (map[key] ?? "").replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\(key)=\"\(value)\""
        }.joined(separator: "\n")
    }
}
