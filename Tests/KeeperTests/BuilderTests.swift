import Testing
@testable import Keeper
import KubeModel

@Suite struct BuilderTests {
    let cluster = Fixtures.cluster()
    let selector = ["app.kubernetes.io/name": "zookeeper", "app.kubernetes.io/instance": "zk", "app.kubernetes.io/component": "server"]
    var labels: [String: String] { selector.merging(["app.kubernetes.io/managed-by": "keeper"]) { a, _ in a } }
    var owner: OwnerReference {
        OwnerReference(apiVersion: "keeper.dev/v1alpha1", kind: "ZookeeperCluster", name: "zk", uid: "uid-zk", controller: true, blockOwnerDeletion: true)
    }

    @Test func headlessServicePublishesNotReadyMembers() {
        let service = ServiceBuilder.headless(cluster)
        #expect(service.metadata.name == "zk-headless")
        #expect(service.metadata.namespace == "default")
        #expect(service.metadata.labels == labels)
        #expect(service.metadata.ownerReferences == [owner])
        #expect(service.spec?.clusterIP == "None")
        #expect(service.spec?.publishNotReadyAddresses == true)
        #expect(service.spec?.selector == selector)
        #expect(service.spec?.ports?.map(\.port) == [2181, 2888, 3888])
        #expect(service.spec?.ports?.map(\.name) == ["client", "quorum", "election"])
    }

    @Test func clientServiceFollowsTheSpec() {
        #expect(ServiceBuilder.client(cluster).spec?.type == "ClusterIP")
        #expect(ServiceBuilder.client(cluster).metadata.annotations == nil)
        let custom = Fixtures.cluster(spec: ZookeeperClusterSpec(clientService: ClientServiceSpec(type: "LoadBalancer", annotations: ["lb": "internal"])))
        let service = ServiceBuilder.client(custom)
        #expect(service.metadata.name == "zk-client")
        #expect(service.spec?.type == "LoadBalancer")
        #expect(service.metadata.annotations == ["lb": "internal"])
        #expect(service.spec?.ports == [ServicePort(name: "client", protocol: "TCP", port: 2181, targetPort: 2181)])
        #expect(service.spec?.publishNotReadyAddresses == nil)
    }

    @Test func budgetAllowsOneDisruption() {
        let budget = PodDisruptionBudgetBuilder.build(cluster)
        #expect(budget.apiVersion == "policy/v1")
        #expect(budget.metadata.name == "zk")
        #expect(budget.metadata.ownerReferences == [owner])
        #expect(budget.spec?.maxUnavailable == .int(1))
        #expect(budget.spec?.minAvailable == nil)
        #expect(budget.spec?.selector?.matchLabels == selector)
    }

    @Test func configMapHoldsStaticSettingsMembershipAndScripts() throws {
        let spec = ZookeeperClusterSpec(config: ["tickTime": "3000", "jute.maxbuffer": "1048576"])
        let configMap = ConfigMapBuilder.build(Fixtures.cluster(spec: spec))
        #expect(configMap.metadata.name == "zk-config")
        #expect(configMap.metadata.ownerReferences == [owner])
        let data = try #require(configMap.data)
        #expect(Set(data.keys) == ["zoo.cfg", "zoo.cfg.dynamic", "start.sh", "ready.sh", "live.sh"])
        let zooCfg = try #require(data["zoo.cfg"])
        let lines = Set(zooCfg.split(separator: "\n").map(String.init))
        for expected in ["tickTime=3000", "initLimit=10", "syncLimit=5", "jute.maxbuffer=1048576", "reconfigEnabled=true",
                         "standaloneEnabled=false", "4lw.commands.whitelist=srvr,mntr,ruok,conf", "admin.enableServer=false"] {
            #expect(lines.contains(expected), "\(expected)")
        }
        #expect(!zooCfg.contains("server."))
        #expect(!zooCfg.contains("dataDir"))
        #expect(data["zoo.cfg.dynamic"] == """
            server.1=zk-0.zk-headless.default.svc.cluster.local:2888:3888:participant;zk-0.zk-headless.default.svc.cluster.local:2181
            server.2=zk-1.zk-headless.default.svc.cluster.local:2888:3888:participant;zk-1.zk-headless.default.svc.cluster.local:2181
            server.3=zk-2.zk-headless.default.svc.cluster.local:2888:3888:participant;zk-2.zk-headless.default.svc.cluster.local:2181

            """)
    }

    @Test func configHashFollowsStaticSettingsButNotMembership() {
        let base = ResolvedSpec(ZookeeperClusterSpec())
        #expect(ConfigMapBuilder.configHash(base) == ConfigMapBuilder.configHash(ResolvedSpec(ZookeeperClusterSpec(replicas: 5))))
        #expect(ConfigMapBuilder.configHash(base) != ConfigMapBuilder.configHash(ResolvedSpec(ZookeeperClusterSpec(config: ["tickTime": "3000"]))))
        #expect(ConfigMapBuilder.configHash(base).count == 16)
    }

    @Test func statefulSetRunsMembersAsKeeperOrdersThem() throws {
        let set = StatefulSetBuilder.build(cluster)
        #expect(set.metadata.name == "zk")
        #expect(set.metadata.ownerReferences == [owner])
        #expect(set.metadata.labels == labels)
        let spec = try #require(set.spec)
        #expect(spec.replicas == 3)
        #expect(spec.serviceName == "zk-headless")
        #expect(spec.updateStrategy == StatefulSetUpdateStrategy(type: "OnDelete"))
        #expect(spec.podManagementPolicy == "Parallel")
        #expect(spec.selector == LabelSelector(matchLabels: selector))
        #expect(spec.persistentVolumeClaimRetentionPolicy == StatefulSetPersistentVolumeClaimRetentionPolicy(whenDeleted: "Retain", whenScaled: "Delete"))
        let claim = try #require(spec.volumeClaimTemplates?.first)
        #expect(claim.metadata.name == "data")
        #expect(claim.spec?.resources?.requests == ["storage": "10Gi"])
        #expect(claim.spec?.accessModes == ["ReadWriteOnce"])

        let template = try #require(spec.template)
        #expect(template.metadata?.labels == labels)
        #expect(template.metadata?.annotations?[Labels.configHashAnnotation] == ConfigMapBuilder.configHash(ResolvedSpec(cluster.spec)))
        let pod = try #require(template.spec)
        #expect(pod.securityContext == PodSecurityContext(runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, fsGroup: 1000, fsGroupChangePolicy: "OnRootMismatch",
                                                          seccompProfile: SeccompProfile(type: "RuntimeDefault")))
        let term = try #require(pod.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.first)
        #expect(term.weight == 100)
        #expect(term.podAffinityTerm?.topologyKey == "kubernetes.io/hostname")
        #expect(term.podAffinityTerm?.labelSelector?.matchLabels == selector)
        #expect(pod.volumes?.map(\.name) == ["config", "logs"])
        #expect(pod.volumes?.first?.configMap?.name == "zk-config")

        let container = try #require(pod.containers?.first)
        #expect(container.image == "zookeeper:3.9.4")
        #expect(container.command == ["/bin/bash", "/keeper/start.sh"])
        #expect(container.ports?.map(\.containerPort) == [2181, 2888, 3888])
        #expect(container.volumeMounts?.map(\.mountPath) == ["/data", "/keeper", "/logs"])
        #expect(container.readinessProbe?.exec?.command == ["/bin/bash", "/keeper/ready.sh"])
        #expect(container.livenessProbe?.exec?.command == ["/bin/bash", "/keeper/live.sh"])
        #expect(container.env?.first { $0.name == "POD_NAME" }?.valueFrom?.fieldRef?.fieldPath == "metadata.name")
        #expect(container.env?.first { $0.name == "POD_IP" }?.valueFrom?.fieldRef?.fieldPath == "status.podIP")
        #expect(container.env?.contains { $0.name == "ZK_SERVER_HEAP" } == false)
        #expect(container.securityContext?.allowPrivilegeEscalation == false)
    }

    @Test func statefulSetFollowsPodPolicy() throws {
        let spec = ZookeeperClusterSpec(
            replicas: 5, image: "zookeeper:3.8.4",
            storage: StorageSpec(ephemeral: true),
            pod: PodPolicy(resources: ResourceRequirements(requests: ["cpu": "1"], limits: ["memory": "2Gi"]), nodeSelector: ["disk": "ssd"],
                           tolerations: [Toleration(key: "dedicated", operator: "Equal", value: "zk", effect: "NoSchedule")],
                           antiAffinity: "required", topologySpreadConstraints: [TopologySpreadConstraint(maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "ScheduleAnyway")],
                           labels: ["team": "data"], annotations: ["scrape": "true"], priorityClassName: "high", terminationGracePeriodSeconds: 60))
        let set = StatefulSetBuilder.build(Fixtures.cluster(spec: spec))
        #expect(set.spec?.replicas == 5)
        #expect(set.spec?.volumeClaimTemplates == nil)
        #expect(set.spec?.persistentVolumeClaimRetentionPolicy == nil)
        let template = try #require(set.spec?.template)
        #expect(template.metadata?.labels?["team"] == "data")
        #expect(template.metadata?.labels?[Labels.instance] == "zk")
        #expect(template.metadata?.annotations?["scrape"] == "true")
        let pod = try #require(template.spec)
        #expect(pod.volumes?.first { $0.name == "data" }?.emptyDir != nil)
        #expect(pod.nodeSelector == ["disk": "ssd"])
        #expect(pod.tolerations?.count == 1)
        #expect(pod.priorityClassName == "high")
        #expect(pod.terminationGracePeriodSeconds == 60)
        #expect(pod.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.first?.topologyKey == "kubernetes.io/hostname")
        #expect(pod.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution == nil)
        #expect(pod.topologySpreadConstraints?.first?.labelSelector?.matchLabels == selector)
        let container = try #require(pod.containers?.first)
        #expect(container.image == "zookeeper:3.8.4")
        #expect(container.resources?.limits == ["memory": "2Gi"])
        #expect(container.env?.first { $0.name == "ZK_SERVER_HEAP" }?.value == "1024")
        #expect(container.env?.first { $0.name == "SERVER_JVMFLAGS" }?.value == "-Xms1024m -Xmx1024m")

        let none = StatefulSetBuilder.build(Fixtures.cluster(spec: ZookeeperClusterSpec(pod: PodPolicy(antiAffinity: "none"))))
        #expect(none.spec?.template?.spec?.affinity == nil)
    }

    @Test func buildersArePure() throws {
        #expect(try JSONValue(encoding: StatefulSetBuilder.build(cluster)) == JSONValue(encoding: StatefulSetBuilder.build(cluster)))
        #expect(try JSONValue(encoding: ConfigMapBuilder.build(cluster)) == JSONValue(encoding: ConfigMapBuilder.build(cluster)))
    }
}
