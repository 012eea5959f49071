import Foundation
import Keeper
import KubeModel
@testable import KubeSim
import Testing
import ZooKeeperClient

/// Issue 13: kube-sim's StatefulSet controller rolls a `RollingUpdate` set as
/// kube-controller-manager does (`updateStatefulSet` in
/// `pkg/controller/statefulset/stateful_set_control.go` waits for every pod it passes, the one
/// it just recreated included, to be Running and Ready before deleting the next), so a
/// 3-member ensemble never has two members down at once. Keeper creates the cluster (a
/// `Parallel` set), is stopped, and the set is switched to `RollingUpdate` with a changed
/// template annotation, as the rolling-restart benchmark's peer run does.
@Suite(.serialized) struct StatefulSetRollingUpdateTests {
    static let name = "zk"
    static let members = ["zk-0", "zk-1", "zk-2"]

    /// What one poll saw of a member.
    struct MemberState: Equatable, CustomStringConvertible {
        var uid: String?
        var revision: String?
        /// Why the member is down (no pod, terminating, not Ready, `srvr` unanswered), or nil.
        var down: String?
        /// `srvr`'s mode, or "no quorum" when it answered without one.
        var mode: String?
        var description: String { down.map { "down (\($0))" } ?? mode ?? "?" }
    }

    @Test(.enabled(if: Prerequisites.shouldRun, Prerequisites.skipReason), .timeLimit(.minutes(10)))
    func aRollingUpdateTakesOneMemberDownAtATime() async throws {
        try Prerequisites.require()
        try await EndToEndHarness.run { harness in
            let manifest: JSONValue = ["apiVersion": "keeper.dev/v1alpha1", "kind": "ZookeeperCluster",
                                       "metadata": ["name": .string(Self.name), "namespace": "default"], "spec": ["replicas": 3]]
            _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: manifest)
            try await waitUntil("zk is Available with 3 ready members", timeout: .seconds(180)) {
                let cluster = try await harness.cluster(Self.name)
                return EndToEndHarness.condition(cluster, "Available") == "True" && cluster.status?.readyReplicas == 3
            }
            await harness.stopOperator()
            let before = try await Self.sample(harness)
            #expect(before.values.allSatisfy { $0.down == nil }, "before the update: \(before)")

            var set = try harness.server.storage.get(.statefulSets, namespace: "default", name: Self.name)
            let oldRevision = set[path: ["status", "updateRevision"]]?.stringValue
            #expect(set[path: ["spec", "podManagementPolicy"]] == "Parallel")
            set[path: ["spec", "updateStrategy"]] = ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]]
            set[path: ["spec", "template", "metadata", "annotations", "e2e.keeper.dev/restartedAt"]] = .string(APIServer.timestamp())
            _ = try harness.server.storage.update(.statefulSets, set)

            // Every member's pod and `srvr` every 0.25 s until all three run the new revision and serve.
            let started = ContinuousClock.now
            var timeline: [String] = []
            var mostDown = 0
            var worst = ""
            var last: [String: MemberState] = [:]
            var done = false
            while !done && ContinuousClock.now - started < .seconds(300) {
                let states = try await Self.sample(harness)
                var down = 0
                for state in states.values where state.down != nil { down += 1 }
                let elapsed = (ContinuousClock.now - started).components
                let line = String(format: "+%6.2fs ", Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
                    + Self.members.map { "\($0): \(states[$0]?.description ?? "?")" }.joined(separator: ", ") + " [\(down) down]"
                if down > mostDown { worst = line }
                mostDown = max(mostDown, down)
                if states.mapValues(\.description) != last.mapValues(\.description) { timeline.append(line) }
                last = states
                let update = try harness.server.storage.get(.statefulSets, namespace: "default", name: Self.name)[path: ["status", "updateRevision"]]?.stringValue
                done = update != oldRevision && states.values.allSatisfy {
                    $0.revision == update && $0.down == nil && ($0.mode == "leader" || $0.mode == "follower")
                }
                if !done { try await Task.sleep(for: .milliseconds(250)) }
            }
            let report = timeline.joined(separator: "\n")
            print("StatefulSet RollingUpdate on kube-sim, one line per change:\n\(report)")
            #expect(done, "the rolling update did not finish in 300 s:\n\(report)")
            #expect(mostDown <= 1, "two members were down at once (\(worst)):\n\(report)")
            for member in Self.members {
                #expect(last[member]?.uid != before[member]?.uid, "\(member) was replaced")
            }
        }
    }

    /// Each member's pod (from the API server) and its `srvr` answer.
    static func sample(_ harness: EndToEndHarness) async throws -> [String: MemberState] {
        var states: [String: MemberState] = [:]
        for member in members {
            guard let pod = try? harness.server.storage.get(.pods, namespace: "default", name: member) else {
                states[member] = MemberState(down: "no pod")
                continue
            }
            var state = MemberState(uid: pod[path: ["metadata", "uid"]]?.stringValue, revision: StatefulSetPods.revision(pod))
            if StatefulSetPods.isTerminating(pod) {
                state.down = "terminating"
            } else if !StatefulSetPods.isRunningAndReady(pod) {
                state.down = "not ready"
            }
            if let ip = pod[path: ["status", "podIP"]]?.stringValue,
               let status = try? await FourLetterWords.serverStatus(host: ip, timeout: .seconds(1)) {
                state.mode = status.isServing ? (status.mode ?? "answered, no mode") : "no quorum"
            } else if state.down == nil {
                state.down = "srvr unanswered"
            }
            states[member] = state
        }
        return states
    }
}
