import Foundation
import KubeModel
import Synchronization
import Testing
@testable import Controller

/// Keeps Events in memory, applying merge patches of top-level fields.
final class MemoryEventSink: EventSink {
    struct Down: Error {}
    private let state = Mutex<(events: [String: JSONValue], down: Bool, calls: [String])>(([:], false, []))

    var events: [JSONValue] { state.withLock { $0.events.sorted { $0.key < $1.key }.map(\.value) } }
    var calls: [String] { state.withLock { $0.calls } }
    func setDown(_ down: Bool) { state.withLock { $0.down = down } }
    func deleteAll() { state.withLock { $0.events.removeAll() } }

    func create(namespace: String, event: JSONValue) async throws {
        try state.withLock { state in
            state.calls.append("create")
            if state.down { throw Down() }
            state.events["\(namespace)/\(event[path: ["metadata", "name"]]?.stringValue ?? "")"] = event
        }
    }

    func patch(namespace: String, name: String, patch: JSONValue) async throws {
        try state.withLock { state in
            state.calls.append("patch")
            if state.down { throw Down() }
            guard var event = state.events["\(namespace)/\(name)"] else { throw EventSinkError.notFound }
            for (key, value) in patch.objectValue ?? [:] { event[key] = value }
            state.events["\(namespace)/\(name)"] = event
        }
    }
}

@Suite struct EventAggregatorTests {
    let t0 = ContinuousClock.now
    let wall = Date(timeIntervalSince1970: 1_800_000_000)
    let key = EventAggregator.Key(uid: "u", kind: "Widget", namespace: "default", name: "w", type: "Normal", reason: "Restarted", message: "m")

    @Test func repeatsWithinTheWindowPatchTheSameEvent() {
        var aggregator = EventAggregator(window: .seconds(600))
        guard case .create(let name, let stamp) = aggregator.record(key, now: t0, wallNow: wall) else {
            Issue.record("expected create"); return
        }
        #expect(name.hasPrefix("w."))
        #expect(stamp == "2027-01-15T08:00:00Z")
        let second = aggregator.record(key, now: t0 + .seconds(60), wallNow: wall.addingTimeInterval(60))
        #expect(second == .patch(eventName: name, count: 2, timestamp: "2027-01-15T08:01:00Z"))
        let third = aggregator.record(key, now: t0 + .seconds(600), wallNow: wall)
        #expect(third == .patch(eventName: name, count: 3, timestamp: "2027-01-15T08:00:00Z"))
    }

    @Test func aDifferentMessageOrAnExpiredWindowCreatesANewEvent() {
        var aggregator = EventAggregator(window: .seconds(600))
        _ = aggregator.record(key, now: t0, wallNow: wall)
        var other = key
        other.message = "different"
        guard case .create = aggregator.record(other, now: t0, wallNow: wall) else { Issue.record("expected create"); return }
        guard case .create = aggregator.record(key, now: t0 + .seconds(601), wallNow: wall.addingTimeInterval(601)) else {
            Issue.record("expected create after the window"); return
        }
    }

    @Test func capacityEvictsTheOldest() {
        var aggregator = EventAggregator(capacity: 2)
        var keys: [EventAggregator.Key] = []
        for index in 0..<3 {
            var next = key
            next.reason = "R\(index)"
            keys.append(next)
            _ = aggregator.record(next, now: t0 + .seconds(index), wallNow: wall)
        }
        #expect(aggregator.count == 2)
        guard case .create = aggregator.record(keys[0], now: t0 + .seconds(5), wallNow: wall) else { Issue.record("R0 was evicted"); return }
        guard case .patch = aggregator.record(keys[2], now: t0 + .seconds(5), wallNow: wall) else { Issue.record("R2 is kept"); return }
    }
}

@Suite struct EventRecorderTests {
    let widget = Widget("w", namespace: "prod", rv: "17", uid: "uid-w")

    @Test func createsAFullEventThenAggregatesRepeats() async {
        let sink = MemoryEventSink()
        let recorder = EventRecorder(sink: sink, component: "keeper", host: "node-1")
        await recorder.record(.warning, reason: "InvalidSpec", message: "bad key", about: widget)
        await recorder.record(.warning, reason: "InvalidSpec", message: "bad key", about: widget)
        await recorder.record(.warning, reason: "InvalidSpec", message: "bad key", about: widget)
        await recorder.record(.normal, reason: "Created", message: "ok", about: widget)
        #expect(sink.calls == ["create", "patch", "patch", "create"])
        let events = sink.events
        #expect(events.count == 2)
        guard let invalid = events.first(where: { $0["reason"] == "InvalidSpec" }) else { Issue.record("no event"); return }
        #expect(invalid["count"] == 3)
        #expect(invalid["type"] == "Warning")
        #expect(invalid["message"] == "bad key")
        #expect(invalid["involvedObject"] == ["apiVersion": "test.dev/v1", "kind": "Widget", "name": "w", "namespace": "prod", "uid": "uid-w", "resourceVersion": "17"])
        #expect(invalid[path: ["source", "component"]] == "keeper")
        #expect(invalid["reportingComponent"] == "keeper")
        #expect(invalid[path: ["metadata", "namespace"]] == "prod")
        #expect(invalid["firstTimestamp"]?.stringValue?.hasSuffix("Z") == true)
        #expect(invalid["lastTimestamp"] != nil)
    }

    @Test func failuresAreDroppedAndADeletedEventIsRecreated() async {
        let sink = MemoryEventSink()
        let logged = Recorder<String>()
        let recorder = EventRecorder(sink: sink, component: "keeper", host: "h", log: { logged.append($0) })
        sink.setDown(true)
        await recorder.record(.normal, reason: "Scaled", message: "3 to 5", about: widget)
        #expect(sink.events.isEmpty)
        #expect(logged.count == 1)
        sink.setDown(false)
        await recorder.record(.normal, reason: "Scaled", message: "3 to 5", about: widget)
        // The failed create was forgotten: this one created, without a patch first.
        #expect(sink.calls == ["create", "create"])
        sink.deleteAll()
        await recorder.record(.normal, reason: "Scaled", message: "3 to 5", about: widget)
        #expect(sink.events.count == 1)
        #expect(sink.events.first?["count"] == 1)
    }

    @Test func longMessagesAreCut() async {
        let sink = MemoryEventSink()
        let recorder = EventRecorder(sink: sink, component: "keeper", host: "h")
        await recorder.record(.normal, reason: "Long", message: String(repeating: "x", count: 5000), about: widget)
        #expect(sink.events.first?["message"]?.stringValue?.count == EventRecorder.maxMessageLength)
    }
}
