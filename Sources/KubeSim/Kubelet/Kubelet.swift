import Foundation
import KubeClient
import KubeModel

/// kube-sim's node agent. It talks to any API server through `KubeClient`: registers its Node
/// and keeps it Ready (Lease and status every heartbeat), binds unscheduled pods to itself,
/// provisions local volumes for pending claims, runs the pods bound to it with `PodRuntime`,
/// reports their status, and honours graceful deletion. `run()` returns when its task is
/// cancelled, after stopping every process it started.
public actor Kubelet {
    struct RunningPod {
        var pod: Pod
        var podIP: String
        var hosts: String
        var lastStatus: PodStatus?
    }

    public let configuration: KubeletConfiguration
    public let runtime: PodRuntime
    let client: KubeClient
    let addresses: PodAddressPool
    /// Where `kubectl logs` finds this node's container logs (served by `KubeletServer`).
    public nonisolated let logs: ContainerLogIndex
    var heartbeat: NodeHeartbeat
    let provisioner: LocalVolumeProvisioner
    let tokens: ServiceAccountTokens
    var pods: [String: Pod] = [:]
    var services: [String: Service] = [:]
    var running: [String: RunningPod] = [:]
    var terminating: Set<String> = []
    /// Pods that could not start yet (missing ConfigMap, unbound claim): uid → reason written.
    var blocked: [String: String] = [:]
    private var syncing = false
    private var syncAgain = false

    public init(client: KubeClient, configuration: KubeletConfiguration) {
        self.client = client
        self.configuration = configuration
        self.runtime = PodRuntime(configuration: PodRuntimeConfiguration(
            stateDirectory: configuration.stateDirectory, images: configuration.images, backoff: configuration.backoff))
        self.heartbeat = NodeHeartbeat(client: client, configuration: configuration)
        self.provisioner = LocalVolumeProvisioner(client: client, configuration: configuration)
        self.tokens = ServiceAccountTokens(client: client)
        self.logs = ContainerLogIndex(stateDirectory: configuration.stateDirectory)
        self.addresses = PodAddressPool(firstAddress: configuration.firstPodAddress)
    }

    var nodeName: String { configuration.nodeName }

    /// Runs until cancelled; then stops every pod's processes (each within its grace period,
    /// capped at 30 s) and returns.
    public func run() async throws {
        await LeftoverProcesses.cleanUp(podsDirectory: configuration.stateDirectory.appendingPathComponent("pods"))
        var server: KubeletServer?
        if let port = configuration.kubeletPort {
            let candidate = KubeletServer(logs: logs, host: configuration.hostIP, port: port)
            do {
                try candidate.start()
                server = candidate
                heartbeat.kubeletPort = candidate.port
            } catch {
                log("cannot serve container logs on \(configuration.hostIP):\(port): \(error)")
            }
        }
        defer { server?.stop() }
        while true {
            do {
                try await heartbeat.register()
                break
            } catch {
                log("cannot register node \(nodeName): \(error); retrying")
                try await Task.sleep(for: .seconds(2))
            }
        }
        log("node \(nodeName) registered")
        // Unstructured, so that stopping never waits for a watch or a request stuck on a
        // server that went away: the pods are what must stop.
        let heartbeat = self.heartbeat
        var loops = [
            Task { await self.heartbeatLoop(heartbeat) },
            Task { await self.watchPods() },
            Task { await self.watchServices() },
            Task { await self.watchRuntime() },
            Task { await self.resyncLoop() },
        ]
        if configuration.provisionVolumes {
            loops.append(Task { await self.watchClaims() })
        }
        // Sleeps until this task is cancelled: woken by the cancellation itself, not by a timer.
        await CancellationWait.untilCancelled()
        loops.forEach { $0.cancel() }
        // In a fresh task: this one is cancelled, and the runtime's grace-period waits
        // (`Task.sleep`) would throw at once, so they would spin instead of waiting. An
        // unstructured `Task` does not inherit its creator's cancellation.
        let runtime = self.runtime
        await Task { await runtime.shutdown() }.value
        log("kubelet stopped; every pod's processes are gone")
    }

    func log(_ message: String) {
        FileHandle.standardError.write(Data("kubelet[\(nodeName)]: \(message)\n".utf8))
    }

    private func heartbeatLoop(_ heartbeat: NodeHeartbeat) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.heartbeatInterval)
            guard !Task.isCancelled else { return }
            do {
                try await heartbeat.beat()
            } catch {
                log("heartbeat failed: \(error)")
            }
        }
    }

    private func resyncLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.resyncInterval)
            guard !Task.isCancelled else { return }
            await refreshVolumeFiles()
            requestSync()
        }
    }

    private func watchPods() async {
        var fresh: [String: Pod] = [:]
        for await event in client.watcher(Pod.self, namespace: nil) {
            switch event {
            case .initStarted: fresh = [:]
            case .initApply(let pod): fresh[Self.uid(pod)] = pod
            case .initDone: pods = fresh
            case .apply(let pod): pods[Self.uid(pod)] = pod
            case .delete(let pod): pods[Self.uid(pod)] = nil
            }
            if case .initApply = event { continue }
            if case .initStarted = event { continue }
            requestSync()
        }
    }

    private func watchServices() async {
        var fresh: [String: Service] = [:]
        for await event in client.watcher(Service.self, namespace: nil) {
            switch event {
            case .initStarted: fresh = [:]
            case .initApply(let service): fresh[service.key] = service
            case .initDone: services = fresh
            case .apply(let service): services[service.key] = service
            case .delete(let service): services[service.key] = nil
            }
            if case .initApply = event { continue }
            if case .initStarted = event { continue }
            requestSync()
        }
    }

    private func watchClaims() async {
        for await event in client.watcher(PersistentVolumeClaim.self, namespace: nil) {
            let claim: PersistentVolumeClaim
            switch event {
            case .initApply(let object), .apply(let object): claim = object
            default: continue
            }
            guard (claim.spec?.volumeName ?? "").isEmpty, claim.metadata.deletionTimestamp == nil else { continue }
            do {
                if let volume = try await provisioner.provision(claim) {
                    log("provisioned \(volume) for claim \(claim.key)")
                    requestSync()
                }
            } catch {
                log("cannot provision a volume for \(claim.key): \(error)")
            }
        }
    }

    private func watchRuntime() async {
        for await uid in runtime.changes {
            guard !Task.isCancelled else { return }
            await writeStatus(uid: uid)
        }
    }

    static func uid(_ pod: Pod) -> String {
        pod.metadata.uid ?? "\(pod.metadata.namespace ?? "default")_\(pod.metadata.name ?? "")"
    }

    /// Coalesces sync requests: one sync runs at a time, and one more follows if asked meanwhile.
    func requestSync() {
        if syncing {
            syncAgain = true
            return
        }
        syncing = true
        Task {
            repeat {
                syncAgain = false
                await syncOnce()
            } while syncAgain
            syncing = false
        }
    }
}
