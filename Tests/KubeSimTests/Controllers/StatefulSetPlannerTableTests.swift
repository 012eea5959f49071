import Foundation
import KubeModel
import Testing
@testable import KubeSim

/// kube-controller-manager's StatefulSet decisions, read from `updateStatefulSet` and its
/// helpers in `pkg/controller/statefulset/stateful_set_control.go` (v1.32, the
/// `MaxUnavailableStatefulSet` gate off), `stateful_set_utils.go`, `stateful_pod_control.go`
/// and their unit tests in `stateful_set_control_test.go`, each run against one pass of
/// `StatefulSetPlanner`. A row names the Go function (and test) it comes from.
@Suite struct StatefulSetPlannerTableTests {
    typealias Wait = StatefulSetPlanner.Wait
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// One pass: a set, its pods and claims; the writes in order and why the pass stopped.
    struct Row: Sendable, CustomTestStringConvertible {
        var source: String
        var set: JSONValue
        var pods: [JSONValue]
        var claims: [JSONValue] = []
        var update = "s-old"
        var actions: [String]
        var wait: Wait?
        var testDescription: String { source }
    }

    // MARK: Fixtures

    static func set(_ replicas: Int, _ policy: String = "OrderedReady", strategy: JSONValue = ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]],
                    minReadySeconds: Int = 0, retention: JSONValue? = nil) -> JSONValue {
        var set = SimFixtures.statefulSet("s", replicas: replicas, podManagement: policy, strategy: strategy, retention: retention)
        set[path: ["metadata", "uid"]] = "set-uid"
        if minReadySeconds > 0 { set[path: ["spec", "minReadySeconds"]] = .int(Int64(minReadySeconds)) }
        return set
    }

    static func parallel(_ replicas: Int, strategy: JSONValue = ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]]) -> JSONValue {
        set(replicas, "Parallel", strategy: strategy)
    }

    /// A pod of the set; Running and Ready since `readyFor` seconds unless told otherwise.
    static func pod(_ ordinal: Int, _ revision: String = "s-old", phase: String = "Running", ready: Bool = true,
                    terminating: Bool = false, readyFor: TimeInterval = 3600) -> JSONValue {
        let since = APIServer.timestamp(now.addingTimeInterval(-readyFor))
        var pod: JSONValue = ["metadata": ["name": .string("s-\(ordinal)"), "uid": .string("pod-\(ordinal)"),
                                           "labels": ["controller-revision-hash": .string(revision)]],
                              "status": ["phase": .string(phase),
                                         "conditions": [["type": "Ready", "status": ready ? "True" : "False", "lastTransitionTime": .string(since)]]]]
        if terminating { pod[path: ["metadata", "deletionTimestamp"]] = .string(APIServer.timestamp(now)) }
        return pod
    }

    static func healthy(_ ordinals: ClosedRange<Int>, _ revision: String = "s-old") -> [JSONValue] { ordinals.map { pod($0, revision) } }

    static func claim(_ ordinal: Int, deleting: Bool = false, owners: [JSONValue] = []) -> JSONValue {
        var claim: JSONValue = ["metadata": ["name": .string("data-s-\(ordinal)")]]
        if deleting { claim[path: ["metadata", "deletionTimestamp"]] = .string(APIServer.timestamp(now)) }
        if !owners.isEmpty { claim[path: ["metadata", "ownerReferences"]] = .array(owners) }
        return claim
    }

    static func claims(_ ordinals: ClosedRange<Int>) -> [JSONValue] { ordinals.map { claim($0) } }

    static let rollingPartition2: JSONValue = ["type": "RollingUpdate", "rollingUpdate": ["partition": 2]]
    static let onDelete: JSONValue = ["type": "OnDelete"]
    static let deleteOnScaleDown: JSONValue = ["whenDeleted": "Retain", "whenScaled": "Delete"]

    // MARK: The table

    static let rows: [Row] = [
        // Rolling update (updateStatefulSet, TestStatefulSetControlRollingUpdate).
        Row(source: "updateStatefulSet: RollingUpdate deletes the largest outdated ordinal (monotonic image update)",
            set: set(3), pods: healthy(0...2), claims: claims(0...2), update: "s-new", actions: ["delete s-2"], wait: .update("s-2")),
        Row(source: "updateStatefulSet: Parallel RollingUpdate deletes one pod too (burst image update)",
            set: parallel(3), pods: healthy(0...2), claims: claims(0...2), update: "s-new", actions: ["delete s-2"], wait: .update("s-2")),
        Row(source: "processReplica: OrderedReady waits for a terminating pod to go",
            set: set(3), pods: healthy(0...1) + [pod(2, terminating: true)], claims: claims(0...2), update: "s-new",
            actions: [], wait: .termination("s-2")),
        Row(source: "updateStatefulSet: Parallel skips a terminating outdated pod and waits for it (wait for unhealthy Pods on update)",
            set: parallel(3), pods: healthy(0...1) + [pod(2, terminating: true)], claims: claims(0...2), update: "s-new",
            actions: [], wait: .update("s-2")),
        Row(source: "processReplica: OrderedReady recreates the replaced pod at the update revision and stops",
            set: set(3), pods: healthy(0...1), claims: claims(0...2), update: "s-new", actions: ["create s-2 (s-new)"], wait: .runningAndReady("s-2")),
        Row(source: "updateStatefulSet: Parallel recreates the replaced pod; the new pod is in replicas and not healthy, so nothing else goes (issue 13)",
            set: parallel(3), pods: healthy(0...1), claims: claims(0...2), update: "s-new", actions: ["create s-2 (s-new)"], wait: .update("s-2")),
        Row(source: "updateStatefulSet: Parallel waits for a just-created (Pending) pod before the next",
            set: parallel(3), pods: healthy(0...1) + [pod(2, "s-new", phase: "Pending", ready: false)], claims: claims(0...2), update: "s-new",
            actions: [], wait: .update("s-2")),
        Row(source: "updateStatefulSet: Parallel waits for a Running but unready updated pod before the next",
            set: parallel(3), pods: healthy(0...1) + [pod(2, "s-new", ready: false)], claims: claims(0...2), update: "s-new",
            actions: [], wait: .update("s-2")),
        Row(source: "updateStatefulSet: once the updated pod is healthy the next outdated one goes",
            set: parallel(3), pods: healthy(0...1) + [pod(2, "s-new")], claims: claims(0...2), update: "s-new", actions: ["delete s-1"], wait: .update("s-1")),
        Row(source: "updateStatefulSet: v1.32 judges the update by isHealthy, so Parallel does not wait for minReadySeconds",
            set: set(3, "Parallel", minReadySeconds: 30), pods: healthy(0...1) + [pod(2, "s-new", readyFor: 10)], claims: claims(0...2), update: "s-new",
            actions: ["delete s-1"], wait: .update("s-1")),
        Row(source: "processReplica: OrderedReady holds the update until the updated pod is available for minReadySeconds",
            set: set(3, minReadySeconds: 30), pods: healthy(0...1) + [pod(2, "s-new", readyFor: 10)], claims: claims(0...2), update: "s-new",
            actions: [], wait: .available("s-2")),
        Row(source: "updateStatefulSet: all pods at the update revision and healthy, nothing to do",
            set: parallel(3), pods: healthy(0...2, "s-new"), claims: claims(0...2), update: "s-new", actions: [], wait: nil),
        // Partition (TestStatefulSetControlRollingUpdateWithPartition).
        Row(source: "updateStatefulSet: with a partition only ordinals at or above it are updated",
            set: set(3, strategy: rollingPartition2), pods: healthy(0...2), claims: claims(0...2), update: "s-new", actions: ["delete s-2"], wait: .update("s-2")),
        Row(source: "updateStatefulSet: ordinals below the partition keep the current revision",
            set: set(3, strategy: rollingPartition2), pods: healthy(0...1) + [pod(2, "s-new")], claims: claims(0...2), update: "s-new", actions: [], wait: nil),
        Row(source: "newVersionedStatefulSetPod: a pod recreated below the partition gets the current revision",
            set: set(3, strategy: rollingPartition2), pods: [pod(1), pod(2, "s-new")], claims: claims(0...2), update: "s-new",
            actions: ["create s-0 (s-old)"], wait: .runningAndReady("s-0")),
        // OnDelete (TestStatefulSetControlOnDeleteUpdate).
        Row(source: "updateStatefulSet: OnDelete leaves outdated pods alone",
            set: set(3, strategy: onDelete), pods: healthy(0...2), claims: claims(0...2), update: "s-new", actions: [], wait: nil),
        Row(source: "newVersionedStatefulSetPod: OnDelete creates new pods at the update revision (monotonic image update and scale up)",
            set: set(4, strategy: onDelete), pods: healthy(0...2), claims: claims(0...3), update: "s-new",
            actions: ["create s-3 (s-new)"], wait: .runningAndReady("s-3")),
        // Scale up (processReplica, ScalesUp, TestParallelScale).
        Row(source: "processReplica: OrderedReady creates the next ordinal and stops (ScalesUp/Monotonic)",
            set: set(3), pods: healthy(0...0), claims: claims(0...2), actions: ["create s-1 (s-old)"], wait: .runningAndReady("s-1")),
        Row(source: "processReplica: OrderedReady creates nothing while a predecessor is unready",
            set: set(3), pods: [pod(0, ready: false)], claims: claims(0...2), actions: [], wait: .runningAndReady("s-0")),
        Row(source: "processReplica: Parallel creates every missing ordinal in one pass (ScalesUp/Burst, TestParallelScale)",
            set: parallel(3, strategy: onDelete), pods: healthy(0...0), claims: claims(0...2), actions: ["create s-1 (s-old)", "create s-2 (s-old)"], wait: nil),
        Row(source: "processReplica: Parallel creates past an unready pod",
            set: parallel(3, strategy: onDelete), pods: [pod(0, ready: false)], claims: claims(0...2), actions: ["create s-1 (s-old)", "create s-2 (s-old)"], wait: nil),
        // Scale down (processCondemned, ScalesDown, TestParallelScale).
        Row(source: "processCondemned: OrderedReady deletes the highest condemned pod and stops (ScalesDown/Monotonic)",
            set: set(2), pods: healthy(0...3), claims: claims(0...3), actions: ["delete s-3"], wait: .termination("s-3")),
        Row(source: "processCondemned: OrderedReady waits for the condemned pod to terminate",
            set: set(2), pods: healthy(0...2) + [pod(3, terminating: true)], claims: claims(0...3), actions: [], wait: .termination("s-3")),
        Row(source: "processCondemned: Parallel deletes every condemned pod (ScalesDown/Burst)",
            set: parallel(2), pods: healthy(0...3), claims: claims(0...3), actions: ["delete s-3", "delete s-2"], wait: nil),
        Row(source: "processReplica: OrderedReady scales down nothing while a replica is unready",
            set: set(2), pods: [pod(0), pod(1, ready: false), pod(2), pod(3)], claims: claims(0...3), actions: [], wait: .runningAndReady("s-1")),
        Row(source: "processCondemned: OrderedReady deletes an unready condemned pod when it is the first unhealthy one",
            set: set(2), pods: healthy(0...2) + [pod(3, ready: false)], claims: claims(0...3), actions: ["delete s-3"], wait: .termination("s-3")),
        Row(source: "processCondemned: OrderedReady blocks on an unready condemned pod that is not the first unhealthy one",
            set: set(2), pods: healthy(0...1) + [pod(2, ready: false), pod(3, ready: false)], claims: claims(0...3),
            actions: [], wait: .runningAndReady("s-2")),
        // A failed pod (RecreatesFailedPod, RecreatesSucceededPod).
        Row(source: "processReplica: OrderedReady deletes a Failed pod and stops; it is recreated on the next sync (RecreatesFailedPod)",
            set: set(3), pods: [pod(0, phase: "Failed", ready: false)] + healthy(1...2), claims: claims(0...2), actions: ["delete s-0"], wait: .removal("s-0")),
        Row(source: "processReplica: Parallel deletes a Succeeded pod without recreating it in the same pass (RecreatesSucceededPod/Burst)",
            set: parallel(3), pods: [pod(0, phase: "Succeeded", ready: false)] + healthy(1...2), claims: claims(0...2),
            actions: ["delete s-0"], wait: .update("s-0")),
        Row(source: "processReplica: the failed pod, once gone, is created again",
            set: set(3), pods: healthy(1...2), claims: claims(0...2), actions: ["create s-0 (s-old)"], wait: .runningAndReady("s-0")),
        // minReadySeconds (isRunningAndAvailable).
        Row(source: "processReplica: OrderedReady waits until a Ready predecessor is available for minReadySeconds",
            set: set(2, minReadySeconds: 30), pods: [pod(0, readyFor: 10)], claims: claims(0...1), actions: [], wait: .available("s-0")),
        Row(source: "processReplica: OrderedReady goes on once the predecessor has been Ready for minReadySeconds",
            set: set(2, minReadySeconds: 30), pods: [pod(0, readyFor: 31)], claims: claims(0...1), actions: ["create s-1 (s-old)"], wait: .runningAndReady("s-1")),
        Row(source: "processCondemned: OrderedReady waits for condemned pods to be available before scaling down",
            set: set(1, minReadySeconds: 30), pods: [pod(0), pod(1), pod(2, readyFor: 10)], claims: claims(0...2), actions: [], wait: .available("s-2")),
        // Claims and retention (createPersistentVolumeClaims, PodClaimIsStale, updateClaimOwnerRefForSetAndPod).
        Row(source: "CreateStatefulPod: the claims are created before the pod",
            set: set(2), pods: [], actions: ["claim data-s-0", "create s-0 (s-old)"], wait: .runningAndReady("s-0")),
        Row(source: "processReplica: a Pending pod's missing claim is created again (RecreatesPVCForPendingPod)",
            set: set(2), pods: [pod(0, phase: "Pending", ready: false)], actions: ["claim data-s-0"], wait: .runningAndReady("s-0")),
        Row(source: "createPersistentVolumeClaims: a claim being deleted fails the pod's creation",
            set: set(2), pods: [], claims: [claim(0, deleting: true)], actions: [], wait: .claimDeletion("data-s-0")),
        Row(source: "PodClaimIsStale: with whenScaled Delete a claim still owned by an old pod blocks the creation",
            set: set(2, retention: deleteOnScaleDown), pods: healthy(0...0),
            claims: [claim(0), claim(1, owners: [["apiVersion": "v1", "kind": "Pod", "name": "s-1", "uid": "old-pod-1", "controller": true]])],
            actions: [], wait: .staleClaim("s-1")),
        Row(source: "updateClaimOwnerRefForSetAndPod: whenDeleted Delete makes the set own a replica's claim",
            set: set(1, retention: ["whenDeleted": "Delete", "whenScaled": "Retain"]), pods: healthy(0...0), claims: claims(0...0),
            actions: ["own data-s-0 by StatefulSet"], wait: nil),
        Row(source: "updateStatefulSet (fixPodClaim, then processCondemned): whenScaled Delete gives a condemned claim to its pod, then deletes the pod",
            set: set(1, retention: deleteOnScaleDown), pods: healthy(0...1), claims: claims(0...1),
            actions: ["own data-s-1 by Pod", "delete s-1"], wait: .termination("s-1")),
    ]

    static func describe(_ action: StatefulSetPlanner.Action) -> String {
        switch action {
        case .createClaim(let claim): "claim " + (claim[path: ["metadata", "name"]]?.stringValue ?? "")
        case .updateClaim(let claim):
            "own \(claim[path: ["metadata", "name"]]?.stringValue ?? "") by "
                + (claim[path: ["metadata", "ownerReferences"]]?.arrayValue ?? []).compactMap { $0["kind"]?.stringValue }.joined(separator: ",")
        case .createPod(let pod): "create \(pod[path: ["metadata", "name"]]?.stringValue ?? "") (\(SimFixtures.revisionLabel(pod) ?? ""))"
        case .deletePod(let name): "delete " + name
        }
    }

    @Test(arguments: rows) func onePassDecidesAsTheRealController(_ row: Row) {
        let claims = Dictionary(uniqueKeysWithValues: row.claims.map { ($0[path: ["metadata", "name"]]?.stringValue ?? "", $0) })
        let template = row.set[path: ["spec", "template"]] ?? [:]
        let input = StatefulSetPlanner.Input(set: row.set, pods: row.pods, claims: claims, currentRevision: "s-old", currentTemplate: template,
                                             updateRevision: row.update, updateTemplate: template, now: Self.now)
        let plan = StatefulSetPlanner.plan(input)
        #expect(plan.actions.map(Self.describe) == row.actions, "\(row.source)")
        #expect(plan.waitingFor == row.wait, "\(row.source)")
    }

    /// `truncateHistory` (TestStatefulSetControlLimitsHistory): revisions neither the status
    /// nor a pod uses are deleted oldest first until `revisionHistoryLimit` remain.
    @Test(arguments: [(limit: 0, deleted: ["s-1", "s-2", "s-3"]), (limit: 2, deleted: ["s-1"]), (limit: 3, deleted: []), (limit: 10, deleted: [])])
    func historyIsTruncatedToTheLimit(limit: Int, deleted: [String]) {
        let revisions: [JSONValue] = (1...6).map { ["metadata": ["name": .string("s-\($0)")], "revision": .int(Int64($0))] }
        // s-6 is the update revision, s-5 the current one, s-4 a pod's.
        #expect(StatefulSetRevisions.surplus(revisions.shuffled(), live: ["s-6", "s-5", "s-4"], limit: limit) == deleted)
    }
}
