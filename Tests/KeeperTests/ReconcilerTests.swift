import Controller
import Foundation
import Testing
@testable import Keeper
import KubeModel
import Synchronization
import ZooKeeperClient

@Suite struct ReconcilerTests {
    let fake = FakeCluster()
    let key = ObjectKey(namespace: "default", name: "zk")

    func reconciler(roles: [String: ZooKeeperRole] = [:]) -> ZookeeperClusterReconciler {
        ZookeeperClusterReconciler(caches: fake.caches, api: fake, events: EventRecorder(sink: fake, component: "keeper", log: { _ in }),
                                   prober: FakeProber(roles: roles), recentWrites: fake.recentWrites, statusQuietPeriod: 0, now: { Fixtures.now })
    }

    /// Member pods as the StatefulSet controller would create them from the live template.
    func addMemberPods(ready: Bool = true) throws {
        let set = try #require(fake.caches.statefulSets.get(key))
        for ordinal in 0..<(set.spec?.replicas ?? 0) {
            var pod = Fixtures.pod("zk-\(ordinal)", ready: ready, revision: "zk-rev1",
                                   configHash: set.spec?.template?.metadata?.annotations?[Labels.configHashAnnotation])
            pod.metadata.labels = (set.spec?.template?.metadata?.labels ?? [:]).merging(pod.metadata.labels ?? [:]) { a, _ in a }
            pod.metadata.ownerReferences = [Self.controllerReference(to: set)]
            pod.metadata.uid = "uid-zk-\(ordinal)-1"
            fake.deliver(pod)
        }
        var live = set
        live.status = StatefulSetStatus(replicas: 3, readyReplicas: 3, updateRevision: "zk-rev1")
        fake.deliver(live)
    }

    static func controllerReference(to set: StatefulSet) -> OwnerReference {
        OwnerReference(apiVersion: "apps/v1", kind: "StatefulSet", name: set.name, uid: set.metadata.uid ?? "", controller: true)
    }

    let healthyRoles: [String: ZooKeeperRole] = ["127.0.0.10": .follower, "127.0.0.11": .leader, "127.0.0.12": .follower]

    @Test func aNewClusterGetsItsChildrenAndAStatus() async throws {
        fake.deliver(Fixtures.cluster())
        _ = try await reconciler().reconcile(key)
        #expect(fake.writes.map(\.kind) == ["Secret", "Service", "Service", "PodDisruptionBudget", "ConfigMap", "StatefulSet", "ZookeeperCluster"])
        #expect(fake.caches.services.get(ObjectKey(namespace: "default", name: "zk-headless"))?.spec?.publishNotReadyAddresses == true)
        let status = try #require(fake.caches.clusters.get(key)?.status)
        #expect(status.condition("Progressing")?.reason == "WaitingForPods")
        #expect(status.condition("Available")?.reason == "NoMembers")
        #expect(fake.events.isEmpty)
    }

    @Test func aConvergedClusterMakesNoWrites() async throws {
        fake.deliver(Fixtures.cluster())
        _ = try await reconciler().reconcile(key)
        try addMemberPods()
        let action = try await reconciler(roles: healthyRoles).reconcile(key)
        #expect(action == .requeue(after: .seconds(60)))
        let status = try #require(fake.caches.clusters.get(key)?.status)
        #expect(status.leader == "zk-1")
        #expect(status.readyReplicas == 3)
        #expect(status.condition("Available")?.status == "True")
        #expect(status.condition("Progressing")?.reason == "Converged")

        fake.resetWrites()
        for _ in 0..<5 { _ = try await reconciler(roles: healthyRoles).reconcile(key) }
        #expect(fake.writes == [])
    }

    @Test func membersAreThePodsTheStatefulSetControls() async throws {
        fake.deliver(Fixtures.cluster())
        _ = try await reconciler().reconcile(key)
        try addMemberPods()
        // Same labels, another owner (say, a copy made by hand): not a member.
        var stranger = Fixtures.pod("zk-9", ready: true)
        stranger.metadata.labels?.merge(ClusterNames(cluster: "zk", namespace: "default").selectorLabels) { _, selector in selector }
        fake.deliver(stranger)
        _ = try await reconciler(roles: healthyRoles).reconcile(key)
        #expect(fake.caches.clusters.get(key)?.status?.members?.map(\.name) == ["zk-0", "zk-1", "zk-2"])
    }

    @Test func reconcilesBeforeTheCachesCatchUpRepeatNoWrite() async throws {
        fake.deliver(Fixtures.cluster())
        fake.holdDeliveries()
        _ = try await reconciler().reconcile(key)
        #expect(fake.writes.count == 7)
        // Woken again (say by the first child's event) while the caches still show nothing.
        _ = try await reconciler().reconcile(key)
        fake.releaseDeliveries()
        _ = try await reconciler().reconcile(key)
        #expect(fake.writes.map(\.kind) == ["Secret", "Service", "Service", "PodDisruptionBudget", "ConfigMap", "StatefulSet", "ZookeeperCluster"])
        #expect(fake.recentWrites.count == 0)  // the caches caught up: nothing left to remember
    }

    @Test func aChildCreatedAndDeletedBeforeTheNextReconcileIsRestored() async throws {
        fake.deliver(Fixtures.cluster())
        _ = try await reconciler().reconcile(key)
        fake.resetWrites()
        // The PDB's creation and its deletion both arrive before Keeper looks again.
        fake.deliverDeletion(try #require(fake.caches.podDisruptionBudgets.get(key)))
        _ = try await reconciler().reconcile(key)
        #expect(fake.writes.map { "\($0.verb) \($0.kind)/\($0.name)" } == ["apply PodDisruptionBudget/zk"])
    }

    @Test func podsAppearingOneByOneCostOneStatusWrite() async throws {
        let clock = Mutex(Fixtures.now)
        let reconciler = ZookeeperClusterReconciler(caches: fake.caches, api: fake, events: nil, prober: FakeProber(roles: [:]),
                                                    recentWrites: fake.recentWrites, statusQuietPeriod: 1, now: { clock.withLock { $0 } })
        fake.deliver(Fixtures.cluster())
        let first = try await reconciler.reconcile(key)
        // No pods yet, so the status will change: back by the 5 s deadline at the latest
        // (the pods' events come sooner).
        #expect(first == .requeue(after: .seconds(5)))
        for ordinal in 0..<3 {
            clock.withLock { $0 += 0.3 }
            let set = try #require(fake.caches.statefulSets.get(key))
            var pod = Fixtures.pod("zk-\(ordinal)", ready: false, configHash: set.spec?.template?.metadata?.annotations?[Labels.configHashAnnotation])
            pod.metadata.labels?.merge(ClusterNames(cluster: "zk", namespace: "default").selectorLabels) { _, selector in selector }
            pod.metadata.ownerReferences = [Self.controllerReference(to: set)]
            fake.deliver(pod)
            _ = try await reconciler.reconcile(key)
        }
        #expect(fake.writes.map(\.kind) == ["Secret", "Service", "Service", "PodDisruptionBudget", "ConfigMap", "StatefulSet"])
        clock.withLock { $0 += 1 }
        _ = try await reconciler.reconcile(key)
        #expect(fake.writes.map(\.kind).last == "ZookeeperCluster")
        #expect(fake.writes.count == 7)
        #expect(fake.caches.clusters.get(key)?.status?.replicas == 3)
    }

    @Test func podsTheStatefulSetControllerDidNotCreateGetAStatusAfterTheQuietPeriod() async throws {
        // Issue 12: a cluster whose pods never all appear was left without a status.
        let clock = Mutex(Fixtures.now)
        let reconciler = ZookeeperClusterReconciler(caches: fake.caches, api: fake, events: nil, prober: FakeProber(roles: [:]),
                                                    recentWrites: fake.recentWrites, statusQuietPeriod: 1, now: { clock.withLock { $0 } })
        fake.deliver(Fixtures.cluster())
        _ = try await reconciler.reconcile(key)
        // The controller synced generation 1 and created only zk-0 (say, the others were refused).
        var set = try #require(fake.caches.statefulSets.get(key))
        set.metadata.generation = 1
        set.status = StatefulSetStatus(observedGeneration: 1, replicas: 1, updateRevision: "zk-rev1")
        var pod = Fixtures.pod("zk-0", ready: false, configHash: set.spec?.template?.metadata?.annotations?[Labels.configHashAnnotation])
        pod.metadata.labels?.merge(ClusterNames(cluster: "zk", namespace: "default").selectorLabels) { _, selector in selector }
        pod.metadata.ownerReferences = [Self.controllerReference(to: set)]
        fake.deliver(pod)
        fake.deliver(set)
        clock.withLock { $0 += 0.5 }
        #expect(try await reconciler.reconcile(key) == .requeue(after: .seconds(1)))
        clock.withLock { $0 += 1 }
        _ = try await reconciler.reconcile(key)
        let progressing = try #require(fake.caches.clusters.get(key)?.status?.condition("Progressing"))
        #expect(progressing.reason == "WaitingForPods")
        #expect(progressing.message == "1 of 3 member pods exist; the StatefulSet controller has not created the rest.")
    }

    @Test func deletedAndEditedChildrenAreRestoredAndOthersFieldsSurvive() async throws {
        fake.deliver(Fixtures.cluster())
        _ = try await reconciler().reconcile(key)
        fake.resetWrites()
        // Someone deletes the PDB, edits the client port, and labels the StatefulSet.
        let budget = try #require(fake.caches.podDisruptionBudgets.get(key))
        fake.deliverDeletion(budget)
        var client = try #require(fake.caches.services.get(ObjectKey(namespace: "default", name: "zk-client")))
        client.spec?.ports?[0].port = 9999
        fake.deliver(client)
        var set = try #require(fake.caches.statefulSets.get(key))
        set.metadata.labels?["backup"] = "nightly"
        fake.deliver(set)

        _ = try await reconciler().reconcile(key)
        // Apply keeps the re-keyed port (another manager's entry), so a merge patch follows.
        #expect(fake.writes.map { "\($0.verb) \($0.kind)/\($0.name)" } == ["apply Service/zk-client", "mergePatch Service/zk-client", "apply PodDisruptionBudget/zk"])
        #expect(fake.caches.services.get(ObjectKey(namespace: "default", name: "zk-client"))?.spec?.ports?.map(\.port) == [2181])
        #expect(fake.caches.statefulSets.get(key)?.metadata.labels?["backup"] == "nightly")
        let reasons = fake.events.compactMap { $0["reason"]?.stringValue }
        #expect(reasons.sorted() == ["Restored", "Updated"])
    }

    @Test func aFieldRemovedFromTheSpecIsAppliedOnce() async throws {
        fake.deliver(Fixtures.cluster(spec: ZookeeperClusterSpec(clientService: ClientServiceSpec(annotations: ["lb": "internal"]))))
        _ = try await reconciler().reconcile(key)
        fake.resetWrites()
        fake.deliver(Fixtures.cluster(spec: ZookeeperClusterSpec(), generation: 2))
        _ = try await reconciler().reconcile(key)
        #expect(fake.writes.map { "\($0.verb) \($0.kind)/\($0.name)" } == ["apply Service/zk-client", "updateStatus ZookeeperCluster/zk"])
        fake.resetWrites()
        _ = try await reconciler().reconcile(key)
        #expect(fake.writes == [])
    }

    @Test func anInvalidSpecTouchesNoChildAndSaysWhy() async throws {
        fake.deliver(Fixtures.cluster())
        _ = try await reconciler().reconcile(key)
        let before = try JSONValue(encoding: #require(fake.caches.statefulSets.get(key)))
        fake.resetWrites()

        fake.deliver(Fixtures.cluster(spec: ZookeeperClusterSpec(image: "zookeeper", config: ["dataDir": "/x"]), generation: 2))
        _ = try await reconciler().reconcile(key)
        #expect(fake.writes.map(\.verb) == ["updateStatus"])
        #expect(try JSONValue(encoding: #require(fake.caches.statefulSets.get(key))) == before)
        let degraded = try #require(fake.caches.clusters.get(key)?.status?.condition("Degraded"))
        #expect(degraded.status == "True")
        #expect(degraded.reason == "InvalidSpec")
        #expect(degraded.message.contains("spec.config: key \"dataDir\" is managed by Keeper"))
        #expect(degraded.message.contains("spec.image: \"zookeeper\" has no tag"))
        #expect(degraded.observedGeneration == 2)
        #expect(fake.events.compactMap { $0["type"]?.stringValue } == ["Warning"])
        #expect(fake.events.first?["reason"] == "InvalidSpec")

        // Again: nothing new to say, nothing written.
        fake.resetWrites()
        _ = try await reconciler().reconcile(key)
        #expect(fake.writes == [])
        #expect(fake.events.count == 1)

        // Fixed: Degraded clears.
        fake.deliver(Fixtures.cluster(spec: ZookeeperClusterSpec(), generation: 3))
        _ = try await reconciler().reconcile(key)
        #expect(fake.caches.clusters.get(key)?.status?.condition("Degraded")?.status == "False")
    }

    @Test func aChildKeeperDoesNotControlIsLeftAlone() async throws {
        fake.deliver(Fixtures.cluster())
        fake.deliver(ConfigMap(metadata: ObjectMeta(name: "zk-config", namespace: "default"), data: ["mine": "yes"]))
        await #expect(throws: ReconcileError.self) { _ = try await reconciler().reconcile(key) }
        #expect(!fake.writes.contains { $0.kind == "ConfigMap" })
        #expect(fake.caches.configMaps.get(ObjectKey(namespace: "default", name: "zk-config"))?.data == ["mine": "yes"])
        let degraded = try #require(fake.caches.clusters.get(key)?.status?.condition("Degraded"))
        #expect(degraded.reason == "ApplyFailed")
        #expect(degraded.message.contains("ConfigMap zk-config exists and is not controlled by this ZookeeperCluster"))
    }

    @Test func aFailedApplyIsReportedAndRetried() async throws {
        fake.deliver(Fixtures.cluster())
        fake.failApplies(of: "PodDisruptionBudget")
        await #expect(throws: ReconcileError.self) { _ = try await reconciler().reconcile(key) }
        #expect(fake.caches.statefulSets.get(key) != nil)
        #expect(fake.caches.clusters.get(key)?.status?.condition("Degraded")?.reason == "ApplyFailed")
    }

    @Test func storageChangesAreNotAppliedToTheExistingStatefulSet() async throws {
        fake.deliver(Fixtures.cluster())
        _ = try await reconciler().reconcile(key)
        fake.resetWrites()
        fake.deliver(Fixtures.cluster(spec: ZookeeperClusterSpec(storage: StorageSpec(size: "20Gi")), generation: 2))
        await #expect(throws: ReconcileError.self) { _ = try await reconciler().reconcile(key) }
        #expect(!fake.writes.contains { $0.kind == "StatefulSet" })
        #expect(fake.caches.statefulSets.get(key)?.spec?.volumeClaimTemplates?.first?.spec?.resources?.requests == ["storage": "10Gi"])
        #expect(fake.caches.clusters.get(key)?.status?.condition("Degraded")?.message.contains("cannot change after creation") == true)
    }

    /// Replaces a member's pod as the StatefulSet controller does after an eviction: a new
    /// uid, the live template's revision and config hash.
    func replacePod(_ name: String, generation: Int) throws {
        let set = try #require(fake.caches.statefulSets.get(key))
        var pod = Fixtures.pod(name, revision: "zk-rev\(generation)", configHash: set.spec?.template?.metadata?.annotations?[Labels.configHashAnnotation])
        pod.metadata.labels = (set.spec?.template?.metadata?.labels ?? [:]).merging(pod.metadata.labels ?? [:]) { a, _ in a }
        pod.metadata.ownerReferences = [Self.controllerReference(to: set)]
        pod.metadata.uid = "uid-\(name)-\(generation)"
        fake.deliver(pod)
    }

    @Test func aConfigChangeRestartsOneMemberAtATimeFollowersFirstLeaderLast() async throws {
        fake.deliver(Fixtures.cluster())
        _ = try await reconciler().reconcile(key)
        try addMemberPods()
        fake.deliver(Fixtures.cluster(spec: ZookeeperClusterSpec(config: ["tickTime": "3000"]), generation: 2))
        var set = try #require(fake.caches.statefulSets.get(key))
        fake.resetWrites()
        let ensemble = FakeEnsemble(roles: [.follower, .leader, .follower])
        let reconciler = ZookeeperClusterReconciler(caches: fake.caches, api: fake, events: EventRecorder(sink: fake, component: "keeper", log: { _ in }),
                                                    prober: ensemble, admin: ensemble, recentWrites: fake.recentWrites, statusQuietPeriod: 0,
                                                    now: { Fixtures.now })
        _ = try await reconciler.reconcile(key)
        // The new template is applied; no restart until the StatefulSet controller has taken it up.
        #expect(fake.writes.map(\.kind) == ["ConfigMap", "StatefulSet", "ZookeeperCluster"])
        #expect(fake.evicted == [])
        fake.resetWrites()
        _ = try await reconciler.reconcile(key)
        // The restart is recorded in the status before the eviction, then the status is written.
        #expect(fake.writes.map(\.kind) == ["ZookeeperCluster", "Pod", "ZookeeperCluster"])
        #expect(fake.evicted == ["zk-2"])
        var status = try #require(fake.caches.clusters.get(key)?.status)
        #expect(status.restart?.member == "zk-2")
        #expect(status.restart?.podUID == "uid-zk-2-1")
        #expect(status.condition("Progressing")?.reason == "RollingRestart")
        #expect(status.condition("Progressing")?.message.hasPrefix("restarting zk-2 (follower)") == true)

        // The eviction has not happened yet (the pod is still the old one): evicted again, nothing else.
        _ = try await reconciler.reconcile(key)
        #expect(fake.evicted == ["zk-2", "zk-2"])

        // The StatefulSet controller moves to revision 2 and replaces the pods Keeper evicts.
        set = try #require(fake.caches.statefulSets.get(key))
        set.status = StatefulSetStatus(replicas: 3, readyReplicas: 3, updateRevision: "zk-rev2")
        fake.deliver(set)
        try replacePod("zk-2", generation: 2)
        _ = try await reconciler.reconcile(key)
        #expect(fake.evicted.last == "zk-0", "after zk-2 is back")
        // The leader's turn: it is made an observer first (ZooKeeper hands leadership to zk-2)
        // and restarted in the same reconcile, then made a voter again once it is back.
        try replacePod("zk-0", generation: 2)
        _ = try await reconciler.reconcile(key)
        #expect(ensemble.changes.map(\.role) == ["observer"])
        #expect(fake.evicted == ["zk-2", "zk-2", "zk-0", "zk-1"])
        #expect(fake.caches.clusters.get(key)?.status?.restart?.member == "zk-1")
        #expect(fake.caches.clusters.get(key)?.status?.condition("Progressing")?.message.hasPrefix("restarting zk-1 (the leader before, now an observer)") == true)
        #expect(fake.events.filter { $0["reason"] == "HandingOff" }.count == 1)
        try replacePod("zk-1", generation: 2)
        _ = try await reconciler.reconcile(key)
        #expect(ensemble.changes.map(\.role) == ["observer", "participant"])
        // Back and voting: the rollout is done and the record cleared.
        _ = try await reconciler.reconcile(key)
        #expect(fake.evicted == ["zk-2", "zk-2", "zk-0", "zk-1"])
        status = try #require(fake.caches.clusters.get(key)?.status)
        #expect(status.restart == nil)
        #expect(status.members?.allSatisfy(\.upToDate) == true)
        #expect(status.members?.allSatisfy { $0.membership == "participant" } == true)
        #expect(status.condition("Progressing")?.reason == "Converged")
        #expect(fake.events.filter { $0["reason"] == "RolloutComplete" }.count == 1)
        #expect(fake.events.filter { $0["reason"] == "HandingOff" }.count == 1)
    }

    @Test func anUnhealthyEnsembleIsNotRolled() async throws {
        fake.deliver(Fixtures.cluster())
        _ = try await reconciler().reconcile(key)
        try addMemberPods()
        fake.deliver(Fixtures.cluster(spec: ZookeeperClusterSpec(config: ["tickTime": "3000"]), generation: 2))
        // Two members say they lead: never roll blind.
        _ = try await reconciler(roles: ["127.0.0.10": .leader, "127.0.0.11": .leader, "127.0.0.12": .follower]).reconcile(key)
        #expect(fake.evicted == [])
        let status = try #require(fake.caches.clusters.get(key)?.status)
        #expect(status.condition("Progressing")?.reason == "RollingRestart")
        #expect(status.condition("Progressing")?.message.contains("say they lead") == true)
    }

    @Test func aDeletedClusterIsDone() async throws {
        #expect(try await reconciler().reconcile(key) == .done)
        #expect(fake.writes == [])
    }

    @Test func whatWasKnownOfADeletedClustersChildrenIsForgotten() async throws {
        let reconciler = reconciler()
        let cluster = Fixtures.cluster()
        fake.deliver(cluster)
        _ = try await reconciler.reconcile(key)
        _ = try await reconciler.reconcile(key)  // the children, now cached, are compared and found as wanted
        #expect(reconciler.satisfiedChildren.count == 5)
        fake.deliverDeletion(try #require(fake.caches.clusters.get(key)))
        #expect(try await reconciler.reconcile(key) == .done)
        #expect(reconciler.satisfiedChildren.count == 0)
    }
}
