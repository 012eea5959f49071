import Testing
@testable import Keeper
import KubeModel

@Suite struct ChildSyncTests {
    /// What a real API server returns for an applied object: defaults filled in, bookkeeping added.
    func serverVersion(of service: Service) -> Service {
        var live = service
        live.metadata.uid = "u1"
        live.metadata.resourceVersion = "42"
        live.metadata.creationTimestamp = "2024-05-01T12:00:00Z"
        if live.spec?.clusterIP == nil { live.spec?.clusterIP = "10.96.0.10" }
        live.spec?.clusterIPs = ["10.96.0.10"]
        live.spec?.sessionAffinity = "None"
        live.spec?.ipFamilies = ["IPv4"]
        live.status = ServiceStatus(loadBalancer: [:])
        return live
    }

    @Test func aMissingChildIsApplied() throws {
        #expect(try ChildSync.needsApply(live: nil as Service?, desired: ChildSync.stamped(ServiceBuilder.client(Fixtures.cluster()))))
    }

    @Test func serverDefaultsAndOtherActorsFieldsDoNotTriggerWrites() throws {
        let desired = try ChildSync.stamped(ServiceBuilder.client(Fixtures.cluster()))
        var live = serverVersion(of: desired)
        live.metadata.labels?["team"] = "data"
        live.metadata.annotations?["other.io/note"] = "kept"
        #expect(try !ChildSync.needsApply(live: live, desired: desired))
    }

    @Test func anEditedFieldTriggersAWrite() throws {
        let desired = try ChildSync.stamped(ServiceBuilder.client(Fixtures.cluster()))
        var live = serverVersion(of: desired)
        live.spec?.ports?[0].port = 9999
        #expect(try ChildSync.needsApply(live: live, desired: desired))
    }

    @Test func aFieldDroppedFromTheSpecTriggersAWriteThroughTheHash() throws {
        let annotated = Fixtures.cluster(spec: ZookeeperClusterSpec(clientService: ClientServiceSpec(annotations: ["lb": "internal"])))
        let live = serverVersion(of: try ChildSync.stamped(ServiceBuilder.client(annotated)))
        let desired = try ChildSync.stamped(ServiceBuilder.client(Fixtures.cluster()))
        // Every field Keeper now wants is present in the live object...
        var withoutStamp = desired
        withoutStamp.metadata.annotations = nil
        #expect(try !ChildSync.needsApply(live: live, desired: withoutStamp))
        // ...but the stamp differs, so Keeper applies and server-side apply drops the annotation.
        #expect(try ChildSync.needsApply(live: live, desired: desired))
    }

    @Test func stampingIsStableAndIgnoresAnOldStamp() throws {
        let service = ServiceBuilder.headless(Fixtures.cluster())
        let once = try ChildSync.stamped(service)
        #expect(try ChildSync.stamped(once) == once)
        #expect(once.metadata.annotations?[Labels.desiredHashAnnotation]?.count == 16)
    }

    @Test func listsOfObjectsMustHoldTheSameEntries() {
        let desired: JSONValue = ["ports": [["name": "a", "port": 1], ["name": "b", "port": 2]]]
        #expect(ChildSync.satisfies(live: ["ports": [["name": "a", "port": 1, "protocol": "TCP"], ["name": "b", "port": 2, "protocol": "TCP"]]], desired: desired))
        #expect(!ChildSync.satisfies(live: ["ports": [["name": "a", "port": 9999], ["name": "a", "port": 1], ["name": "b", "port": 2]]], desired: desired))
        #expect(!ChildSync.satisfies(live: ["ports": [["name": "b", "port": 2], ["name": "a", "port": 1]]], desired: desired))
        #expect(!ChildSync.satisfies(live: ["ports": [["name": "a", "port": 1]]], desired: desired))
    }

    @Test func listsOfScalarsMustMatchExactly() {
        #expect(ChildSync.satisfies(live: ["command": ["a", "b"]], desired: ["command": ["a", "b"]]))
        #expect(!ChildSync.satisfies(live: ["command": ["a", "b", "c"]], desired: ["command": ["a", "b"]]))
        #expect(!ChildSync.satisfies(live: ["command": ["b", "a"]], desired: ["command": ["a", "b"]]))
    }

    @Test func quantitiesCompareByAmountWhereTheServerCanonicalisesThem() {
        #expect(ChildSync.satisfies(live: ["resources": ["limits": ["memory": "1Gi"]]], desired: ["resources": ["limits": ["memory": "1024Mi"]]]))
        #expect(!ChildSync.satisfies(live: ["resources": ["limits": ["memory": "1G"]]], desired: ["resources": ["limits": ["memory": "1Gi"]]]))
        #expect(!ChildSync.satisfies(live: ["labels": ["size": "1Gi"]], desired: ["labels": ["size": "1024Mi"]]))
    }

    @Test func numbersCompareByValueAndEmptyValuesMatchAbsence() {
        #expect(ChildSync.satisfies(live: ["n": 1.0], desired: ["n": 1]))
        #expect(!ChildSync.satisfies(live: ["n": 2], desired: ["n": 1]))
        #expect(ChildSync.satisfies(live: ["a": 1], desired: ["a": 1, "emptyDir": [:]]))
        #expect(!ChildSync.satisfies(live: ["a": "1"], desired: ["a": 1]))
    }

    @Test func aConvergedStatefulSetNeedsNoWrite() throws {
        let desired = try ChildSync.stamped(StatefulSetBuilder.build(Fixtures.cluster(spec: ZookeeperClusterSpec(
            pod: PodPolicy(resources: ResourceRequirements(limits: ["memory": "2048Mi", "cpu": "1000m"]))))))
        var live = desired
        // What the API server and the StatefulSet controller add.
        live.metadata.generation = 2
        live.spec?.revisionHistoryLimit = 10
        live.spec?.template?.spec?.restartPolicy = "Always"
        live.spec?.template?.spec?.dnsPolicy = "ClusterFirst"
        live.spec?.template?.spec?.schedulerName = "default-scheduler"
        live.spec?.template?.spec?.containers?[0].terminationMessagePath = "/dev/termination-log"
        live.spec?.template?.spec?.containers?[0].resources?.limits = ["memory": "2Gi", "cpu": "1"]
        live.spec?.template?.spec?.containers?[0].readinessProbe?.successThreshold = 1
        live.spec?.template?.spec?.volumes?[0].configMap?.defaultMode = 493
        live.spec?.volumeClaimTemplates?[0].spec?.volumeMode = "Filesystem"
        live.spec?.volumeClaimTemplates?[0].status = PersistentVolumeClaimStatus(phase: "Pending")
        live.status = StatefulSetStatus(replicas: 3, readyReplicas: 3, updateRevision: "zk-1")
        live.metadata.labels?["added-by"] = "someone"
        #expect(try !ChildSync.needsApply(live: live, desired: desired))

        var changedImage = desired
        changedImage.spec?.template?.spec?.containers?[0].image = "zookeeper:3.9.3"
        #expect(try ChildSync.needsApply(live: live, desired: ChildSync.stamped(changedImage)))
    }
}
