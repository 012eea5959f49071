import Foundation
@testable import Keeper

/// Carries out planner actions on an `Ensemble` the way Kubernetes and ZooKeeper would, in
/// two observations: right after the action (pod restarting, election running, pod
/// terminating) and once it settled. Counts elections (every change of leader, a hand-off
/// included) and restarts for sequence tests.
struct EnsembleSimulator {
    enum Pending { case restarted(ordinal: Int, wasLeader: Bool), grown(ordinal: Int), shrunk(ordinal: Int) }

    var ensemble: Ensemble
    var record: RestartRecord?
    var now = Date(timeIntervalSince1970: 1_700_000_000)
    var elections = 0
    var restarted: [String] = []
    var added: [Int] = []
    var removed: [Int] = []
    var pending: Pending?
    private var uids = 0

    init(_ ensemble: Ensemble) { self.ensemble = ensemble }

    var o: EnsembleObservation { ensemble.o }

    private func index(_ ordinal: Int) -> Int? { ensemble.o.members.firstIndex { $0.ordinal == ordinal } }

    /// The record as the reconciler keeps it.
    mutating func apply(_ action: RolloutAction) {
        switch action {
        case .restart(let step):
            record = RestartRecord(step: step, revision: o.updateRevision, startedAt: now)
            restart(step.member)
        case .handOff(let change, then: let step):
            guard o.committed?.version == change.fromVersion, let i = index(change.id - 1) else { return }
            // Leader.getDesignatedLeader: the highest voter of the new configuration leads.
            let successor = (o.committed?.voters ?? []).subtracting([change.id]).max() ?? change.id
            ensemble = ensemble.handedOff(ensemble.o.members[i].ordinal, to: successor - 1)
            elections += 1
            record = RestartRecord(step: step, revision: o.updateRevision, startedAt: now)
            restart(step.member)
        case .rejoin(let change):
            guard var committed = o.committed, committed.version == change.fromVersion, let i = index(change.id - 1) else { return }
            committed.observers.remove(change.id)
            committed.voters.insert(change.id)
            committed.version += 1
            ensemble.o.members[i].serving = .follower
            ensemble = ensemble.committed(committed)
        case .done, .wait, .halt:
            if !action.keepsRecord { record = nil }
        }
    }

    /// Evicts `member`: a new pod on the update revision, not answering yet; an election when
    /// it led (every other member stops serving until a new leader is elected).
    mutating func restart(_ member: String) {
        guard let i = ensemble.o.members.firstIndex(where: { $0.name == member }) else { return }
        let wasLeader = ensemble.o.members[i].serving == .leader
        uids += 1
        ensemble.o.members[i].pod = PodObservation(uid: "\(member)-r\(uids)", ready: false)
        ensemble.o.members[i].serving = .unreachable
        ensemble.o.members[i].zxid = nil
        if wasLeader {
            for j in ensemble.o.members.indices where ensemble.o.members[j].serving.isServing { ensemble.o.members[j].serving = .notServing }
        }
        restarted.append(member)
        pending = .restarted(ordinal: ensemble.o.members[i].ordinal, wasLeader: wasLeader)
        ensemble.resync()
    }

    mutating func apply(_ action: ScalingAction) {
        switch action {
        case .done, .wait: break
        case .setReplicas(let replicas, .grow):
            ensemble.o.statefulSetReplicas = replicas
            let ordinal = replicas - 1
            if index(ordinal) == nil {
                ensemble = ensemble.joiner(ordinal, serving: .unreachable, ready: false)
            }
            pending = .grown(ordinal: ordinal)
        case .setReplicas(let replicas, .shrink):
            ensemble.o.statefulSetReplicas = replicas
            if let i = index(replicas) { ensemble.o.members[i].pod?.terminating = true }
            pending = .shrunk(ordinal: replicas)
        case .addMember(let id, _, let version):
            guard var committed = o.committed, committed.version == version else { return }
            committed.voters.insert(id)
            committed.version += 1
            ensemble = ensemble.committed(committed)
            added.append(id)
        case .removeMember(let id, _, let version):
            guard var committed = o.committed, committed.version == version, let i = index(id - 1) else { return }
            committed.voters.remove(id)
            committed.version += 1
            if ensemble.o.members[i].serving == .leader {
                // Leader.getDesignatedLeader: the leader hands off to a member of the new config.
                ensemble.o.members[i].serving = .follower
                if let successor = committed.voters.max(), let j = index(successor - 1) { ensemble.o.members[j].serving = .leader }
                elections += 1
            }
            ensemble = ensemble.committed(committed)
            removed.append(id)
        }
    }

    /// The pending change completes: the restarted member follows (after an election won by
    /// the highest id when the leader went: equal zxids, `FastLeaderElection.totalOrderPredicate`),
    /// the grown pod follows caught up, the shrunk pod is gone. Writes go on: zxids advance.
    mutating func settle() {
        let leaderZxid = (o.members.compactMap(\.zxid).max() ?? Ensemble.zxid) + 1
        switch pending {
        case .restarted(let ordinal, let wasLeader)?:
            guard let i = index(ordinal) else { break }
            ensemble.o.members[i].pod?.ready = true
            let observes = o.committed?.observers.contains(ensemble.o.members[i].id) == true
            ensemble.o.members[i].serving = observes ? .observer : .follower
            if wasLeader {
                let voters = o.committed?.voters ?? []
                for j in ensemble.o.members.indices where ensemble.o.members[j].serving == .notServing {
                    ensemble.o.members[j].serving = .follower
                }
                if let winner = o.members.filter({ voters.contains($0.id) && $0.serving == .follower }).map(\.id).max(),
                   let j = index(winner - 1) {
                    ensemble.o.members[j].serving = .leader
                }
                elections += 1
            }
        case .grown(let ordinal)?:
            guard let i = index(ordinal) else { break }
            ensemble.o.members[i].pod?.ready = true
            ensemble.o.members[i].serving = .follower
        case .shrunk(let ordinal)?:
            ensemble.o.members.removeAll { $0.ordinal == ordinal }
        case nil: break
        }
        pending = nil
        for j in ensemble.o.members.indices where ensemble.o.members[j].serving.isServing || ensemble.o.members[j].serving == .observer {
            ensemble.o.members[j].zxid = leaderZxid
        }
        ensemble.resync()
        now += 10
    }
}
