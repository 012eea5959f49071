import KubeModel
import Testing
@testable import Controller

@Suite struct InformerTests {
    @Test func notifiesHandlersAndFillsTheStore() async {
        let script = ScriptedSource<Widget>()
        let informer = Informer(source: script.source)
        let seen = Recorder<String>()
        informer.addHandler { change in
            switch change {
            case .added(let o): seen.append("+\(o.name)")
            case .updated(_, let o): seen.append("~\(o.name)")
            case .deleted(let o): seen.append("-\(o.name)")
            }
        }
        let run = Task { await informer.run() }
        #expect(await eventually { script.openCount == 1 })
        #expect(!informer.hasSynced)
        script.list([Widget("a"), Widget("b")])
        #expect(await informer.waitForSync())
        script.send(.apply(Widget("a", rv: "2")), .delete(Widget("b")), .apply(Widget("c")))
        #expect(await eventually { seen.count == 5 })
        #expect(seen.all == ["+a", "+b", "~a", "-b", "+c"])
        #expect(informer.store.list().map(\.name) == ["a", "c"])
        run.cancel()
        await run.value
    }

    @Test func theTransformTrimsEveryObjectBeforeItIsCachedOrHandled() async {
        let script = ScriptedSource<Widget>()
        let informer = Informer(source: script.source) { widget in
            var trimmed = widget
            trimmed.metadata.labels = nil
            return trimmed
        }
        let handled = Recorder<[String: String]?>()
        informer.addHandler { handled.append($0.object.metadata.labels) }
        let run = Task { await informer.run() }
        #expect(await eventually { script.openCount == 1 })
        script.list([Widget("a", labels: ["big": "value"])])
        #expect(await informer.waitForSync())
        script.send(.apply(Widget("a", rv: "2", labels: ["big": "other"])), .delete(Widget("a", labels: ["big": "other"])))
        #expect(await eventually { handled.count == 3 })
        #expect(handled.all.allSatisfy { $0 == nil })
        run.cancel()
        await run.value
    }

    @Test func runEndsWhenTheStreamEnds() async {
        let script = ScriptedSource<Widget>()
        let informer = Informer(source: script.source)
        let run = Task { await informer.run() }
        #expect(await eventually { script.openCount == 1 })
        script.list([Widget("a")])
        script.finish()
        await run.value
        #expect(informer.store.count == 1)
    }

    @Test func severalNamespacesSyncIndependently() async {
        let x = ScriptedSource<Widget>()
        let y = ScriptedSource<Widget>()
        let informer = Informer(sources: ["x": x.source, "y": y.source])
        let run = Task { await informer.run() }
        #expect(await eventually { x.openCount == 1 && y.openCount == 1 })
        x.list([Widget("a", namespace: "x")])
        #expect(await eventually { informer.store.count == 1 })
        #expect(!informer.hasSynced)
        y.list([Widget("b", namespace: "y")])
        #expect(await informer.waitForSync())
        // y's relist after a reconnect drops y's deleted object only.
        y.list([])
        #expect(await eventually { informer.store.count == 1 })
        #expect(informer.store.list().map(\.key) == ["x/a"])
        run.cancel()
        await run.value
    }

    @Test func waitForSyncReturnsFalseWhenCancelled() async {
        let informer = Informer<Widget>(source: { AsyncStream { _ in } })
        let waiter = Task { await informer.waitForSync() }
        try? await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        #expect(await waiter.value == false)
    }
}
