import Controller
import Foundation
import KubeModel
import Testing
@testable import Keeper

@Suite struct CacheCompactionTests {
    /// The children of two clusters as the server returns them: what Keeper builds, plus
    /// server-set metadata.
    static func served<T: KubeObject>(_ object: T, uid: String) -> T {
        var served = object
        served.metadata.uid = uid
        served.metadata.resourceVersion = "41"
        served.metadata.creationTimestamp = "2026-11-22T07:10:44Z"
        served.metadata.ownerReferences = served.metadata.ownerReferences ?? [
            OwnerReference(apiVersion: "keeper.dev/v1alpha1", kind: "ZookeeperCluster", name: "zk", uid: "5cb6c999-0b48-49e5-bc98-8e1389b71503", controller: true),
        ]
        return served
    }

    @Test func childrenAndClustersAreCachedUnchanged() throws {
        let compaction = CacheCompaction()
        var spec = ZookeeperClusterSpec()
        spec.pod = PodPolicy(nodeSelector: ["topology.kubernetes.io/zone": "zone-a"],
                                  tolerations: [Toleration(key: "dedicated", operator: "Equal", value: "zookeeper", effect: "NoSchedule")])
        let cluster = Fixtures.cluster(spec: spec)
        // Twice: the second time the parts come from the interner's tables.
        for round in 0..<2 {
            let uid = "f54fa742-ca10-4fe5-a3bd-6b390b61d1e\(round)"
            #expect(compaction.compact(cluster) == cluster)
            let headless = Self.served(ServiceBuilder.headless(cluster), uid: uid)
            #expect(compaction.compact(headless) == headless)
            let client = Self.served(ServiceBuilder.client(cluster), uid: uid)
            #expect(compaction.compact(client) == client)
            let budget = Self.served(PodDisruptionBudgetBuilder.build(cluster), uid: uid)
            #expect(compaction.compact(budget) == budget)
            let configMap = Self.served(ConfigMapBuilder.build(cluster), uid: uid)
            #expect(compaction.compact(configMap) == configMap)
            let statefulSet = Self.served(StatefulSetBuilder.build(cluster), uid: uid)
            #expect(compaction.compact(statefulSet) == statefulSet)
            // What the child comparison sees is the same too.
            let stamped = try ChildSync.stamped(StatefulSetBuilder.build(cluster))
            #expect(try ChildSync.needsApply(live: compaction.compact(Self.served(stamped, uid: uid)), desired: stamped) == false)
        }
    }

    @Test func theSamePartsOfTwoClustersShareStorage() throws {
        let compaction = CacheCompaction()
        let first = compaction.compact(StatefulSetBuilder.build(Fixtures.cluster("zk-a")))
        let second = compaction.compact(StatefulSetBuilder.build(Fixtures.cluster("zk-b")))
        // Each container names its cluster's Secret; its ports, mounts and probes are shared.
        let a = try #require(first.spec?.template?.spec?.containers?.first?.ports)
        let b = try #require(second.spec?.template?.spec?.containers?.first?.ports)
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in #expect(a.baseAddress == b.baseAddress) } }
        // The start scripts of every ConfigMap are one string (decoded ones each have a buffer:
        // copies made at run time stand for them).
        func decoded(_ name: String) -> ConfigMap {
            var configMap = ConfigMapBuilder.build(Fixtures.cluster(name))
            configMap.data = configMap.data?.mapValues { String(decoding: Array($0.utf8), as: UTF8.self) }
            return configMap
        }
        var scriptA = try #require(compaction.compact(decoded("zk-a")).data?["start.sh"])
        var scriptB = try #require(compaction.compact(decoded("zk-b")).data?["start.sh"])
        let addressA = scriptA.withUTF8 { UnsafeRawPointer($0.baseAddress) }
        let addressB = scriptB.withUTF8 { UnsafeRawPointer($0.baseAddress) }
        #expect(addressA == addressB)
    }

    @Test func cachedPodsKeepWhatReconcilesRead() {
        var pod = Fixtures.pod("zk-0", ready: true, configHash: "d0a7bdfa7aef93e1")
        pod.metadata.uid = "1fedb56f-eff1-49f3-85a8-1fce9dc64d15"
        pod.metadata.resourceVersion = "18"
        pod.metadata.deletionTimestamp = "2026-11-22T07:11:00Z"
        pod.metadata.generateName = "zk-"
        pod.metadata.annotations?["sidecar.example.com/status"] = String(repeating: "x", count: 2000)
        pod.metadata.ownerReferences = [OwnerReference(apiVersion: "apps/v1", kind: "StatefulSet", name: "zk", uid: "uid-sts", controller: true)]
        pod.spec = PodSpec(containers: [Container(name: "zookeeper", image: "zookeeper:3.9.4")], nodeName: "node-a")
        pod.status?.conditions = [PodCondition(type: "Ready", status: "True", lastTransitionTime: "2026-11-22T07:10:50Z", message: "ok")]
        pod.status?.containerStatuses = [ContainerStatus(name: "zookeeper", ready: true, restartCount: 2, image: "zookeeper:3.9.4")]
        pod.status?.startTime = "2026-11-22T07:10:45Z"

        let cached = CacheCompaction().pod(pod)
        #expect(cached.metadata.name == "zk-0")
        #expect(cached.metadata.namespace == "default")
        #expect(cached.metadata.uid == pod.metadata.uid)
        #expect(cached.metadata.resourceVersion == "18")
        #expect(cached.metadata.deletionTimestamp == pod.metadata.deletionTimestamp)
        #expect(cached.metadata.labels == pod.metadata.labels)
        #expect(cached.metadata.ownerReferences == pod.metadata.ownerReferences)
        #expect(cached.metadata.annotations == [Labels.configHashAnnotation: "d0a7bdfa7aef93e1"])
        #expect(cached.spec == PodSpec(nodeName: "node-a"))
        #expect(cached.status == PodStatus(phase: "Running", conditions: [PodCondition(type: "Ready", status: "True")], podIP: pod.status?.podIP))
    }
}
