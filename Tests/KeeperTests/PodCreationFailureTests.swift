import Foundation
import Testing
@testable import Keeper
import KubeModel

/// Finding the StatefulSet controller's FailedCreate and reporting it in the conditions, without I/O.
@Suite struct PodCreationFailureTests {
    static let message = #"create Pod zk-2 in StatefulSet zk failed error: pods "zk-2" is forbidden: exceeded quota: pods, requested: count/pods=1, used: count/pods=2, limited: count/pods=2"#

    static func event(_ message: String, first: String = "2024-05-01T11:59:00Z", last: String = "2024-05-01T11:59:30Z", reason: String = "FailedCreate") -> Event {
        Event(metadata: ObjectMeta(name: "zk.1", namespace: "default"), reason: reason, message: message, type: "Warning", count: 1,
              firstTimestamp: first, lastTimestamp: last)
    }

    static func pod(_ name: String, created: String) -> Pod {
        var pod = Fixtures.pod(name)
        pod.metadata.creationTimestamp = created
        return pod
    }

    @Test func theLatestFailureCountsUnlessAPodCameAfterIt() throws {
        let older = Self.event("create Pod zk-0 ... old", first: "2024-05-01T11:00:00Z", last: "2024-05-01T11:00:00Z")
        let failure = try #require(PodCreationFailure.latest(in: [older, Self.event(Self.message)], pods: [Self.pod("zk-0", created: "2024-05-01T11:58:00Z")]))
        #expect(failure.message == Self.message)
        #expect(failure.since == Fixtures.now.addingTimeInterval(-60))
        #expect(failure.persists(at: Fixtures.now))
        #expect(!failure.persists(at: Fixtures.now.addingTimeInterval(-1)))
        #expect(PodCreationFailure.latest(in: [Self.event(Self.message)], pods: [Self.pod("zk-1", created: "2024-05-01T11:59:31Z")]) == nil)
        #expect(PodCreationFailure.latest(in: [Self.event(Self.message, reason: "SuccessfulCreate")], pods: []) == nil)
        #expect(PodCreationFailure.fieldSelector(statefulSetUID: "u-1") == "involvedObject.uid=u-1,reason=FailedCreate")
    }

    @Test func progressingCarriesItAndDegradedOnceItPersists() throws {
        let pods = [Fixtures.pod("zk-0"), Fixtures.pod("zk-1")]
        let set = StatefulSet(spec: StatefulSetSpec(replicas: 3), status: StatefulSetStatus(replicas: 2, updateRevision: "zk-rev1"))
        func status(since: Date) -> ZookeeperClusterStatus {
            let observation = EnsembleObservation(members: pods.enumerated().map { index, pod in
                MemberObservation(ordinal: index, name: pod.name, pod: PodObservation(uid: "u-\(index)", ready: true), serving: .unreachable)
            }, statefulSetReplicas: 3)
            return StatusCalculator.status(StatusInput(cluster: Fixtures.cluster(), statefulSet: set, observation: observation,
                                                podCreationFailure: PodCreationFailure(message: Self.message, since: since), now: Fixtures.now))
        }
        let fresh = status(since: Fixtures.now.addingTimeInterval(-5))
        let progressing = try #require(fresh.condition("Progressing"))
        #expect(progressing.status == "True" && progressing.reason == "FailedCreate")
        #expect(progressing.message == "2 of 3 member pods exist; the StatefulSet controller reports: \(Self.message)")
        #expect(fresh.condition("Degraded")?.status == "False")
        let lasting = try #require(status(since: Fixtures.now.addingTimeInterval(-61)).condition("Degraded"))
        #expect(lasting.status == "True" && lasting.reason == "FailedCreate" && lasting.message == Self.message)
    }
}
