import Foundation
import KubeClient
import KubeModel

extension Kubelet {
    /// One level-triggered pass: bind unscheduled pods, start and stop this node's pods,
    /// refresh hosts files, report statuses.
    func syncOnce() async {
        if configuration.bindPods {
            for pod in pods.values where Self.needsBinding(pod) {
                await bind(pod)
            }
        }
        let mine = pods.values.filter { $0.spec?.nodeName == nodeName }
        for pod in mine {
            let uid = Self.uid(pod)
            if pod.metadata.deletionTimestamp != nil {
                if !terminating.contains(uid) {
                    terminating.insert(uid)
                    Task { await self.terminate(pod) }
                }
                continue
            }
            if running[uid] == nil, !Self.isFinished(pod) {
                await start(pod)
            } else if var entry = running[uid] {
                entry.pod = pod
                running[uid] = entry
            }
        }
        // Pods removed from the API without a graceful deletion (force-deleted): stop at once.
        for uid in running.keys where pods[uid] == nil && !terminating.contains(uid) {
            terminating.insert(uid)
            Task {
                await self.runtime.removePod(uid: uid)
                self.forget(uid)
            }
        }
        for uid in blocked.keys where pods[uid] == nil { blocked[uid] = nil }
        for (uid, entry) in running {
            let hosts = hostsFile(for: entry.pod, podIP: entry.podIP)
            if hosts != entry.hosts {
                try? await runtime.updateHosts(uid: uid, content: hosts)
                running[uid]?.hosts = hosts
            }
        }
        for uid in Array(running.keys) { await writeStatus(uid: uid) }
    }

    func forget(_ uid: String) {
        if let pod = running[uid]?.pod {
            logs.forget(namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name ?? "", uid: uid)
        }
        running[uid] = nil
        terminating.remove(uid)
        addresses.release(uid)
        Task { await tokens.forget(podUID: uid) }
    }

    static func isFinished(_ pod: Pod) -> Bool {
        pod.status?.phase == "Succeeded" || pod.status?.phase == "Failed"
    }

    static func needsBinding(_ pod: Pod) -> Bool {
        (pod.spec?.nodeName ?? "").isEmpty && pod.metadata.deletionTimestamp == nil && !isFinished(pod)
            && (pod.spec?.schedulerName ?? "default-scheduler") == "default-scheduler"
    }

    /// Binds the pod to this node through `pods/binding`; a pod bound meanwhile (by a real
    /// scheduler) is left alone. An API server without the subresource gets `spec.nodeName` patched.
    func bind(_ pod: Pod) async {
        guard let namespace = pod.metadata.namespace, let name = pod.metadata.name else { return }
        var metadata: JSONValue = ["name": .string(name), "namespace": .string(namespace)]
        if let uid = pod.metadata.uid { metadata["uid"] = .string(uid) }
        let binding: JSONValue = ["apiVersion": "v1", "kind": "Binding", "metadata": metadata,
                                  "target": ["apiVersion": "v1", "kind": "Node", "name": .string(nodeName)]]
        do {
            _ = try await client.create(.pods, namespace: namespace, object: binding, subresource: "binding", name: name)
            log("bound \(namespace)/\(name)")
        } catch let error as KubeError where error.isConflict || error.isNotFound && error.status?.details?.kind == "pods" {
            // Already bound (or gone): the watch brings the truth.
        } catch let error as KubeError where error.isNotFound || error.status?.code == 405 {
            _ = try? await client.patch(Pod.self, namespace: namespace, name: name, patch: .merge(["spec": ["nodeName": .string(nodeName)]]))
        } catch {
            log("cannot bind \(namespace)/\(name): \(error)")
        }
    }

    /// Fetches what the pod refers to, builds its sandbox and starts it; a pod that cannot
    /// start yet reports why and is retried on the next sync.
    func start(_ pod: Pod) async {
        let uid = Self.uid(pod)
        let podIP = addresses.allocate(for: uid)
        let sandbox: PodSandboxSpec
        do {
            let references = try await fetchReferences(for: pod)
            sandbox = try PodSandboxBuilder.sandbox(for: pod, podIP: podIP, hostIP: configuration.hostIP, references: references)
        } catch {
            await reportBlocked(pod, podIP: podIP, reason: "\(error)")
            return
        }
        let hosts = hostsFile(for: pod, podIP: podIP)
        do {
            try await runtime.startPod(sandbox, podIP: podIP, hosts: hosts)
        } catch {
            await reportBlocked(pod, podIP: podIP, reason: "\(error)")
            return
        }
        blocked[uid] = nil
        running[uid] = RunningPod(pod: pod, podIP: podIP, hosts: hosts)
        logs.record(namespace: sandbox.namespace, name: sandbox.name, uid: uid)
        log("started \(pod.key) on \(podIP)")
    }

    private func reportBlocked(_ pod: Pod, podIP: String, reason: String) async {
        let uid = Self.uid(pod)
        guard blocked[uid] != reason else { return }
        blocked[uid] = reason
        log("cannot start \(pod.key) yet: \(reason)")
        let waitingReason = reason.contains("persistentvolumeclaim") ? "ContainerCreating" : "CreateContainerConfigError"
        let status = PodStatusBuilder.waitingStatus(pod: pod, reason: waitingReason, message: reason, podIP: nil,
                                                    hostIP: configuration.hostIP, now: Date())
        await patchStatus(pod, status)
    }

    /// ConfigMaps, Secrets and claim directories the pod's volumes and env name.
    func fetchReferences(for pod: Pod) async throws -> PodReferences {
        let namespace = pod.metadata.namespace ?? "default"
        var configMapNames: Set<String> = []
        var secretNames: Set<String> = []
        var claimNames: Set<String> = []
        for volume in pod.spec?.volumes ?? [] {
            if let name = volume.configMap?.name { configMapNames.insert(name) }
            if let name = volume.secret?.secretName { secretNames.insert(name) }
            if let name = volume.persistentVolumeClaim?.claimName { claimNames.insert(name) }
            for source in volume.projected?.sources ?? [] {
                if let name = source.configMap?.name { configMapNames.insert(name) }
                if let name = source.secret?.name { secretNames.insert(name) }
            }
        }
        for container in (pod.spec?.containers ?? []) + (pod.spec?.initContainers ?? []) {
            for variable in container.env ?? [] {
                if let name = variable.valueFrom?.configMapKeyRef?.name { configMapNames.insert(name) }
                if let name = variable.valueFrom?.secretKeyRef?.name { secretNames.insert(name) }
            }
            for source in container.envFrom ?? [] {
                if let name = source.configMapRef?.name { configMapNames.insert(name) }
                if let name = source.secretRef?.name { secretNames.insert(name) }
            }
        }
        var references = PodReferences()
        for name in configMapNames {
            references.configMaps[name] = try? await client.get(ConfigMap.self, namespace: namespace, name: name)
        }
        for name in secretNames {
            references.secrets[name] = try? await client.get(Secret.self, namespace: namespace, name: name)
        }
        for name in claimNames {
            guard var claim = try? await client.get(PersistentVolumeClaim.self, namespace: namespace, name: name) else { continue }
            if (claim.spec?.volumeName ?? "").isEmpty, configuration.provisionVolumes,
               let volume = try? await provisioner.provision(claim) {
                claim.spec?.volumeName = volume
            }
            references.claimDirectories[name] = await provisioner.boundDirectory(of: claim)
        }
        references.serviceAccountTokens = try await tokens.tokens(for: pod)
        references.serviceEnvironment = configuration.kubernetesService?.environment ?? []
        return references
    }

    /// Rewrites the files of running pods' configMap/secret/projected volumes from the API.
    func refreshVolumeFiles() async {
        for (uid, entry) in running where !terminating.contains(uid) {
            let volumes = entry.pod.spec?.volumes ?? []
            guard volumes.contains(where: { $0.configMap != nil || $0.secret != nil || $0.projected != nil || $0.downwardAPI != nil }),
                  let references = try? await fetchReferences(for: entry.pod),
                  let sandbox = try? PodSandboxBuilder.sandbox(for: entry.pod, podIP: entry.podIP, hostIP: configuration.hostIP,
                                                               references: references) else { continue }
            for volume in sandbox.volumes {
                if case .files(let files) = volume.source {
                    try? await runtime.updateVolumeFiles(uid: uid, volume: volume.name, files: files)
                }
            }
        }
    }

    /// The pod's `/etc/hosts` from the pods and Services the kubelet watches.
    func hostsFile(for pod: Pod, podIP: String) -> String {
        let records = pods.values.map { other -> ClusterHosts.PodRecord in
            let uid = Self.uid(other)
            let ip = running[uid]?.podIP ?? other.status?.podIP
            let status = running[uid]?.lastStatus ?? other.status
            let ready = status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } ?? false
            return ClusterHosts.PodRecord(namespace: other.metadata.namespace ?? "default", name: other.metadata.name ?? "",
                                          hostname: other.spec?.hostname, subdomain: other.spec?.subdomain,
                                          labels: other.metadata.labels ?? [:], ip: ip,
                                          ready: ready && other.metadata.deletionTimestamp == nil)
        }
        let serviceRecords = services.values.map { service in
            ClusterHosts.ServiceRecord(namespace: service.metadata.namespace ?? "default", name: service.metadata.name ?? "",
                                       selector: service.spec?.selector ?? [:], headless: service.spec?.clusterIP == "None",
                                       publishNotReadyAddresses: service.spec?.publishNotReadyAddresses ?? false)
        }
        let spec = pod.spec
        let hostname = spec?.hostname ?? pod.metadata.name ?? ""
        let namespace = pod.metadata.namespace ?? "default"
        let fqdn = spec?.subdomain.map { "\(hostname).\($0).\(namespace).svc.cluster.local" } ?? hostname
        var text = ClusterHosts(pods: records, services: serviceRecords).render(namespace: namespace, hostname: hostname, fqdn: fqdn, ip: podIP)
        for alias in spec?.hostAliases ?? [] {
            if let ip = alias.ip, let names = alias.hostnames, !names.isEmpty {
                text += "\n# Entries added by HostAliases.\n\(ip)\t\(names.joined(separator: "\t"))\n"
            }
        }
        return text
    }

    /// Writes the pod's status when it changed since the last write.
    func writeStatus(uid: String) async {
        guard let entry = running[uid], let runtimeStatus = await runtime.status(of: uid) else { return }
        let status = PodStatusBuilder.status(runtime: runtimeStatus, previous: entry.lastStatus ?? entry.pod.status,
                                             hostIP: configuration.hostIP, now: Date())
        guard status != running[uid]?.lastStatus else { return }
        if await patchStatus(entry.pod, status) {
            running[uid]?.lastStatus = status
        }
    }

    @discardableResult
    func patchStatus(_ pod: Pod, _ status: PodStatus) async -> Bool {
        guard let namespace = pod.metadata.namespace, let name = pod.metadata.name,
              let body = try? JSONValue(encoding: status) else { return false }
        do {
            _ = try await client.patch(Pod.self, namespace: namespace, name: name, patch: .merge(["status": body]), subresource: "status")
            return true
        } catch {
            if (error as? KubeError)?.isNotFound != true { log("cannot write the status of \(pod.key): \(error)") }
            return false
        }
    }

    /// Graceful deletion: stop within the pod's grace period, report the final status, then
    /// remove the pod with a zero-grace delete (preconditioned on its uid).
    func terminate(_ pod: Pod) async {
        let uid = Self.uid(pod)
        let grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30
        if running[uid] != nil {
            await runtime.stopPod(uid: uid, gracePeriod: .seconds(grace))
            await writeStatus(uid: uid)
            await runtime.removePod(uid: uid)
        }
        forget(uid)
        blocked[uid] = nil
        guard let namespace = pod.metadata.namespace, let name = pod.metadata.name else { return }
        do {
            try await client.delete(Pod.self, namespace: namespace, name: name,
                                    options: DeleteOptions(gracePeriodSeconds: 0, preconditionUID: pod.metadata.uid))
            log("removed \(namespace)/\(name)")
        } catch {
            if (error as? KubeError)?.isNotFound != true { log("cannot remove \(namespace)/\(name): \(error)") }
        }
    }
}
