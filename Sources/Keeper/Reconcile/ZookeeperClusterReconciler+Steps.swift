import Controller
import Foundation
import KubeClient
import KubeModel
import ZooKeeperClient

extension ZookeeperClusterReconciler {
    /// What carrying out the plan's step did, for the status.
    struct StepOutcome {
        var progress: EnsembleProgress?
        /// The restart record the status keeps.
        var record: RestartRecord?
        /// Why the rollout halted, when it did.
        var halted: String?
        var failures: [String] = []
        /// The cluster as written when the step wrote the status itself (a restart's record is
        /// written before the eviction, so a Keeper killed right after still knows of it).
        var writtenCluster: ZookeeperCluster?
        var writtenStatus: ZookeeperClusterStatus? { writtenCluster?.status }
    }

    /// Carries out the one step the planner chose (or nothing), and tells the status about it.
    func carryOut(_ plan: EnsembleAction, cluster: ZookeeperCluster, names: ClusterNames, observation: EnsembleObservation,
                  templateTakenUp: Bool) async -> StepOutcome {
        var outcome = StepOutcome()
        switch plan {
        case .rollout(.restart(let step)) where !templateTakenUp:
            outcome.progress = EnsembleProgress(.rollingRestart, "\(step.message) once the StatefulSet controller has taken up the new template")
        case .rollout(let action):
            outcome.record = action.keepsRecord ? cluster.status?.restart : nil
            await carryOut(action, cluster: cluster, names: names, observation: observation, templateTakenUp: templateTakenUp, outcome: &outcome)
        case .scale(let action):
            await carryOut(action, cluster: cluster, names: names, observation: observation, outcome: &outcome)
        case .idle:
            // The last restarted member is back and nothing else is outdated.
            // Once per rollout: the record stays in the stored status until the debounced write.
            if let record = cluster.status?.restart, !observation.members.contains(where: \.isOutdated),
               announcedRollouts.firstAnnouncement(of: record.podUID) {
                await events?.record(.normal, reason: "RolloutComplete", message: "Every member runs the desired revision", about: cluster)
            }
        }
        return outcome
    }

    // MARK: Rolling restarts

    func carryOut(_ action: RolloutAction, cluster: ZookeeperCluster, names: ClusterNames, observation: EnsembleObservation,
                  templateTakenUp: Bool, outcome: inout StepOutcome) async {
        let withPods = observation.members.filter { $0.pod != nil }
        let done = withPods.filter { $0.pod?.upToDate == true }.count
        switch action {
        case .done:
            break
        case .restart(let step):
            await restart(step, cluster: cluster, names: names, observation: observation, done: done, of: withPods.count, outcome: &outcome)
        case .handOff(let change, then: let step):
            outcome.progress = EnsembleProgress(.rollingRestart, "\(action.message), \(done) of \(withPods.count) done")
            // Before the reconfig: the leader may drop the connection as it steps down, so
            // the Event is recorded first, once per pod.
            if let uid = observation.member(named: change.member)?.pod?.uid, announcedRollouts.firstAnnouncement(of: "hand-off/\(uid)") {
                await events?.record(.normal, reason: "HandingOff", message: "Handing leadership off: \(change.member) becomes an observer before its restart, "
                                     + "so a member of the new configuration leads without a full election", about: cluster)
            }
            let handedOff = await reconfigure(.setRole(memberLine(names, id: change.id, role: "observer")), version: change.fromVersion,
                                              cluster: cluster, names: names, observation: observation, outcome: &outcome)
            // Committed: it has no vote now, so it restarts while the others elect its successor.
            if handedOff && templateTakenUp {
                await restart(step, cluster: cluster, names: names, observation: observation, done: done, of: withPods.count, outcome: &outcome)
            }
        case .rejoin(let change):
            outcome.progress = EnsembleProgress(.rollingRestart, "\(action.message), \(done) of \(withPods.count) done")
            _ = await reconfigure(.setRole(memberLine(names, id: change.id, role: "participant")), version: change.fromVersion, cluster: cluster,
                                  names: names, observation: observation, outcome: &outcome)
        case .wait(let wait):
            outcome.progress = EnsembleProgress(.rollingRestart, "\(done) of \(withPods.count) done; waiting: \(wait.message)")
            // A restart recorded but not carried out (the eviction was refused by the budget, or
            // Keeper stopped in between): its pod is still the old one, so evict it again.
            if let record = outcome.record, let member = observation.member(named: record.member),
               let pod = member.pod, pod.uid == record.podUID, !pod.terminating {
                await evict(record.member, uid: record.podUID, namespace: names.namespace, outcome: &outcome)
            }
        case .halt(let member, let wait):
            let message = "Rollout halted: \(member) is not back in sync after \(ResolvedSpec(cluster.spec).memberTimeoutSeconds)s (\(wait.message)); "
                + "no other member restarts until it recovers or the spec changes."
            outcome.halted = message
            outcome.progress = EnsembleProgress(.rollingRestart, "halted at \(member), \(done) of \(withPods.count) done")
            if cluster.status?.condition(ConditionSet.degraded)?.message != message {
                await events?.record(.warning, reason: "RolloutHalted", message: message, about: cluster)
            }
        }
    }

    /// Records `step` in the status (so a Keeper killed right after still knows of it), evicts
    /// the member's pod, and says so in an Event.
    func restart(_ step: RestartStep, cluster: ZookeeperCluster, names: ClusterNames, observation: EnsembleObservation,
                 done: Int, of members: Int, outcome: inout StepOutcome) async {
        let record = RestartRecord(step: step, revision: observation.updateRevision, startedAt: now())
        var updated = cluster
        var status = cluster.status ?? ZookeeperClusterStatus()
        status.restart = record
        updated.status = status
        do {
            let written = try await api.updateStatus(updated)
            recentWrites.record(written, replacing: cluster)
            outcome.writtenCluster = written
        } catch {
            outcome.failures.append("recording the restart of \(step.member): \(error)")
            return
        }
        outcome.record = record
        outcome.progress = EnsembleProgress(.rollingRestart, "\(step.message), \(done) of \(members) done")
        await evict(step.member, uid: step.podUID, namespace: names.namespace, outcome: &outcome)
        // After the eviction: one request fewer between a member back and the next restart.
        await events?.record(.normal, reason: "Restarting", message: "\(step.message.prefix(1).uppercased())\(step.message.dropFirst()); \(done) of \(members) members done", about: cluster)
    }

    /// Evicts a member's pod (only the pod with `uid`). A budget that allows no disruption now
    /// (429) or a pod already gone is not a failure: the next reconcile looks again, and the
    /// progress message says why the member is not restarted yet.
    func evict(_ pod: String, uid: String, namespace: String, outcome: inout StepOutcome) async {
        do {
            try await api.evict(namespace: namespace, pod: pod, uid: uid)
        } catch let error as KubeError where error.isTooManyRequests {
            // "The disruption budget zk needs 2 healthy pods and has 2 currently"
            let why = error.status?.details?.causes?.compactMap(\.message).first ?? error.status?.message ?? "429"
            outcome.progress?.message += "; the eviction of \(pod) waits: \(why)"
        } catch let error as KubeError where error.isNotFound || error.isConflict {
            return
        } catch {
            outcome.failures.append("evicting \(pod): \(error)")
        }
    }

    // MARK: Scaling

    func carryOut(_ action: ScalingAction, cluster: ZookeeperCluster, names: ClusterNames, observation: EnsembleObservation,
                  outcome: inout StepOutcome) async {
        let desired = ResolvedSpec(cluster.spec).replicas
        let voters = observation.committed?.voters.count ?? 0
        let direction: ProgressingReason = desired > voters ? .scalingUp : .scalingDown
        switch action {
        case .done:
            break
        case .setReplicas(let count, let step):
            // The children were applied with this count already (see `ensembleShape`).
            outcome.progress = EnsembleProgress(direction, "\(action.message); \(voters) voters, \(desired) wanted")
            if case .grow = step {
                if desired % 2 == 0, count == desired {
                    await events?.record(.warning, reason: "EvenEnsemble",
                                         message: "\(desired) voters tolerate no more failures than \(desired - 1)", about: cluster)
                }
            }
        case .addMember(let id, let name, let version):
            outcome.progress = EnsembleProgress(.scalingUp, "adding \(name) (\(voters + 1) of \(desired))")
            if await reconfigure(.add(memberLine(names, id: id, role: "participant")), version: version, cluster: cluster, names: names, observation: observation, outcome: &outcome) {
                await events?.record(.normal, reason: "MemberAdded", message: "Added \(name) to the ensemble as a voter (\(voters + 1) of \(desired))", about: cluster)
            }
        case .removeMember(let id, let name, let version):
            outcome.progress = EnsembleProgress(.scalingDown, "removing \(name) (\(voters - 1) of \(desired) voters after it)")
            if await reconfigure(.remove(id: id), version: version, cluster: cluster, names: names, observation: observation, outcome: &outcome) {
                await events?.record(.normal, reason: "MemberRemoved", message: "Removed \(name) from the ensemble (\(voters - 1) voters, \(desired) wanted)", about: cluster)
            }
        case .wait(let wait):
            // Without a committed configuration there is no resize to speak of yet: a new
            // ensemble forming, or a leader election (the status says which).
            guard observation.committed != nil else { break }
            outcome.progress = EnsembleProgress(direction, "waiting: \(wait.message)")
        }
    }

    /// Member `id`'s `server.N=` line with `role`.
    func memberLine(_ names: ClusterNames, id: Int, role: String) -> EnsembleConfig.Member {
        let host = names.memberHost(ordinal: id - 1, clusterDomain: clusterDomain)
        return EnsembleConfig.Member(id: id, host: host, quorumPort: Ports.quorum, electionPort: Ports.election, role: role,
                                     clientHost: host, clientPort: Ports.client)
    }

    /// One conditional `reconfig` on the leader as the superuser. A change refused because the
    /// configuration moved on, because a quorum of the new one is not synced yet, or because
    /// another change runs, is not a failure: the next reconcile plans from what it sees then.
    func reconfigure(_ change: MembershipChange, version: Int64, cluster: ZookeeperCluster, names: ClusterNames,
                     observation: EnsembleObservation, outcome: inout StepOutcome) async -> Bool {
        guard let leader = observation.leader,
              let host = caches.pods.get(ObjectKey(namespace: names.namespace, name: leader.name))?.status?.podIP else { return false }
        do {
            let secret = try await api.secret(namespace: names.namespace, name: names.superuserSecret)
            guard let credentials = SuperuserSecret.credentials(from: secret) else {
                outcome.failures.append("Secret \(names.superuserSecret) holds no password")
                return false
            }
            try await admin.reconfigure(host: host, port: Ports.client, credentials: credentials, change: change, fromVersion: version)
            return true
        } catch let error as ZooKeeperError where error.hasCode(ZooKeeperErrorCode.badVersion)
                    || error.hasCode(ZooKeeperErrorCode.newConfigNoQuorum) || error.hasCode(ZooKeeperErrorCode.reconfigInProgress)
                    || error.isConnectionLoss || error == .timeout {
            return false
        } catch {
            outcome.failures.append("reconfig (\(change)) on \(leader.name): \(error)")
            return false
        }
    }
}
