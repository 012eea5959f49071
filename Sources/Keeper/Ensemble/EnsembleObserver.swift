import KubeModel
import ZooKeeperClient

/// Builds the one `EnsembleObservation` of a reconcile: every member pod's `srvr` at once,
/// then, when exactly one member leads, the leader's `conf` (the committed membership) and
/// `mntr` (its synced followers).
public struct EnsembleObserver: Sendable {
    public let prober: any MemberProber

    public init(prober: any MemberProber) {
        self.prober = prober
    }

    /// What the pods of `names`' StatefulSet and their servers say now.
    /// `templateConfigHash` is the config hash of the pod template Keeper wants.
    public func observe(_ names: ClusterNames, pods: [Pod], statefulSet: StatefulSet?, templateConfigHash: String?) async -> EnsembleObservation {
        let updateRevision = statefulSet?.status?.updateRevision
        var podsByOrdinal: [Int: Pod] = [:]
        for pod in pods {
            guard let ordinal = names.ordinal(ofPod: pod.name) else { continue }
            podsByOrdinal[ordinal] = pod
        }
        var statuses = await serverStatuses(podsByOrdinal)
        let leaderOrdinals = statuses.filter { $0.value.isServing && $0.value.role == .leader }.map(\.key)
        if leaderOrdinals.count == 1 {
            // Ask the others again, so each member's zxid is read after the leader's: a member
            // read first looks behind under writes, and "caught up with the leader" would wait.
            let others = podsByOrdinal.filter { $0.key != leaderOrdinals[0] }
            let again = await serverStatuses(others)
            for ordinal in others.keys { statuses[ordinal] = again[ordinal] }
        }
        var members = podsByOrdinal.keys.sorted().compactMap { ordinal -> MemberObservation? in
            guard let pod = podsByOrdinal[ordinal] else { return nil }
            let status = statuses[ordinal]
            return MemberObservation(ordinal: ordinal, name: pod.name,
                                     pod: Self.podObservation(pod, updateRevision: updateRevision, templateConfigHash: templateConfigHash),
                                     serving: Self.servingRole(status), zxid: status?.zxid)
        }
        var committed: CommittedMembership?
        var report: LeaderReport?
        let leaders = members.filter { $0.serving == .leader }
        if leaders.count == 1, let ip = podsByOrdinal[leaders[0].ordinal]?.status?.podIP {
            async let config = prober.configuration(host: ip, port: Ports.client)
            async let monitor = prober.monitorStatus(host: ip, port: Ports.client)
            if let config = await config, let version = config.version {
                committed = CommittedMembership(version: version,
                                                voters: Set(config.participants.map(\.id)),
                                                observers: Set(config.members.filter { $0.role == "observer" }.map(\.id)))
            }
            if let monitor = await monitor, let synced = monitor.syncedVotingFollowers {
                report = LeaderReport(syncedVotingFollowers: synced, syncedNonVotingFollowers: monitor.syncedNonVotingFollowers ?? 0,
                                      pendingSyncs: monitor.pendingSyncs ?? 0, syncedObservers: monitor.syncedObservers ?? 0)
            }
        }
        // Committed members without a pod are members too: a voter with no pod counts against the quorum.
        for id in (committed?.voters ?? []).union(committed?.observers ?? []) where podsByOrdinal[id - 1] == nil && id >= 1 {
            members.append(MemberObservation(ordinal: id - 1, name: names.pod(ordinal: id - 1), pod: nil, serving: .unreachable))
        }
        return EnsembleObservation(members: members, committed: committed, leaderReport: report,
                                   statefulSetReplicas: statefulSet?.spec?.replicas, updateRevision: updateRevision)
    }

    /// `srvr` of every pod that has an address and is not going away, all at once.
    func serverStatuses(_ pods: [Int: Pod]) async -> [Int: ServerStatus] {
        let prober = self.prober
        return await withTaskGroup(of: (Int, ServerStatus?).self) { group in
            for (ordinal, pod) in pods where pod.metadata.deletionTimestamp == nil {
                guard let ip = pod.status?.podIP, !ip.isEmpty else { continue }
                group.addTask { (ordinal, await prober.serverStatus(host: ip, port: Ports.client)) }
            }
            var statuses: [Int: ServerStatus] = [:]
            for await (ordinal, status) in group {
                if let status { statuses[ordinal] = status }
            }
            return statuses
        }
    }

    static func servingRole(_ status: ServerStatus?) -> ServingRole {
        guard let status else { return .unreachable }
        guard status.isServing else { return .notServing }
        switch status.role {
        case .leader: return .leader
        case .follower: return .follower
        case .observer: return .observer
        case .standalone, .unknown: return .notServing
        }
    }

    static func podObservation(_ pod: Pod, updateRevision: String?, templateConfigHash: String?) -> PodObservation {
        let terminating = pod.metadata.deletionTimestamp != nil
        let ready = !terminating && pod.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true
        let revisionCurrent = updateRevision.map { pod.metadata.labels?[Labels.controllerRevisionHash] == $0 } ?? true
        let configCurrent = templateConfigHash.map { pod.metadata.annotations?[Labels.configHashAnnotation] == $0 } ?? true
        let restarts = pod.status?.containerStatuses?.first { $0.name == StatefulSetBuilder.containerName }?.restartCount ?? 0
        return PodObservation(uid: pod.metadata.uid ?? "", ready: ready, terminating: terminating,
                              upToDate: revisionCurrent && configCurrent, restartCount: Int(restarts))
    }
}
