import Foundation
import Testing
@testable import Keeper
import KubeModel
import ZooKeeperClient

@Suite struct StatusCalculatorTests {
    let hash = ConfigMapBuilder.configHash(ResolvedSpec(ZookeeperClusterSpec()))

    func statefulSet(updateRevision: String = "zk-rev1", replicas: Int = 3) -> StatefulSet {
        StatefulSet(spec: StatefulSetSpec(replicas: replicas), status: StatefulSetStatus(replicas: replicas, updateRevision: updateRevision))
    }

    /// The status input of `pods` whose servers answer with `roles` (by pod name), observed as
    /// the reconciler observes them (through a fake prober).
    func input(cluster: ZookeeperCluster = Fixtures.cluster(), pods: [Pod]? = nil, roles: [String: ZooKeeperRole]? = nil,
               statefulSet: StatefulSet?? = nil, problems: [String] = [], now: Date = Fixtures.now) async -> StatusInput {
        let pods = pods ?? ["zk-0", "zk-1", "zk-2"].map { Fixtures.pod($0, configHash: hash) }
        let roles = roles ?? ["zk-0": .follower, "zk-1": .leader, "zk-2": .follower]
        var byAddress: [String: ZooKeeperRole] = [:]
        for pod in pods { if let ip = pod.status?.podIP, let role = roles[pod.name] { byAddress[ip] = role } }
        let statefulSet = statefulSet ?? self.statefulSet()
        let observation = await EnsembleObserver(prober: FakeProber(roles: byAddress, voters: 3))
            .observe(ClusterNames(cluster), pods: pods, statefulSet: statefulSet, templateConfigHash: hash)
        return StatusInput(cluster: cluster, statefulSet: statefulSet, observation: observation, specProblems: problems, now: now)
    }

    @Test func aHealthyEnsemble() async throws {
        let status = StatusCalculator.status(await input())
        #expect(status.observedGeneration == 1)
        #expect(status.replicas == 3)
        #expect(status.readyReplicas == 3)
        #expect(status.leader == "zk-1")
        #expect(status.version == "3.9.4")
        #expect(status.clientEndpoint == "zk-client.default.svc:2181")
        #expect(status.selector == "app.kubernetes.io/component=server,app.kubernetes.io/instance=zk,app.kubernetes.io/name=zookeeper")
        #expect(status.members == [
            MemberStatus(name: "zk-0", id: 1, role: "follower", ready: true, upToDate: true, membership: "participant"),
            MemberStatus(name: "zk-1", id: 2, role: "leader", ready: true, upToDate: true, membership: "participant"),
            MemberStatus(name: "zk-2", id: 3, role: "follower", ready: true, upToDate: true, membership: "participant"),
        ])
        let available = try #require(status.condition("Available"))
        #expect(available.status == "True")
        #expect(available.reason == "QuorumAvailable")
        #expect(available.message == "3 of 3 voters serve; zk-1 leads.")
        #expect(available.lastTransitionTime == "2024-05-01T12:00:00Z")
        #expect(available.observedGeneration == 1)
        #expect(status.condition("Progressing")?.status == "False")
        #expect(status.condition("Progressing")?.reason == "Converged")
        #expect(status.condition("Degraded")?.status == "False")
    }

    @Test func unreachableMembersAreUnknownAndQuorumIsJudged() async throws {
        let status = StatusCalculator.status(await input(roles: ["zk-1": .leader]))
        #expect(status.members?.map(\.role) == ["unknown", "leader", "unknown"])
        let available = try #require(status.condition("Available"))
        #expect(available.status == "False")
        #expect(available.reason == "NoQuorum")
        #expect(available.message == "1 of 3 voters serve; a quorum needs 2.")

        let noLeader = StatusCalculator.status(await input(roles: [:]))
        #expect(noLeader.leader == nil)
        #expect(noLeader.condition("Available")?.reason == "NoLeader")
    }

    @Test func outdatedMembersAreReportedNotRestarted() async throws {
        let pods = [Fixtures.pod("zk-0", revision: "zk-rev0", configHash: hash), Fixtures.pod("zk-1", configHash: "old"), Fixtures.pod("zk-2", configHash: hash)]
        let status = StatusCalculator.status(await input(pods: pods))
        #expect(status.members?.map(\.upToDate) == [false, false, true])
        let progressing = try #require(status.condition("Progressing"))
        #expect(progressing.status == "True")
        #expect(progressing.reason == "MembersOutdated")
        #expect(progressing.message == "zk-0, zk-1 run an outdated revision.")
    }

    @Test func lastTransitionTimeMovesOnlyWhenStatusFlips() async throws {
        var cluster = Fixtures.cluster()
        cluster.status = StatusCalculator.status(await input(cluster: cluster))
        let later = Fixtures.now.addingTimeInterval(600)
        // Same facts, later: nothing changes, so the status is equal and need not be written.
        let same = StatusCalculator.status(await input(cluster: cluster, now: later))
        #expect(same == cluster.status)
        // Available flips: its time moves; Degraded keeps its own.
        let flipped = StatusCalculator.status(await input(cluster: cluster, roles: [:], now: later))
        #expect(flipped.condition("Available")?.lastTransitionTime == "2024-05-01T12:10:00Z")
        #expect(flipped.condition("Degraded")?.lastTransitionTime == "2024-05-01T12:00:00Z")
        // Message changes without a flip keep the time too.
        cluster.status = flipped
        let fewer = StatusCalculator.status(await input(cluster: cluster, roles: ["zk-0": .follower], now: later.addingTimeInterval(60)))
        #expect(fewer.condition("Available")?.lastTransitionTime == "2024-05-01T12:10:00Z")
        #expect(fewer.condition("Available")?.message != flipped.condition("Available")?.message)
    }

    @Test func anInvalidSpecIsDegradedAndNotProgressing() async throws {
        let status = StatusCalculator.status(await input(problems: ["spec.image: bad", "spec.config: bad"]))
        let degraded = try #require(status.condition("Degraded"))
        #expect(degraded.status == "True")
        #expect(degraded.reason == "InvalidSpec")
        #expect(degraded.message == "spec.image: bad; spec.config: bad")
        #expect(status.condition("Progressing")?.reason == "InvalidSpec")
        #expect(status.condition("Available")?.status == "True")
    }

    @Test func aNewClusterIsCreating() async {
        let status = StatusCalculator.status(await input(pods: [], roles: [:], statefulSet: .some(nil)))
        #expect(status.replicas == 0)
        #expect(status.members == [])
        #expect(status.condition("Available")?.reason == "NoMembers")
        #expect(status.condition("Progressing")?.reason == "Creating")
    }

    @Test func otherPodsAndDeletingPodsAreHandled() async {
        var deleting = Fixtures.pod("zk-2", configHash: hash)
        deleting.metadata.deletionTimestamp = "2024-05-01T12:00:00Z"
        let status = StatusCalculator.status(await input(pods: [Fixtures.pod("zk-1", configHash: hash), Fixtures.pod("zk-0", configHash: hash), deleting, Fixtures.pod("zkx-0")]))
        #expect(status.members?.map(\.name) == ["zk-0", "zk-1", "zk-2"])
        #expect(status.members?.map(\.ready) == [true, true, false])
        #expect(status.condition("Progressing")?.message == "2 of 3 members are ready.")
    }
}

/// The status tells the truth about membership: it counts committed voters, not pods.
@Suite struct MembershipStatusTests {
    static func member(_ ordinal: Int, _ serving: ServingRole, pod: Bool = true) -> MemberObservation {
        MemberObservation(ordinal: ordinal, name: "zk-\(ordinal)", pod: pod ? PodObservation(uid: "u\(ordinal)", ready: serving.isServing) : nil,
                          serving: serving, zxid: 0x1_0000_0005)
    }

    static func status(_ observation: EnsembleObservation, progress: EnsembleProgress? = nil) -> ZookeeperClusterStatus {
        let set = StatefulSet(spec: StatefulSetSpec(replicas: observation.members.filter { $0.pod != nil }.count), status: StatefulSetStatus(updateRevision: "r"))
        return StatusCalculator.status(StatusInput(cluster: Fixtures.cluster(), statefulSet: set, observation: observation, progress: progress, now: Fixtures.now))
    }

    @Test func fivePodsWithThreeVotersAreThreeVoters() throws {
        // Scaled 3 → 5 without reconfig: two pods follow, but the committed voters are three.
        let observation = EnsembleObservation(members: [Self.member(0, .follower), Self.member(1, .leader), Self.member(2, .follower),
                                                        Self.member(3, .follower), Self.member(4, .follower)],
                                              committed: CommittedMembership(version: 1, voters: [1, 2, 3]))
        let status = Self.status(observation)
        #expect(status.voters == 3)
        #expect(status.members?.map { $0.membership } == ["participant", "participant", "participant", "none", "none"])
        #expect(status.condition("Available")?.message == "3 of 3 voters serve; zk-1 leads.")
        let degraded = try #require(status.condition("Degraded"))
        #expect(degraded.status == "True" && degraded.reason == "MembershipMismatch")
        #expect(degraded.message == "zk-3, zk-4 run but are not in the committed configuration.")
    }

    @Test func aVoterWithoutAPodCountsAgainstTheQuorum() throws {
        // Scaled 5 → 3 without reconfig: five voters, three pods; losing one more stops it.
        let observation = EnsembleObservation(members: [Self.member(0, .follower), Self.member(1, .leader), Self.member(2, .follower),
                                                        Self.member(3, .unreachable, pod: false), Self.member(4, .unreachable, pod: false)],
                                              committed: CommittedMembership(version: 1, voters: [1, 2, 3, 4, 5]))
        let status = Self.status(observation)
        #expect(status.replicas == 3)
        #expect(status.condition("Available")?.message == "3 of 5 voters serve; zk-1 leads.")
        #expect(status.condition("Degraded")?.message == "voters zk-3, zk-4 have no pod.")
        // A scaling step under way explains the difference: no Degraded.
        let scaling = Self.status(observation, progress: EnsembleProgress(.scalingDown, "removing zk-4"))
        #expect(scaling.condition("Degraded")?.status == "False")
        #expect(scaling.condition("Progressing")?.reason == "ScalingDown")
    }

    @Test func aLeaderWithoutItsConfigurationIsNotCountedAsAQuorum() {
        let observation = EnsembleObservation(members: [Self.member(0, .follower), Self.member(1, .leader), Self.member(2, .notServing)])
        let available = Self.status(observation).condition("Available")
        #expect(available?.status == "Unknown")
        #expect(available?.reason == "MembershipUnknown")
    }
}
