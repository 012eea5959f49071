import Foundation
import KubeModel
import Testing
@testable import KubeSim

/// Turning API pods into runtime specs and runtime state into pod status, without I/O.
struct PodSandboxBuilderTests {
    private func zookeeperPod() -> Pod {
        var meta = ObjectMeta()
        meta.name = "zk-1"
        meta.namespace = "default"
        meta.uid = "uid-1"
        meta.labels = ["app": "zk"]
        var container = Container()
        container.name = "zookeeper"
        container.image = "zookeeper:3.9.4"
        container.command = ["/scripts/start.sh"]
        container.args = ["$(POD_NAME)"]
        container.ports = [ContainerPort(name: "client", containerPort: 2181)]
        container.env = [
            KubeModel.EnvVar(name: "POD_NAME", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "metadata.name"))),
            KubeModel.EnvVar(name: "POD_IP", valueFrom: EnvVarSource(fieldRef: ObjectFieldSelector(fieldPath: "status.podIP"))),
            KubeModel.EnvVar(name: "TICK", valueFrom: EnvVarSource(configMapKeyRef: ConfigMapKeySelector(name: "zk-config", key: "tickTime"))),
            KubeModel.EnvVar(name: "SERVERS", value: "server.2=$(POD_IP):2888:3888"),
        ]
        container.volumeMounts = [VolumeMount(name: "data", mountPath: "/data"), VolumeMount(name: "config", mountPath: "/config", readOnly: true)]
        var readiness = Probe()
        readiness.tcpSocket = TCPSocketAction(port: .string("client"))
        readiness.periodSeconds = 2
        readiness.failureThreshold = 5
        container.readinessProbe = readiness
        var liveness = Probe()
        liveness.exec = ExecAction(command: ["/scripts/ok.sh"])
        container.livenessProbe = liveness
        var spec = PodSpec(containers: [container])
        spec.hostname = "zk-1"
        spec.subdomain = "zk-headless"
        spec.nodeName = "node-1"
        spec.terminationGracePeriodSeconds = 20
        spec.securityContext = PodSecurityContext(runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000)
        var config = Volume()
        config.name = "config"
        config.configMap = ConfigMapVolumeSource(name: "zk-config", items: [KeyToPath(key: "start.sh", path: "start.sh", mode: 0o755)], defaultMode: 0o644)
        var data = Volume()
        data.name = "data"
        data.persistentVolumeClaim = PersistentVolumeClaimVolumeSource(claimName: "data-zk-1")
        spec.volumes = [config, data]
        return Pod(metadata: meta, spec: spec)
    }

    private func references() -> PodReferences {
        var meta = ObjectMeta()
        meta.name = "zk-config"
        return PodReferences(configMaps: ["zk-config": ConfigMap(metadata: meta, data: ["tickTime": "2000", "start.sh": "#!/bin/sh\n"])],
                             claimDirectories: ["data-zk-1": "/state/volumes/default_data-zk-1"])
    }

    @Test func podBecomesASandbox() throws {
        let sandbox = try PodSandboxBuilder.sandbox(for: zookeeperPod(), podIP: "127.0.0.3", hostIP: "127.0.0.1", references: references())
        #expect(sandbox.fqdn == "zk-1.zk-headless.default.svc.cluster.local")
        #expect(sandbox.terminationGracePeriodSeconds == 20)
        #expect(sandbox.identity == ProcessIdentity(runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000))
        let container = try #require(sandbox.containers.first)
        #expect(container.env == [RuntimeEnvVar("POD_NAME", "zk-1"), RuntimeEnvVar("POD_IP", "127.0.0.3"), RuntimeEnvVar("TICK", "2000"),
                                  RuntimeEnvVar("SERVERS", "server.2=$(POD_IP):2888:3888")])
        #expect(container.readinessProbe == ProbeSpec(action: .tcpSocket(port: 2181, host: nil), periodSeconds: 2, failureThreshold: 5))
        #expect(container.livenessProbe?.action == .exec(["/scripts/ok.sh"]))
        #expect(sandbox.volumes.contains(VolumeSpec(name: "data", source: .hostDirectory("/state/volumes/default_data-zk-1"))))
        #expect(sandbox.volumes.contains(VolumeSpec(name: "config", source: .files([ProjectedFile(path: "start.sh", content: Data("#!/bin/sh\n".utf8), mode: 0o755)]))))
        #expect(container.volumeMounts.last == MountSpec(volume: "config", mountPath: "/config", readOnly: true))
    }

    @Test func missingReferencesAreReported() {
        #expect(throws: PodSandboxBuilder.Failure.missing(kind: "configmap", name: "zk-config")) {
            try PodSandboxBuilder.sandbox(for: zookeeperPod(), podIP: "127.0.0.3", hostIP: "127.0.0.1", references: PodReferences())
        }
        var references = references()
        references.claimDirectories = [:]
        #expect(throws: PodSandboxBuilder.Failure.unboundClaim("data-zk-1")) {
            try PodSandboxBuilder.sandbox(for: zookeeperPod(), podIP: "127.0.0.3", hostIP: "127.0.0.1", references: references)
        }
    }

    @Test func statusReportsConditionsAndKeepsTransitionTimes() throws {
        var container = ContainerRuntimeStatus(name: "zookeeper", image: "zookeeper:3.9.4")
        let started = Date(timeIntervalSince1970: 1_700_000_000)
        container.state = .running(startedAt: started)
        container.started = true
        var runtime = PodRuntimeStatus(uid: "uid-1", podIP: "127.0.0.3", startTime: started, restartPolicy: .always,
                                       initContainerStatuses: [], containerStatuses: [container], terminating: false)
        let first = PodStatusBuilder.status(runtime: runtime, previous: nil, hostIP: "127.0.0.1", now: started)
        #expect(first.phase == "Running")
        #expect(first.podIP == "127.0.0.3")
        #expect(first.conditions?.first { $0.type == "Ready" }?.status == "False")
        #expect(first.containerStatuses?.first?.state?.running?.startedAt == "2023-11-14T22:13:20Z")

        container.ready = true
        runtime.containerStatuses = [container]
        let later = started.addingTimeInterval(30)
        let second = PodStatusBuilder.status(runtime: runtime, previous: first, hostIP: "127.0.0.1", now: later)
        let ready = try #require(second.conditions?.first { $0.type == "Ready" })
        #expect(ready.status == "True")
        #expect(ready.lastTransitionTime == "2023-11-14T22:13:50Z")
        #expect(second.conditions?.first { $0.type == "PodScheduled" }?.lastTransitionTime == "2023-11-14T22:13:20Z")
        #expect(second.startTime == first.startTime)
        // Nothing changed: the same status, so the kubelet writes nothing.
        #expect(PodStatusBuilder.status(runtime: runtime, previous: second, hostIP: "127.0.0.1", now: later.addingTimeInterval(5)) == second)
    }

    @Test func downwardAPIRendersLabels() {
        #expect(FieldValues.render(["b": "2", "a": "say \"hi\""]) == "a=\"say \\\"hi\\\"\"\nb=\"2\"")
    }
}
