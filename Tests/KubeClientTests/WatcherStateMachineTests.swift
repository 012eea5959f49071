import Foundation
import KubeModel
import Testing
@testable import KubeClient

@Suite struct WatcherStateMachineTests {
    typealias Machine = WatcherStateMachine<String>

    /// Actions as comparable strings: `list(-)`, `watch(5,450)`, `emit(apply a)`, `wait(0.375)`.
    static func describe(_ actions: [Machine.Action]) -> [String] {
        actions.map { action in
            switch action {
            case .list(let token): return "list(\(token ?? "-"))"
            case .watch(let version, let timeout): return "watch(\(version),\(timeout))"
            case .wait(let seconds): return "wait(\(seconds))"
            case .emit(let event):
                switch event {
                case .initStarted: return "initStarted"
                case .initApply(let object): return "initApply \(object)"
                case .initDone: return "initDone"
                case .apply(let object): return "apply \(object)"
                case .delete(let object): return "delete \(object)"
                }
            }
        }
    }

    func machine() -> Machine {
        Machine(backoff: RetryPolicy(baseDelay: 1, maxDelay: 8), minimumWatchTimeout: 300, jitter: { 0.5 })
    }

    @Test func pagedListThenWatchFromItsResourceVersion() {
        var machine = machine()
        #expect(Self.describe(machine.handle(.start)) == ["list(-)"])
        #expect(Self.describe(machine.handle(.listPage(items: ["a", "b"], resourceVersion: "10", continueToken: "page2")))
            == ["initStarted", "initApply a", "initApply b", "list(page2)"])
        #expect(machine.state == .listing(continueToken: "page2"))
        #expect(Self.describe(machine.handle(.listPage(items: ["c"], resourceVersion: "10", continueToken: nil)))
            == ["initApply c", "initDone", "watch(10,450)"])
        #expect(machine.state == .watching(resourceVersion: "10"))
    }

    @Test func eventsAndBookmarksAdvanceTheResumePoint() {
        var machine = watching(at: "10")
        #expect(Self.describe(machine.handle(.watchEvent(.added("d", resourceVersion: "11")))) == ["apply d"])
        #expect(Self.describe(machine.handle(.watchEvent(.modified("d", resourceVersion: "12")))) == ["apply d"])
        #expect(Self.describe(machine.handle(.watchEvent(.deleted("d", resourceVersion: "13")))) == ["delete d"])
        #expect(machine.handle(.watchEvent(.bookmark(resourceVersion: "20"))).isEmpty)
        // The server closed the watch (its timeout): resume at once from the bookmark.
        #expect(Self.describe(machine.handle(.watchEnded(.closed))) == ["watch(20,450)"])
    }

    @Test func failedWatchResumesAfterBackoffFromLastVersion() {
        var machine = watching(at: "10")
        _ = machine.handle(.watchEvent(.added("x", resourceVersion: "15")))
        #expect(Self.describe(machine.handle(.watchEnded(.failed))) == ["wait(0.75)"])
        #expect(machine.state == .waitingToRewatch(resourceVersion: "15"))
        #expect(Self.describe(machine.handle(.timerFired)) == ["watch(15,450)"])
        // A second failure in a row waits longer.
        #expect(Self.describe(machine.handle(.watchEnded(.failed))) == ["wait(1.5)"])
        _ = machine.handle(.timerFired)
        // An event resets the failure count.
        _ = machine.handle(.watchEvent(.added("y", resourceVersion: "16")))
        #expect(machine.consecutiveFailures == 0)
    }

    @Test func goneRelistsAtOnce() {
        var machine = watching(at: "10")
        #expect(Self.describe(machine.handle(.watchEnded(.gone))) == ["list(-)"])
        var other = watching(at: "10")
        #expect(Self.describe(other.handle(.watchEvent(.error(Status(message: "too old", reason: "Expired", code: 410)))))
            == ["list(-)"])
        // The relist is framed again, so the consumer replaces its whole store.
        #expect(Self.describe(other.handle(.listPage(items: ["a"], resourceVersion: "30", continueToken: nil)))
            == ["initStarted", "initApply a", "initDone", "watch(30,450)"])
    }

    @Test func otherErrorEventRelistsAfterBackoff() {
        var machine = watching(at: "10")
        #expect(Self.describe(machine.handle(.watchEvent(.error(Status(message: "boom", code: 500))))) == ["wait(0.75)"])
        #expect(machine.state == .waitingToRelist)
        #expect(Self.describe(machine.handle(.timerFired)) == ["list(-)"])
    }

    @Test func listFailuresBackOffAndExpiredContinueStartsOver() {
        var machine = machine()
        _ = machine.handle(.start)
        #expect(Self.describe(machine.handle(.listFailed(gone: false))) == ["wait(0.75)"])
        #expect(Self.describe(machine.handle(.timerFired)) == ["list(-)"])
        _ = machine.handle(.listPage(items: ["a"], resourceVersion: "5", continueToken: "next"))
        #expect(Self.describe(machine.handle(.listFailed(gone: true))) == ["list(-)"])
    }

    @Test func lateInputsOfAnAbandonedWatchAreIgnored() {
        var machine = watching(at: "10")
        _ = machine.handle(.watchEnded(.gone))
        #expect(machine.handle(.watchEvent(.added("late", resourceVersion: "11"))).isEmpty)
        #expect(machine.handle(.timerFired).isEmpty)
        #expect(machine.state == .listing(continueToken: nil))
    }

    @Test func watchTimeoutsAreSpreadByJitter() {
        var low = Machine(minimumWatchTimeout: 300, jitter: { 0 })
        _ = low.handle(.start)
        #expect(Self.describe(low.handle(.listPage(items: [], resourceVersion: "1", continueToken: nil))).last == "watch(1,300)")
        var high = Machine(minimumWatchTimeout: 300, jitter: { 0.999 })
        _ = high.handle(.start)
        #expect(Self.describe(high.handle(.listPage(items: [], resourceVersion: "1", continueToken: nil))).last == "watch(1,599)")
    }

    private func watching(at version: String) -> Machine {
        var machine = machine()
        _ = machine.handle(.start)
        _ = machine.handle(.listPage(items: [], resourceVersion: version, continueToken: nil))
        return machine
    }

    @Test func watchLinesDecode() throws {
        let added = try KubeClient.decodeWatchLine(Data(#"{"type":"ADDED","object":{"metadata":{"name":"a","namespace":"default","resourceVersion":"7"},"data":{"k":"v"}}}"#.utf8), as: TestConfigMap.self)
        guard case .added(let object, let version) = added else { Issue.record("expected added"); return }
        #expect(object.metadata.name == "a")
        #expect(object.data == ["k": "v"])
        #expect(version == "7")
        let bookmark = try KubeClient.decodeWatchLine(Data(#"{"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"99"}}}"#.utf8), as: TestConfigMap.self)
        guard case .bookmark("99") = bookmark else { Issue.record("expected bookmark"); return }
        let error = try KubeClient.decodeWatchLine(Data(#"{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old"}}"#.utf8), as: TestConfigMap.self)
        guard case .error(let status) = error else { Issue.record("expected error"); return }
        #expect(status.code == 410)
    }
}
