import Testing
@testable import Keeper
import KubeModel

@Suite struct PodCreationTests {
    func set(replicas: Int = 3, generation: Int64 = 2, observed: Int64?, created: Int? = nil) -> StatefulSet {
        var set = StatefulSet(spec: StatefulSetSpec(replicas: replicas))
        set.metadata.generation = generation
        if let observed { set.status = StatefulSetStatus(observedGeneration: observed, replicas: created) }
        return set
    }

    @Test func theControllerIsBehindUntilItSyncedTheGenerationAndKeeperSawItsPods() {
        #expect(PodCreation.of(set(observed: nil), memberPods: 0) == .controllerBehind(existing: 0, wanted: 3))
        #expect(PodCreation.of(set(observed: 1, created: 3), memberPods: 3) == .controllerBehind(existing: 3, wanted: 3))
        // It created three pods; the pod cache shows two so far.
        #expect(PodCreation.of(set(observed: 2, created: 3), memberPods: 2) == .controllerBehind(existing: 2, wanted: 3))
        #expect(PodCreation.of(set(observed: 2, created: 1), memberPods: 2).isSettling == false)
    }

    @Test func podsMissingAfterTheControllerActedAreStalledAndDoNotHoldTheStatus() {
        let stalled = PodCreation.of(set(observed: 2, created: 1), memberPods: 1)
        #expect(stalled == .stalled(existing: 1, wanted: 3))
        #expect(!stalled.isSettling)
        #expect(PodCreation.of(set(observed: 2, created: 3), memberPods: 3) == .complete)
        #expect(PodCreation.of(nil, memberPods: 0) == .complete)
        // No status but every pod there (a StatefulSet no controller looks after): nothing to wait for.
        #expect(PodCreation.of(set(observed: nil), memberPods: 3) == .complete)
    }
}
