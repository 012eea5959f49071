import Foundation
import Keeper
import KubeClient
import KubeModel
import Testing
import ZooKeeperClient

/// Keeper restarting and resizing a real ensemble on kube-sim while a client writes all along
/// (issues 9 and 10, "Done when"): a config change restarts every member exactly once, the
/// leader last, with one election; a revision that cannot start halts after one member and a
/// fixed spec completes; an image change survives Keeper SIGKILLed right after an eviction;
/// 3 → 5 survives Keeper SIGKILLed at random points (5 runs); 5 members restart the leader
/// last; 5 → 3 → 1 → 3 → 2 → 3 changes the committed voters one at a time, members returning
/// to their kept claims; no acknowledged write is lost. One ensemble goes through every step,
/// in order.
@Suite(.serialized) struct RolloutAndScalingTests {
    static let name = "zr"
    static let manifest: JSONValue = ["apiVersion": "keeper.dev/v1alpha1", "kind": "ZookeeperCluster",
                                      "metadata": ["name": .string(name), "namespace": "default"],
                                      // Claims kept on scale-down: a member that comes back
                                      // finds its old membership file (pravega's "not in the peer list").
                                      "spec": ["replicas": 3, "pod": ["jvmHeap": "128Mi"],
                                               "storage": ["retentionPolicy": ["whenScaled": "Retain"]]]]

    @Test(.enabled(if: Prerequisites.shouldRun, Prerequisites.skipReason), .timeLimit(.minutes(30)))
    func aRolloutAndAResizeLoseNoWrite() async throws {
        try Prerequisites.require()
        try await EndToEndHarness.run { harness in
            let writer = ContinuousWriter(prefix: "load")
            do {
                _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: Self.manifest)
                try await waitUntilConverged(harness, voters: 3, timeout: .seconds(240))
                writer.start { try await harness.clientServiceAddresses(Self.name) }
                try await aRolloutRestartsEveryMemberOnceTheLeaderLast(harness, voters: 3,
                                                                       patch: ["spec": ["config": ["maxClientCnxns": "61"]]])
                try await aRevisionThatCannotStartHaltsAfterOneMember(harness)
                try await anImageChangeSurvivesKeeperKilledAfterAnEviction(harness)
                try await growingSurvivesKeeperKilledAtRandomPoints(harness, runs: 5)
                try await aRolloutRestartsEveryMemberOnceTheLeaderLast(harness, voters: 5, patch: [
                    "spec": ["pod": ["annotations": ["keeper.dev/restartedAt": .string(RFC3339.seconds(Date()))]]]])
                try await scaling(harness, to: 3)
                try await aDeletedPodOfTheShrunkEnsembleDoesNotStopIt(harness)
                try await scaling(harness, to: 1)
                try await scaling(harness, to: 3)
                // 3 → 2 → 3 on kept claims: zr-2 returns to a volume whose membership file
                // still lists it (pravega's "My id 3 not in the peer list").
                try await scaling(harness, to: 2)
                try await scaling(harness, to: 3)
                let figures = await writer.stop()
                try await everyAcknowledgedWriteIsThere(harness, figures)
            } catch {
                _ = await writer.stop()
                let conditions = (try? await harness.cluster(Self.name).status?.conditions) ?? []
                Issue.record("conditions: \(conditions.map { "\($0.type)=\($0.status) \($0.reason): \($0.message)" })")
                let budget = try? await harness.client.get(.podDisruptionBudgets, namespace: "default", name: Self.name)
                Issue.record("budget status: \(budget?["status"].map { "\($0)" } ?? "none")")
                let pods = (try? await harness.client.list(Pod.self, namespace: "default").items) ?? []
                Issue.record("pods: \(pods.map { "\($0.name) ready=\(EndToEndHarness.isReady($0)) deleting=\($0.metadata.deletionTimestamp != nil)" })")
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

    /// The pods' uids by member name, to tell which were replaced.
    func podUIDs(_ harness: EndToEndHarness, voters: Int) async throws -> [String: String] {
        var uids: [String: String] = [:]
        for ordinal in 0..<voters { uids["\(Self.name)-\(ordinal)"] = try await harness.pod("\(Self.name)-\(ordinal)").metadata.uid }
        return uids
    }

    /// The leader's epoch (the high 32 bits of its zxid): each election starts a new one, so
    /// the difference between two readings is the number of leader changes in between.
    func leaderEpoch(_ harness: EndToEndHarness) async throws -> Int64 {
        let leader = try #require(try await harness.cluster(Self.name).status?.leader)
        let ip = try #require(try await harness.pod(leader).status?.podIP)
        let status = try await FourLetterWords.serverStatus(host: ip)
        return try #require(status.epoch, "srvr of \(leader) shows no zxid")
    }

    /// A change of the pod template restarts every member exactly once with one election, the
    /// leader last (its new pod is the newest).
    func aRolloutRestartsEveryMemberOnceTheLeaderLast(_ harness: EndToEndHarness, voters: Int, patch: JSONValue) async throws {
        let leader = try #require(try await harness.cluster(Self.name).status?.leader)
        let uids = try await podUIDs(harness, voters: voters)
        let epoch = try await leaderEpoch(harness)
        let restartsBefore = try await keeperEvents(harness, reason: "Restarting").count
        let completionsBefore = try await keeperEvents(harness, reason: "RolloutComplete").count
        let handOffsBefore = try await keeperEvents(harness, reason: "HandingOff").count
        _ = try await harness.client.patch(.zookeeperClusters, namespace: "default", name: Self.name, patch: .merge(patch))
        try await waitUntil("the rollout starts", timeout: .seconds(60)) {
            try await harness.cluster(Self.name).status?.members?.contains { !$0.upToDate } == true
        }
        try await waitUntilConverged(harness, voters: voters, timeout: .seconds(120 * voters))
        var created: [String: Date] = [:]
        for (name, uid) in uids {
            let pod = try await harness.pod(name)
            #expect(pod.metadata.uid != uid, "\(name) was restarted")
            created[name] = pod.metadata.creationTimestamp.flatMap(RFC3339.date)
        }
        let newest = created.filter { $0.key != leader }.values.max()
        #expect(created[leader].map { leaderCreated in newest.map { leaderCreated > $0 } ?? true } == true,
                "the leader \(leader) went last: \(created)")
        #expect(try await keeperEvents(harness, reason: "Restarting").count - restartsBefore == voters, "one restart per member")
        #expect(try await keeperEvents(harness, reason: "RolloutComplete").count - completionsBefore == 1)
        // The leader handed off (made an observer before its restart, a voter again after it:
        // `waitUntilConverged` checks every member is a participant): one change of leader.
        let handOffs = try await keeperEvents(harness, reason: "HandingOff")
        #expect(handOffs.count - handOffsBefore == 1, "one hand-off: \(handOffs.suffix(2))")
        #expect(handOffs.last?.contains(leader) == true, "the leader \(leader) handed off: \(handOffs.suffix(1))")
        #expect(try await leaderEpoch(harness) - epoch == 1, "exactly one change of leader: the hand-off")
    }

    /// A config value that makes ZooKeeper exit at start (an unknown key becomes the system
    /// property `zookeeper.serverCnxnFactory`, and `ServerCnxnFactory.createFactory` cannot
    /// load the class): the first member restarted never comes back, the rollout halts with
    /// `Degraded` and a Warning Event, the other members keep serving; the fixed spec restarts
    /// the broken member only (the others already run that revision again) and completes.
    func aRevisionThatCannotStartHaltsAfterOneMember(_ harness: EndToEndHarness) async throws {
        let uids = try await podUIDs(harness, voters: 3)
        let restartsBefore = try await keeperEvents(harness, reason: "Restarting").count
        _ = try await harness.client.patch(.zookeeperClusters, namespace: "default", name: Self.name, patch: .merge([
            "spec": ["config": ["serverCnxnFactory": "org.example.NoSuchFactory"], "rollout": ["memberTimeoutSeconds": 20]]]))
        try await waitUntil("the rollout halts", timeout: .seconds(180)) {
            let degraded = try await harness.cluster(Self.name).status?.conditions?.first { $0.type == "Degraded" }
            return degraded?.status == "True" && degraded?.reason == "RolloutHalted"
        }
        let halted = try await keeperEvents(harness, reason: "RolloutHalted")
        #expect(!halted.isEmpty, "a Warning Event says the rollout halted")
        #expect(try await keeperEvents(harness, reason: "Restarting").count - restartsBefore == 1, "no member restarted after the first")
        var broken: String?
        for (name, uid) in uids {
            let pod = try await harness.pod(name)
            if pod.metadata.uid != uid { broken = name; continue }
            let serves = try await FourLetterWords.serverStatus(host: try #require(pod.status?.podIP)).isServing
            #expect(serves, "\(name), not restarted, still serves")
        }
        let restarted = try #require(broken, "one member was restarted")
        #expect(halted.last?.contains(restarted) == true, "the Event names \(restarted): \(halted)")
        _ = try await harness.client.patch(.zookeeperClusters, namespace: "default", name: Self.name, patch: .merge([
            "spec": ["config": ["serverCnxnFactory": nil], "rollout": nil]]))
        try await waitUntilConverged(harness, voters: 3, timeout: .seconds(240))
        for (name, uid) in uids where name != restarted {
            #expect(try await harness.pod(name).metadata.uid == uid, "\(name) ran the fixed revision already and was not restarted")
        }
        #expect(try await keeperEvents(harness, reason: "Restarting").count - restartsBefore == 2, "the broken member restarted once more")
    }

    /// Keeper, as a process of its own, SIGKILLed right after its first eviction of an image
    /// upgrade, and a new Keeper started (knowing only what the cluster says): the rollout
    /// finishes, every member restarted exactly once.
    func anImageChangeSurvivesKeeperKilledAfterAnEviction(_ harness: EndToEndHarness) async throws {
        let uids = try await podUIDs(harness, voters: 3)
        let restartsBefore = try await keeperEvents(harness, reason: "Restarting").count
        await harness.stopOperator()
        let killed = try KeeperProcess.start(kubeconfigPath: harness.keeperKubeconfigPath, log: harness.operatorLog)
        defer { killed.kill() }
        _ = try await harness.client.patch(.zookeeperClusters, namespace: "default", name: Self.name,
                                           patch: .merge(["spec": ["image": "zookeeper:3.9.3"]]))
        try await waitUntil("Keeper evicts a first member", timeout: .seconds(60)) {
            try await uids.asyncContains { name, uid in try await harness.pod(name).metadata.deletionTimestamp != nil }
        }
        killed.kill()
        try harness.restartOperator()
        try await waitUntilConverged(harness, voters: 3, timeout: .seconds(300))
        #expect(try await harness.cluster(Self.name).status?.version == "3.9.3")
        for (name, uid) in uids {
            #expect(try await harness.pod(name).metadata.uid != uid, "\(name) was restarted")
        }
        let restarts = try await keeperEvents(harness, reason: "Restarting").count - restartsBefore
        #expect(restarts == 3, "one restart per member across both Keepers")
    }

    /// 3 → 5 with Keeper (a process of its own) SIGKILLed at a random point of the resize and a
    /// new one started, `runs` times (each but the last shrinks back to 3 first): every run
    /// converges on 5 committed participants.
    func growingSurvivesKeeperKilledAtRandomPoints(_ harness: EndToEndHarness, runs: Int) async throws {
        await harness.stopOperator()
        for run in 1...runs {
            let keeper = try KeeperProcess.start(kubeconfigPath: harness.keeperKubeconfigPath, log: harness.operatorLog)
            defer { keeper.kill() }
            // A full 3 → 5 takes about 15-25 s here: kill anywhere in its first 15 s.
            let killAfter = Duration.milliseconds(Int.random(in: 0...15_000))
            print("resize run \(run): Keeper SIGKILLed \(killAfter) into 3 -> 5")
            let (status, output) = try await harness.kubectl("scale", "zk/\(Self.name)", "--replicas=5")
            #expect(status == 0, "\(output)")
            try await Task.sleep(for: killAfter)
            keeper.kill()
            let successor = try KeeperProcess.start(kubeconfigPath: harness.keeperKubeconfigPath, log: harness.operatorLog)
            defer { successor.kill() }
            // No election count here: `scaling` checks growth costs none; a killed Keeper may
            // leave a half-done step, and on a loaded machine a member can time out on its own.
            try await waitUntilConverged(harness, voters: 5, timeout: .seconds(300))
            if run < runs {
                try await scaling(harness, to: 3)
            }
        }
        try harness.restartOperator()
    }

    /// `kubectl scale` through the scale subresource; growing costs no election, shrinking at
    /// most one hand-off, and only when the leader was one of the members removed.
    func scaling(_ harness: EndToEndHarness, to replicas: Int) async throws {
        let before = try await harness.cluster(Self.name)
        let voters = try #require(before.status?.voters)
        let leaderOrdinal = try #require(before.status?.leader?.split(separator: "-").last.flatMap { Int($0) })
        let epoch = try await leaderEpoch(harness)
        let (status, output) = try await harness.kubectl("scale", "zk/\(Self.name)", "--replicas=\(replicas)")
        #expect(status == 0, "\(output)")
        try await waitUntilConverged(harness, voters: replicas, timeout: .seconds(300))
        let pods = try await harness.client.list(Pod.self, namespace: "default",
                                                 options: ListOptions(labelSelector: "app.kubernetes.io/instance=\(Self.name)")).items
        #expect(pods.filter { $0.metadata.deletionTimestamp == nil }.count == replicas)
        let elections = try await leaderEpoch(harness) - epoch
        let leaderRemoved = leaderOrdinal >= replicas
        #expect(elections <= (leaderRemoved ? 1 : 0), "\(voters) -> \(replicas): \(elections) elections, leader removed: \(leaderRemoved)")
    }

    /// Grown to 5 and shrunk to 3: the committed voters are 3, so losing one
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

extension Dictionary {
    /// True when `predicate` holds for some entry (an async `contains`).
    func asyncContains(_ predicate: (Key, Value) async throws -> Bool) async rethrows -> Bool {
        for (key, value) in self where try await predicate(key, value) { return true }
        return false
    }
}
