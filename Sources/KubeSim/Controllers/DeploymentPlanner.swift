import Foundation
import KubeModel

/// One pass of the Deployment controller's `syncDeployment`, without I/O, ported from
/// `pkg/controller/deployment` (v1.32): `sync.go` (`getNewReplicaSet`, `isScalingEvent`,
/// `scale`, `cleanupDeployment`), `rolling.go` (`rolloutRolling`), `recreate.go`
/// (`rolloutRecreate`) and `util/deployment_util.go` (`NewRSNewReplicas`, `MaxUnavailable`,
/// `ResolveFenceposts`, revision annotations). The ReplicaSets are the Deployment's by
/// controller reference (adoption by selector is not modelled), and scaling a Deployment in
/// the middle of a rollout scales the newest active ReplicaSet rather than all of them in
/// proportion (`scale`'s proportional branch is not modelled).
enum DeploymentPlanner {
    static let hashLabel = "pod-template-hash"
    static let revisionAnnotation = "deployment.kubernetes.io/revision"
    static let desiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
    static let maxReplicasAnnotation = "deployment.kubernetes.io/max-replicas"

    /// One of the Deployment's ReplicaSets as the planner reads and changes it.
    struct ReplicaSet: Equatable {
        var object: JSONValue
        var name: String { object[path: ["metadata", "name"]]?.stringValue ?? "" }
        var replicas: Int {
            get { Int(object[path: ["spec", "replicas"]]?.intValue ?? 0) }
            set { object[path: ["spec", "replicas"]] = .int(Int64(newValue)) }
        }
        var statusReplicas: Int { Int(object[path: ["status", "replicas"]]?.intValue ?? 0) }
        var available: Int { Int(object[path: ["status", "availableReplicas"]]?.intValue ?? 0) }
        var ready: Int { Int(object[path: ["status", "readyReplicas"]]?.intValue ?? 0) }
        var created: String { object[path: ["metadata", "creationTimestamp"]]?.stringValue ?? "" }
        var revision: Int { Int(annotation(DeploymentPlanner.revisionAnnotation) ?? "") ?? 0 }
        func annotation(_ key: String) -> String? { object[path: ["metadata", "annotations", key]]?.stringValue }
        mutating func setAnnotation(_ key: String, _ value: String) { object[path: ["metadata", "annotations", key]] = .string(value) }
    }

    enum Action: Equatable {
        case createReplicaSet(JSONValue)
        /// The ReplicaSet with a new `spec.replicas` or annotations (an update); `from`/`to`
        /// give the `ScalingReplicaSet` event when the count changed.
        case updateReplicaSet(JSONValue, from: Int, to: Int)
        case deleteReplicaSet(String)
        /// The Deployment's own `deployment.kubernetes.io/revision` annotation.
        case setDeploymentRevision(String)
    }

    struct Input {
        var deployment: JSONValue
        var replicaSets: [JSONValue]
        /// Active (not Succeeded or Failed) pods per ReplicaSet name, for Recreate's `oldPodsRunning`.
        var activePods: [String: Int] = [:]
    }

    static func plan(_ input: Input) -> [Action] {
        var planner = Pass(deployment: input.deployment, replicaSets: input.replicaSets.map(ReplicaSet.init).sorted(by: olderFirst),
                           activePods: input.activePods)
        planner.run()
        return planner.actions
    }

    /// `ReplicaSetsByCreationTimestamp`.
    static func olderFirst(_ a: ReplicaSet, _ b: ReplicaSet) -> Bool {
        a.created == b.created ? a.name < b.name : a.created < b.created
    }

    /// The template without the hash label, as `EqualIgnoreHash` compares them.
    static func templateIgnoringHash(_ template: JSONValue?) -> JSONValue {
        var template = template ?? [:]
        template[path: ["metadata", "labels", hashLabel]] = nil
        if template[path: ["metadata", "labels"]]?.objectValue?.isEmpty == true { template[path: ["metadata", "labels"]] = nil }
        return template
    }

    /// `controller.ComputeHash`: FNV-32a over the template and the collision count, safe-encoded.
    /// (The real one hashes Go's `spew` dump of the struct, which a JSON text cannot reproduce, so
    /// the hash differs from a real cluster's; its form and role are the same.)
    static func templateHash(_ template: JSONValue, collisionCount: Int64?) -> String {
        var bytes = Array(template.serialized())
        if let collisionCount { bytes += Array(String(collisionCount).utf8) }
        var sum: UInt32 = 2_166_136_261
        for byte in bytes {
            sum ^= UInt32(byte)
            sum = sum &* 16_777_619
        }
        return StatefulSetRevisions.safeEncode(String(sum))
    }

    /// `intstr.GetScaledValueFromIntOrPercent`.
    static func scaled(_ value: JSONValue?, total: Int, roundUp: Bool) -> Int {
        switch value {
        case .int(let number)?: return Int(number)
        case .string(let text)? where text.hasSuffix("%"):
            let percent = Double(text.dropLast()) ?? 0
            let exact = percent * Double(total) / 100
            return Int(roundUp ? exact.rounded(.up) : exact.rounded(.down))
        case .string(let text)?: return Int(text) ?? 0
        default: return 0
        }
    }

    /// `ResolveFenceposts`: (maxSurge, maxUnavailable), never both 0.
    static func fenceposts(_ deployment: JSONValue) -> (surge: Int, unavailable: Int) {
        let replicas = Int(deployment[path: ["spec", "replicas"]]?.intValue ?? 1)
        let rolling = deployment[path: ["spec", "strategy", "rollingUpdate"]]
        let surge = scaled(rolling?["maxSurge"] ?? "25%", total: replicas, roundUp: true)
        var unavailable = scaled(rolling?["maxUnavailable"] ?? "25%", total: replicas, roundUp: false)
        if surge == 0 && unavailable == 0 { unavailable = 1 }
        return (surge, unavailable)
    }

    static func isRolling(_ deployment: JSONValue) -> Bool {
        deployment[path: ["spec", "strategy", "type"]]?.stringValue != "Recreate"
    }

    /// `MaxUnavailable`: 0 for Recreate or no replicas, at most the replicas.
    static func maxUnavailable(_ deployment: JSONValue) -> Int {
        let replicas = Int(deployment[path: ["spec", "replicas"]]?.intValue ?? 1)
        guard isRolling(deployment), replicas > 0 else { return 0 }
        return min(fenceposts(deployment).unavailable, replicas)
    }

    /// `MaxSurge`: 0 for Recreate.
    static func maxSurge(_ deployment: JSONValue) -> Int {
        isRolling(deployment) ? fenceposts(deployment).surge : 0
    }

    /// The state of one pass: the ReplicaSets as the writes so far leave them.
    private struct Pass {
        let deployment: JSONValue
        var replicaSets: [ReplicaSet]
        let activePods: [String: Int]
        var actions: [Action] = []

        init(deployment: JSONValue, replicaSets: [ReplicaSet], activePods: [String: Int]) {
            self.deployment = deployment
            self.replicaSets = replicaSets
            self.activePods = activePods
        }

        var replicas: Int { Int(deployment[path: ["spec", "replicas"]]?.intValue ?? 1) }
        var name: String { deployment[path: ["metadata", "name"]]?.stringValue ?? "" }

        /// `FindNewReplicaSet`: the oldest ReplicaSet whose template is the Deployment's.
        var newIndex: Int? {
            let wanted = DeploymentPlanner.templateIgnoringHash(deployment[path: ["spec", "template"]])
            return replicaSets.firstIndex { DeploymentPlanner.templateIgnoringHash($0.object[path: ["spec", "template"]]) == wanted }
        }

        var oldIndices: [Int] { replicaSets.indices.filter { $0 != newIndex } }

        mutating func run() {
            guard deployment[path: ["metadata", "deletionTimestamp"]] == nil else { return }
            if deployment[path: ["spec", "paused"]]?.boolValue == true || isScalingEvent {
                syncRevision(createIfMissing: false)
                scale()
            } else if DeploymentPlanner.isRolling(deployment) {
                rolloutRolling()
            } else {
                rolloutRecreate()
            }
        }

        /// `isScalingEvent`: an active ReplicaSet's desired-replicas annotation differs from
        /// `spec.replicas`.
        var isScalingEvent: Bool {
            replicaSets.contains { $0.replicas > 0 && $0.annotation(DeploymentPlanner.desiredReplicasAnnotation).flatMap(Int.init) != replicas }
        }

        // MARK: The new ReplicaSet and revisions

        /// `getAllReplicaSetsAndSyncRevision`: the new ReplicaSet's revision annotation one past
        /// the old ones' maximum (created when missing and asked to), the Deployment's the same.
        mutating func syncRevision(createIfMissing: Bool) {
            let maxOld = oldIndices.map { replicaSets[$0].revision }.max() ?? 0
            let revision = String(maxOld + 1)
            if let index = newIndex {
                if replicaSets[index].revision < maxOld + 1 {
                    var updated = replicaSets[index]
                    updated.setAnnotation(DeploymentPlanner.revisionAnnotation, revision)
                    write(index, updated)
                }
                setDeploymentRevision(replicaSets[index].annotation(DeploymentPlanner.revisionAnnotation) ?? revision)
                return
            }
            guard createIfMissing else { return }
            let collisionCount = deployment[path: ["status", "collisionCount"]]?.intValue
            var template = deployment[path: ["spec", "template"]] ?? [:]
            let hash = DeploymentPlanner.templateHash(template, collisionCount: collisionCount)
            template[path: ["metadata", "labels", DeploymentPlanner.hashLabel]] = .string(hash)
            var selector = deployment[path: ["spec", "selector"]] ?? [:]
            selector[path: ["matchLabels", DeploymentPlanner.hashLabel]] = .string(hash)
            var annotations = (deployment[path: ["metadata", "annotations"]]?.objectValue ?? [:]).filter { !Self.skipsCopy($0.key) }
            annotations[DeploymentPlanner.revisionAnnotation] = .string(revision)
            annotations[DeploymentPlanner.desiredReplicasAnnotation] = .string(String(replicas))
            annotations[DeploymentPlanner.maxReplicasAnnotation] = .string(String(replicas + DeploymentPlanner.maxSurge(deployment)))
            var metadata: JSONValue = ["name": .string("\(name)-\(hash)"), "namespace": deployment[path: ["metadata", "namespace"]] ?? "default",
                                       "labels": template[path: ["metadata", "labels"]] ?? [:], "annotations": .object(annotations),
                                       "ownerReferences": [StatefulSetPods.controllerRef(to: deployment, apiVersion: "apps/v1", kind: "Deployment")]]
            metadata["creationTimestamp"] = nil
            var spec: JSONValue = ["replicas": 0, "selector": selector, "template": template]
            if let minReady = deployment[path: ["spec", "minReadySeconds"]] { spec["minReadySeconds"] = minReady }
            var created = ReplicaSet(object: ["apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": metadata, "spec": spec])
            created.replicas = newReplicaSetReplicas(created)
            // The newest: the ordering by creation puts it last.
            created.object[path: ["metadata", "creationTimestamp"]] = "~"
            replicaSets.append(created)
            actions.append(.createReplicaSet(Self.withoutMarker(created.object)))
            setDeploymentRevision(revision)
        }

        static func withoutMarker(_ object: JSONValue) -> JSONValue {
            var object = object
            object[path: ["metadata", "creationTimestamp"]] = nil
            return object
        }

        /// `skipCopyAnnotation`: what a ReplicaSet does not inherit from its Deployment.
        static func skipsCopy(_ key: String) -> Bool {
            [DeploymentPlanner.revisionAnnotation, DeploymentPlanner.desiredReplicasAnnotation, DeploymentPlanner.maxReplicasAnnotation,
             "deployment.kubernetes.io/revision-history", "kubernetes.io/change-cause",
             "kubectl.kubernetes.io/last-applied-configuration"].contains(key)
        }

        mutating func setDeploymentRevision(_ revision: String) {
            if deployment[path: ["metadata", "annotations", DeploymentPlanner.revisionAnnotation]]?.stringValue != revision {
                actions.append(.setDeploymentRevision(revision))
            }
        }

        /// `NewRSNewReplicas`.
        func newReplicaSetReplicas(_ newSet: ReplicaSet) -> Int {
            guard DeploymentPlanner.isRolling(deployment) else { return replicas }
            let current = replicaSets.filter { $0.name != newSet.name }.reduce(newSet.replicas) { $0 + $1.replicas }
            let maxTotal = replicas + DeploymentPlanner.maxSurge(deployment)
            guard current < maxTotal else { return newSet.replicas }
            return newSet.replicas + min(maxTotal - current, replicas - newSet.replicas)
        }

        // MARK: Writes

        mutating func write(_ index: Int, _ updated: ReplicaSet) {
            let from = replicaSets[index].replicas
            replicaSets[index] = updated
            actions.append(.updateReplicaSet(updated.object, from: from, to: updated.replicas))
        }

        /// `scaleReplicaSet`: the new count with the desired/max replicas annotations.
        mutating func scale(_ index: Int, to count: Int) {
            var updated = replicaSets[index]
            let desired = String(replicas), max = String(replicas + DeploymentPlanner.maxSurge(deployment))
            guard updated.replicas != count || updated.annotation(DeploymentPlanner.desiredReplicasAnnotation) != desired
                || updated.annotation(DeploymentPlanner.maxReplicasAnnotation) != max else { return }
            updated.replicas = count
            updated.setAnnotation(DeploymentPlanner.desiredReplicasAnnotation, desired)
            updated.setAnnotation(DeploymentPlanner.maxReplicasAnnotation, max)
            write(index, updated)
        }

        // MARK: Strategies

        /// `scale` without its proportional branch: the only active (else the newest)
        /// ReplicaSet, or a saturated new one, gets `spec.replicas`; the others go to 0.
        mutating func scale() {
            let active = replicaSets.indices.filter { replicaSets[$0].replicas > 0 }
            if let newIndex, replicaSets[newIndex].replicas == replicas, replicaSets[newIndex].available == replicas {
                for index in oldIndices where replicaSets[index].replicas > 0 { scale(index, to: 0) }
                scale(newIndex, to: replicas)
                return
            }
            if active.count <= 1, let target = active.first ?? newIndex ?? replicaSets.indices.last {
                scale(target, to: replicas)
                return
            }
            if let target = newIndex ?? active.last { scale(target, to: replicas) }
        }

        /// `rolloutRolling`: scale the new ReplicaSet up within maxSurge, else the old ones
        /// down within maxUnavailable, else clean up once complete.
        mutating func rolloutRolling() {
            syncRevision(createIfMissing: true)
            guard let newIndex else { return }
            if reconcileNewReplicaSet(newIndex) { return }
            if reconcileOldReplicaSets(newIndex) { return }
            if isComplete(newIndex) { cleanup() }
        }

        mutating func reconcileNewReplicaSet(_ newIndex: Int) -> Bool {
            let current = replicaSets[newIndex].replicas
            if current == replicas { return false }
            let target = current > replicas ? replicas : newReplicaSetReplicas(replicaSets[newIndex])
            guard target != current else { return false }
            scale(newIndex, to: target)
            return true
        }

        mutating func reconcileOldReplicaSets(_ newIndex: Int) -> Bool {
            let old = oldIndices.filter { replicaSets[$0].replicas > 0 }
            guard !old.isEmpty else { return false }
            let all = replicaSets.reduce(0) { $0 + $1.replicas }
            let minAvailable = replicas - DeploymentPlanner.maxUnavailable(deployment)
            let newUnavailable = replicaSets[newIndex].replicas - replicaSets[newIndex].available
            let maxScaledDown = all - minAvailable - newUnavailable
            guard maxScaledDown > 0 else { return false }
            // cleanupUnhealthyReplicas: old sets' unavailable pods go first.
            var scaledDown = 0
            for index in old where scaledDown < maxScaledDown {
                let set = replicaSets[index]
                guard set.replicas > 0, set.replicas != set.available else { continue }
                let count = min(maxScaledDown - scaledDown, set.replicas - set.available)
                scale(index, to: set.replicas - count)
                scaledDown += count
            }
            // scaleDownOldReplicaSetsForRollingUpdate: then available ones, down to minAvailable.
            let available = replicaSets.reduce(0) { $0 + $1.available }
            if available > minAvailable {
                let total = available - minAvailable
                var done = 0
                for index in old where done < total {
                    let set = replicaSets[index]
                    guard set.replicas > 0 else { continue }
                    let count = min(set.replicas, total - done)
                    scale(index, to: set.replicas - count)
                    done += count
                }
                scaledDown += done
            }
            return scaledDown > 0
        }

        /// `rolloutRecreate`: old ReplicaSets to 0, wait until none of their pods runs, then
        /// the new ReplicaSet (created only now) to `spec.replicas`.
        mutating func rolloutRecreate() {
            syncRevision(createIfMissing: false)
            var scaledDown = false
            for index in oldIndices where replicaSets[index].replicas > 0 {
                scale(index, to: 0)
                scaledDown = true
            }
            if scaledDown { return }
            let oldRunning = oldIndices.contains { replicaSets[$0].statusReplicas > 0 || (activePods[replicaSets[$0].name] ?? 0) > 0 }
            if oldRunning { return }
            if newIndex == nil { syncRevision(createIfMissing: true) }
            guard let newIndex else { return }
            scale(newIndex, to: replicas)
            if isComplete(newIndex) { cleanup() }
        }

        /// `DeploymentComplete`: every replica updated and available, no old pods.
        func isComplete(_ newIndex: Int) -> Bool {
            let set = replicaSets[newIndex]
            let total = replicaSets.reduce(0) { $0 + $1.statusReplicas }
            return set.statusReplicas == replicas && set.available == replicas && total == replicas
        }

        /// `cleanupDeployment`: old ReplicaSets with no pods beyond `revisionHistoryLimit`, oldest first.
        mutating func cleanup() {
            let limit = Int(deployment[path: ["spec", "revisionHistoryLimit"]]?.intValue ?? 10)
            let idle = oldIndices.filter {
                replicaSets[$0].replicas == 0 && replicaSets[$0].statusReplicas == 0 && replicaSets[$0].object[path: ["metadata", "deletionTimestamp"]] == nil
            }
            guard idle.count > limit else { return }
            for index in idle.prefix(idle.count - limit) { actions.append(.deleteReplicaSet(replicaSets[index].name)) }
        }
    }
}
