import Foundation
import KubeModel
import Testing
@testable import KubeSim

@Suite struct StatefulSetControllerTests {
    typealias F = SimFixtures

    @Test func createsPodsClaimsAndRevisionThenCountsStatus() async throws {
        let server = APIServer()
        _ = try server.storage.create(.statefulSets, F.statefulSet("web", replicas: 3, podManagement: "Parallel"))
        #expect(await eventually(timeout: 30) { F.podNames(server, app: "web") == ["web-0", "web-1", "web-2"] })
        #expect(F.claimNames(server) == ["data-web-0", "data-web-1", "data-web-2"])
        let set = try #require(F.set(server, "web"))
        let revisions = try server.storage.list(.controllerRevisions, namespace: "default")
        #expect(revisions.count == 1)
        let revision = try #require(revisions.first)
        let revisionName = try #require(revision[path: ["metadata", "name"]]?.stringValue)
        let hash = try #require(revision[path: ["metadata", "labels", "controller.kubernetes.io/hash"]]?.stringValue)
        #expect(revisionName == "web-\(hash)")
        #expect(revision["revision"] == 1)
        #expect(revision[path: ["data", "spec", "template", "$patch"]] == "replace")
        #expect(revision[path: ["data", "spec", "template", "spec", "containers"]] == set[path: ["spec", "template", "spec", "containers"]])
        #expect(revision[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["uid"] == set[path: ["metadata", "uid"]])

        let pod = try #require(F.pod(server, "web-1"))
        #expect(pod[path: ["metadata", "labels"]] == ["app": "web", "controller-revision-hash": .string(revisionName),
                                                      "statefulset.kubernetes.io/pod-name": "web-1", "apps.kubernetes.io/pod-index": "1"])
        let owner = try #require(pod[path: ["metadata", "ownerReferences"]]?.arrayValue?.first)
        #expect(owner["kind"] == "StatefulSet" && owner["controller"] == true && owner["uid"] == set[path: ["metadata", "uid"]])
        #expect(pod[path: ["spec", "hostname"]] == "web-1" && pod[path: ["spec", "subdomain"]] == "web-headless")
        let volume = pod[path: ["spec", "volumes"]]?.arrayValue?.first { $0["name"] == "data" }
        #expect(volume?[path: ["persistentVolumeClaim", "claimName"]] == "data-web-1")
        let claim = try server.storage.get(.persistentVolumeClaims, namespace: "default", name: "data-web-1")
        #expect(claim[path: ["metadata", "labels", "app"]] == "web")
        #expect(claim[path: ["spec", "resources", "requests", "storage"]] == "1Gi")
        #expect(claim[path: ["metadata", "ownerReferences"]] == nil)

        #expect(await eventually(timeout: 30) {
            let status = F.set(server, "web")?["status"]
            return status?["replicas"] == 3 && status?["currentRevision"] == .string(revisionName)
                && status?["updateRevision"] == .string(revisionName) && status?["observedGeneration"] == 1
                && status?["collisionCount"] == 0 && status?["readyReplicas"] == nil && status?["updatedReplicas"] == 3
        })
        for name in ["web-0", "web-1", "web-2"] { try F.markRunning(server, name) }
        #expect(await eventually(timeout: 30) {
            let status = F.set(server, "web")?["status"]
            return status?["readyReplicas"] == 3 && status?["availableReplicas"] == 3 && status?["currentReplicas"] == 3
        })
        // Settled: another pass writes nothing.
        F.settle(server)
        let before = server.store.revision
        server.controllers.kick()
        F.settle(server)
        #expect(server.store.revision == before)
    }

    @Test func orderedReadyCreatesOneAtATimeAndScalesDownFromTheTop() async throws {
        let server = APIServer()
        _ = try server.storage.create(.statefulSets, F.statefulSet("zk", replicas: 3, claims: false))
        #expect(await eventually(timeout: 30) { F.podNames(server, app: "zk") == ["zk-0"] })
        F.settle(server)
        #expect(F.podNames(server, app: "zk") == ["zk-0"])
        try F.markRunning(server, "zk-0", ready: false)
        F.settle(server)
        #expect(F.podNames(server, app: "zk") == ["zk-0"], "a Running but unready predecessor blocks")
        try F.markRunning(server, "zk-0")
        #expect(await eventually(timeout: 30) { F.podNames(server, app: "zk") == ["zk-0", "zk-1"] })
        try F.markRunning(server, "zk-1")
        #expect(await eventually(timeout: 30) { F.podNames(server, app: "zk") == ["zk-0", "zk-1", "zk-2"] })
        try F.markRunning(server, "zk-2")
        for name in ["zk-0", "zk-1", "zk-2"] { try F.place(server, name) }

        try F.scale(server, "zk", to: 1)
        #expect(await eventually(timeout: 30) { F.pod(server, "zk-2")?[path: ["metadata", "deletionTimestamp"]] != nil })
        F.settle(server)
        #expect(F.pod(server, "zk-1")?[path: ["metadata", "deletionTimestamp"]] == nil, "one at a time, highest first")
        try server.storage.delete(.pods, namespace: "default", name: "zk-2", gracePeriodSeconds: 0)
        #expect(await eventually(timeout: 30) { F.pod(server, "zk-1")?[path: ["metadata", "deletionTimestamp"]] != nil })
        try server.storage.delete(.pods, namespace: "default", name: "zk-1", gracePeriodSeconds: 0)
        #expect(await eventually(timeout: 30) { F.set(server, "zk")?[path: ["status", "replicas"]] == 1 })
        #expect(F.podNames(server, app: "zk") == ["zk-0"])
    }

    @Test func scaleDownKeepsClaimsUnlessRetentionSaysDelete() async throws {
        let server = APIServer()
        _ = try server.storage.create(.statefulSets, F.statefulSet("keep", replicas: 3, podManagement: "Parallel"))
        _ = try server.storage.create(.statefulSets, F.statefulSet("drop", replicas: 3, podManagement: "Parallel",
                                                                   retention: ["whenScaled": "Delete", "whenDeleted": "Delete"]))
        #expect(await eventually(timeout: 30) { F.podNames(server, app: "keep").count == 3 && F.podNames(server, app: "drop").count == 3 })
        let dropSet = try #require(F.set(server, "drop"))
        #expect(await eventually(timeout: 30) {
            let claim = try? server.storage.get(.persistentVolumeClaims, namespace: "default", name: "data-drop-0")
            return claim?[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["uid"] == dropSet[path: ["metadata", "uid"]]
        })
        try F.scale(server, "keep", to: 1)
        try F.scale(server, "drop", to: 1)
        #expect(await eventually(timeout: 30) { F.podNames(server, app: "keep") == ["keep-0"] && F.podNames(server, app: "drop") == ["drop-0"] })
        #expect(await eventually(timeout: 30) { F.claimNames(server) == ["data-drop-0", "data-keep-0", "data-keep-1", "data-keep-2"] })

        // Scaling up again reuses the kept claims.
        try F.scale(server, "keep", to: 2)
        #expect(await eventually(timeout: 30) { F.podNames(server, app: "keep") == ["keep-0", "keep-1"] })
        #expect(F.claimNames(server).filter { $0.hasPrefix("data-keep") } == ["data-keep-0", "data-keep-1", "data-keep-2"])

        try server.storage.delete(.statefulSets, namespace: "default", name: "drop")
        try server.storage.delete(.statefulSets, namespace: "default", name: "keep")
        #expect(await eventually(timeout: 30) { F.podNames(server, app: "drop").isEmpty && F.podNames(server, app: "keep").isEmpty })
        #expect(await eventually(timeout: 30) { F.claimNames(server) == ["data-keep-0", "data-keep-1", "data-keep-2"] })
    }

    @Test func onDeleteReplacesOnlyDeletedPodsAtTheUpdateRevision() async throws {
        let server = APIServer()
        _ = try server.storage.create(.statefulSets, F.statefulSet("ond", replicas: 2, podManagement: "Parallel",
                                                                   strategy: ["type": "OnDelete"], claims: false))
        #expect(await eventually(timeout: 30) { F.podNames(server, app: "ond").count == 2 })
        for name in ["ond-0", "ond-1"] { try F.markRunning(server, name); try F.place(server, name) }
        #expect(await eventually(timeout: 30) { F.set(server, "ond")?[path: ["status", "readyReplicas"]] == 2 })
        let firstRevision = try #require(F.set(server, "ond")?[path: ["status", "currentRevision"]]?.stringValue)
        let uids = (F.uid(F.pod(server, "ond-0")), F.uid(F.pod(server, "ond-1")))

        try F.changeTemplate(server, "ond", image: "zookeeper:3.9.5")
        #expect(await eventually(timeout: 30) {
            let status = F.set(server, "ond")?["status"]
            return status?["updateRevision"]?.stringValue.map { $0 != firstRevision } == true && status?["observedGeneration"] == 2
        })
        let updateRevision = try #require(F.set(server, "ond")?[path: ["status", "updateRevision"]]?.stringValue)
        F.settle(server)
        #expect(F.uid(F.pod(server, "ond-0")) == uids.0 && F.uid(F.pod(server, "ond-1")) == uids.1)
        #expect(F.revisionLabel(F.pod(server, "ond-1")) == firstRevision)
        #expect(try server.storage.list(.controllerRevisions, namespace: "default").count == 2)

        // A graceful delete leaves the pod Terminating; it is not replaced until it is gone.
        try server.storage.delete(.pods, namespace: "default", name: "ond-1")
        F.settle(server)
        #expect(F.uid(F.pod(server, "ond-1")) == uids.1)
        try server.storage.delete(.pods, namespace: "default", name: "ond-1", gracePeriodSeconds: 0)
        #expect(await eventually(timeout: 30) { F.uid(F.pod(server, "ond-1")).map { $0 != uids.1 } == true })
        #expect(F.revisionLabel(F.pod(server, "ond-1")) == updateRevision)
        #expect(F.pod(server, "ond-1")?[path: ["spec", "containers"]]?.arrayValue?.first?["image"] == "zookeeper:3.9.5")
        #expect(F.revisionLabel(F.pod(server, "ond-0")) == firstRevision && F.uid(F.pod(server, "ond-0")) == uids.0)
        try F.markRunning(server, "ond-1")
        #expect(await eventually(timeout: 30) {
            let status = F.set(server, "ond")?["status"]
            return status?["updatedReplicas"] == 1 && status?["currentReplicas"] == 1 && status?["currentRevision"] == .string(firstRevision)
        })

        // Back to the first template: the old revision is reused and renumbered, not duplicated.
        try F.changeTemplate(server, "ond", image: "zookeeper:3.9.4")
        #expect(await eventually(timeout: 30) { F.set(server, "ond")?[path: ["status", "updateRevision"]] == .string(firstRevision) })
        let revisions = try server.storage.list(.controllerRevisions, namespace: "default")
        #expect(revisions.count == 2)
        #expect(revisions.first { $0[path: ["metadata", "name"]] == .string(firstRevision) }?["revision"] == 3)
    }

    @Test func rollingUpdateHonoursPartitionFromTheTopDown() async throws {
        let server = APIServer()
        _ = try server.storage.create(.statefulSets, F.statefulSet("ru", replicas: 3, strategy: ["type": "RollingUpdate", "rollingUpdate": ["partition": 1]], claims: false))
        for name in ["ru-0", "ru-1", "ru-2"] {
            #expect(await eventually(timeout: 30) { F.pod(server, name) != nil })
            try F.markRunning(server, name)
        }
        #expect(await eventually(timeout: 30) { F.set(server, "ru")?[path: ["status", "readyReplicas"]] == 3 })
        let oldRevision = try #require(F.set(server, "ru")?[path: ["status", "currentRevision"]]?.stringValue)
        let uid0 = F.uid(F.pod(server, "ru-0"))
        try F.changeTemplate(server, "ru", image: "zookeeper:3.9.5")
        #expect(await eventually(timeout: 30) { F.revisionLabel(F.pod(server, "ru-2")).map { $0 != oldRevision } == true })
        let newRevision = try #require(F.revisionLabel(F.pod(server, "ru-2")))
        F.settle(server)
        #expect(F.revisionLabel(F.pod(server, "ru-1")) == oldRevision, "waits for ru-2 to be Ready")
        try F.markRunning(server, "ru-2")
        #expect(await eventually(timeout: 30) { F.revisionLabel(F.pod(server, "ru-1")) == newRevision })
        try F.markRunning(server, "ru-1")
        #expect(await eventually(timeout: 30) { F.set(server, "ru")?[path: ["status", "updatedReplicas"]] == 2 })
        F.settle(server)
        #expect(F.uid(F.pod(server, "ru-0")) == uid0, "below the partition")
        #expect(F.set(server, "ru")?[path: ["status", "currentRevision"]] == .string(oldRevision))

        _ = try server.storage.patch(.statefulSets, namespace: "default", name: "ru",
                                     mergePatch: ["spec": ["updateStrategy": ["rollingUpdate": ["partition": 0]]]])
        #expect(await eventually(timeout: 30) { F.revisionLabel(F.pod(server, "ru-0")) == newRevision })
        try F.markRunning(server, "ru-0")
        #expect(await eventually(timeout: 30) {
            let status = F.set(server, "ru")?["status"]
            return status?["currentRevision"] == .string(newRevision) && status?["currentReplicas"] == 3 && status?["updatedReplicas"] == 3
        })
    }

    @Test func failedPodIsRecreated() async throws {
        let server = APIServer()
        _ = try server.storage.create(.statefulSets, F.statefulSet("fp", replicas: 1, claims: false))
        #expect(await eventually(timeout: 30) { F.pod(server, "fp-0") != nil })
        let uid = F.uid(F.pod(server, "fp-0"))
        try F.markFailed(server, "fp-0")
        #expect(await eventually(timeout: 30) {
            guard let pod = F.pod(server, "fp-0") else { return false }
            return F.uid(pod) != uid && pod[path: ["status", "phase"]] == "Pending"
        })
    }
}
