import Foundation
import Keeper
import KubeClient
import KubeModel
import Testing
import ZooKeeperClient

/// Keeper restarting and resizing a real ensemble on kube-sim while a client writes all along
/// (issues 9 and 10, "Done when"): a config change restarts every member exactly once, the
/// leader last, also across a Keeper replaced mid-rollout; 3 → 5 → 3 → 1 → 3 changes the
/// committed voters one at a time, members returning to their kept claims; no acknowledged
/// write is lost. One ensemble goes through every step, in order.
@Suite(.serialized) struct RolloutAndScalingTests {
    static let name = "zr"
    static let manifest: JSONValue = ["apiVersion": "keeper.dev/v1alpha1", "kind": "ZookeeperCluster",
                                      "metadata": ["name": .string(name), "namespace": "default"],
                                      // Claims kept on scale-down: a member that comes back
                                      // finds its old membership file (pravega's "not in the peer list").
                                      "spec": ["replicas": 3, "pod": ["jvmHeap": "128Mi"],
                                               "storage": ["retentionPolicy": ["whenScaled": "Retain"]]]]

    @Test(.enabled(if: Prerequisites.shouldRun, Prerequisites.skipReason), .timeLimit(.minutes(15)))
    func aRolloutAndAResizeLoseNoWrite() async throws {
        try Prerequisites.require()
        try await EndToEndHarness.run { harness in
            let writer = ContinuousWriter(prefix: "load")
            do {
                _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: Self.manifest)
                try await waitUntilConverged(harness, voters: 3, timeout: .seconds(240))
                writer.start { try await harness.clientServiceAddresses(Self.name) }
                try await aConfigChangeRestartsEveryMemberOnceTheLeaderLast(harness)
                try await anImageChangeSurvivesKeeperStoppingMidRollout(harness)
                try await scaling(harness, to: 5)
                try await scaling(harness, to: 3)
                try await aDeletedPodOfTheShrunkEnsembleDoesNotStopIt(harness)
                try await scaling(harness, to: 1)
                try await scaling(harness, to: 3)
                let figures = await writer.stop()
                try await everyAcknowledgedWriteIsThere(harness, figures)
            } catch {
                _ = await writer.stop()
                Issue.record("Keeper's last log lines:\n\(harness.operatorLog.tail)")
                throw error
            }
        }
    }

    /// Waits until the committed configuration has `voters` participants, each a ready, up to
    /// date member that serves, and the status says Converged.
    func waitUntilConverged(_ harness: EndToEndHarness, voters: Int, timeout: Duration) async throws {
        try await waitUntil("\(Self.name) converges on \(voters) voters", timeout: timeout) {
            let cluster = try await harness.cluster(Self.name)
            guard let status = cluster.status, status.observedGeneration == cluster.metadata.generation else { return false }
            let members = status.members ?? []
            return EndToEndHarness.condition(cluster, "Available") == "True" && EndToEndHarness.condition(cluster, "Progressing") == "False"
                && status.voters == voters && members.count == voters
                && members.allSatisfy { $0.membership == "participant" && $0.ready && $0.upToDate && ["leader", "follower"].contains($0.role) }
        }
        try await expectCommittedParticipants(harness, Array(1...voters))
    }

    /// Asks a member itself for `/zookeeper/config`.
    func expectCommittedParticipants(_ harness: EndToEndHarness, _ ids: [Int]) async throws {
        let reader = try await harness.clientOfMember("\(Self.name)-0")
        try await reader.sync("/")
        let (config, _) = try await reader.getConfig()
        await reader.close()
        #expect(config.participants.map(\.id).sorted() == ids, "committed: \(config.text)")
    }

    func aConfigChangeRestartsEveryMemberOnceTheLeaderLast(_ harness: EndToEndHarness) async throws {
        let before = try await harness.cluster(Self.name)
        let leader = try #require(before.status?.leader)
        var uids: [String: String] = [:]
        for ordinal in 0..<3 { uids["\(Self.name)-\(ordinal)"] = try await harness.pod("\(Self.name)-\(ordinal)").metadata.uid }
        _ = try await harness.client.patch(.zookeeperClusters, namespace: "default", name: Self.name,
                                           patch: .merge(["spec": ["config": ["maxClientCnxns": "61"]]]))
        try await waitUntil("the rollout starts", timeout: .seconds(60)) {
            try await harness.cluster(Self.name).status?.members?.contains { !$0.upToDate } == true
        }
        try await waitUntilConverged(harness, voters: 3, timeout: .seconds(300))
        for (name, uid) in uids {
            #expect(try await harness.pod(name).metadata.uid != uid, "\(name) was restarted")
        }
        let restarts = try await keeperEvents(harness, reason: "Restarting")
        #expect(restarts.count == 3, "one restart per member: \(restarts)")
        #expect(restarts.last?.contains("\(leader) (leader)") == true, "the leader \(leader) went last: \(restarts)")
        #expect(try await keeperEvents(harness, reason: "RolloutComplete").count == 1)
    }

    /// Keeper stopped right after its first eviction of an image upgrade, and a new Keeper
    /// started (knowing only what the cluster says): the rollout finishes, every member restarted
    /// exactly once. (In process, "stopped" is a cancellation, not a SIGKILL: the point is that
    /// the new operator has none of the old one's memory.)
    func anImageChangeSurvivesKeeperStoppingMidRollout(_ harness: EndToEndHarness) async throws {
        var uids: [String: String] = [:]
        for ordinal in 0..<3 { uids["\(Self.name)-\(ordinal)"] = try await harness.pod("\(Self.name)-\(ordinal)").metadata.uid }
        let restartsBefore = try await keeperEvents(harness, reason: "Restarting").count
        _ = try await harness.client.patch(.zookeeperClusters, namespace: "default", name: Self.name,
                                           patch: .merge(["spec": ["image": "zookeeper:3.9.3"]]))
        try await waitUntil("Keeper restarts a first member", timeout: .seconds(60)) {
            try await keeperEvents(harness, reason: "Restarting").count > restartsBefore
        }
        await harness.stopOperator()
        try harness.restartOperator()
        try await waitUntilConverged(harness, voters: 3, timeout: .seconds(300))
        #expect(try await harness.cluster(Self.name).status?.version == "3.9.3")
        for (name, uid) in uids {
            #expect(try await harness.pod(name).metadata.uid != uid, "\(name) was restarted")
        }
        let restarts = try await keeperEvents(harness, reason: "Restarting").count - restartsBefore
        #expect(restarts == 3, "one restart per member across both Keepers")
    }

    func scaling(_ harness: EndToEndHarness, to replicas: Int) async throws {
        let (status, output) = try await harness.kubectl("scale", "zk/\(Self.name)", "--replicas=\(replicas)")
        #expect(status == 0, "\(output)")
        try await waitUntilConverged(harness, voters: replicas, timeout: .seconds(300))
        let pods = try await harness.client.list(Pod.self, namespace: "default",
                                                 options: ListOptions(labelSelector: "app.kubernetes.io/instance=\(Self.name)")).items
        #expect(pods.filter { $0.metadata.deletionTimestamp == nil }.count == replicas)
    }

    /// Created at 3, grown to 5 and shrunk to 3: the committed voters are 3, so losing one
    /// member (a routine pod deletion) leaves a quorum serving.
    func aDeletedPodOfTheShrunkEnsembleDoesNotStopIt(_ harness: EndToEndHarness) async throws {
        let leader = try #require(try await harness.cluster(Self.name).status?.leader)
        let victim = ["\(Self.name)-0", "\(Self.name)-1", "\(Self.name)-2"].first { $0 != leader } ?? "\(Self.name)-0"
        try await harness.client.delete(Pod.self, namespace: "default", name: victim)
        let survivor = try #require(["\(Self.name)-0", "\(Self.name)-1", "\(Self.name)-2"].first { $0 != leader && $0 != victim })
        let client = try await harness.clientOfMember(survivor)
        _ = try await client.create("/after-shrink", data: [])
        await client.close()
        try await waitUntilConverged(harness, voters: 3, timeout: .seconds(180))
    }

    func everyAcknowledgedWriteIsThere(_ harness: EndToEndHarness, _ figures: ContinuousWriter.Figures) async throws {
        #expect(figures.acknowledged.count > 50, "the writer kept writing: \(figures.acknowledged.count) writes")
        let reader = try await harness.clientThroughService(Self.name)
        try await reader.sync("/")
        let children = Set(try await reader.getChildren("/"))
        await reader.close()
        let lost = figures.acknowledged.filter { !children.contains(String($0.dropFirst())) }
        #expect(lost.isEmpty, "acknowledged writes lost: \(lost.prefix(10))")
        print("writer: \(figures.acknowledged.count) acknowledged, \(figures.failed) failed, longest outage \(figures.longestOutage)")
    }

    func keeperEvents(_ harness: EndToEndHarness, reason: String) async throws -> [String] {
        let events = try await harness.client.list(.events, namespace: "default")
        return (events["items"]?.arrayValue ?? [])
            .filter { $0["reason"]?.stringValue == reason && $0["involvedObject"]?["name"]?.stringValue == Self.name }
            .sorted { ($0["firstTimestamp"]?.stringValue ?? "") < ($1["firstTimestamp"]?.stringValue ?? "") }
            .flatMap { event -> [String] in
                // Repeats of the same message are one Event with a `count`.
                let message = event["message"]?.stringValue ?? ""
                return Array(repeating: message, count: max(1, Int(event["count"]?.intValue ?? 1)))
            }
    }
}
