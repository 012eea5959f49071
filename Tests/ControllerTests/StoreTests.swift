import KubeModel
import Testing
@testable import Controller

@Suite struct StoreTests {
    @Test func listFrameSwapsContentAtInitDone() {
        let store = Store<Widget>()
        store.apply(.initStarted)
        store.apply(.initApply(Widget("a")))
        store.apply(.initApply(Widget("b")))
        // Nothing is visible, and the store is not synced, until the list completes.
        #expect(store.list().isEmpty)
        #expect(!store.hasSynced)
        let changes = store.apply(.initDone)
        #expect(store.hasSynced)
        #expect(store.list().map(\.name) == ["a", "b"])
        #expect(changes.count == 2)
    }

    @Test func relistDropsObjectsDeletedWhileDisconnected() {
        let store = Store<Widget>()
        for event: WatcherEvent<Widget> in [.initStarted, .initApply(Widget("a")), .initApply(Widget("b")), .initDone] { store.apply(event) }
        store.apply(.apply(Widget("c")))
        var changes: [StoreChange<Widget>] = []
        for event: WatcherEvent<Widget> in [.initStarted, .initApply(Widget("a")), .initApply(Widget("c", rv: "7")), .initDone] {
            changes += store.apply(event)
        }
        #expect(store.list().map(\.name) == ["a", "c"])
        // b was deleted, c changed, a is unchanged and reported nowhere.
        let summary = changes.map { change -> String in
            switch change {
            case .added(let o): return "+\(o.name)"
            case .updated(_, let o): return "~\(o.name)"
            case .deleted(let o): return "-\(o.name)"
            }
        }
        #expect(summary == ["-b", "~c"])
    }

    @Test func applyAndDeleteReportChanges() {
        let store = Store<Widget>()
        let added = store.apply(.apply(Widget("a")))
        guard case .added = added.first else { Issue.record("expected added"); return }
        let updated = store.apply(.apply(Widget("a", rv: "2")))
        guard case .updated(let old, let new) = updated.first else { Issue.record("expected updated"); return }
        #expect(old.metadata.resourceVersion == "1")
        #expect(new.metadata.resourceVersion == "2")
        #expect(store.apply(.delete(Widget("a", rv: "3"))).count == 1)
        #expect(store.get(ObjectKey(namespace: "default", name: "a")) == nil)
        // Deleting what is not cached changes nothing.
        #expect(store.apply(.delete(Widget("a"))).isEmpty)
    }

    @Test func getByKeyNamespaceAndLabels() {
        let store = Store<Widget>()
        store.apply(.apply(Widget("a", namespace: "x", labels: ["app": "zk", "tier": "db"])))
        store.apply(.apply(Widget("a", namespace: "y", labels: ["app": "zk"])))
        store.apply(.apply(Widget("b", namespace: "y", labels: ["app": "web"])))
        #expect(store.get(ObjectKey(namespace: "x", name: "a"))?.namespace == "x")
        #expect(store.get(ObjectKey("y/b"))?.name == "b")
        #expect(store.get(ObjectKey("z/a")) == nil)
        #expect(store.list(namespace: "y").map(\.key) == ["y/a", "y/b"])
        #expect(store.list(matchingLabels: ["app": "zk"]).map(\.key) == ["x/a", "y/a"])
        #expect(store.list(namespace: "x", matchingLabels: ["app": "zk", "tier": "db"]).map(\.key) == ["x/a"])
        #expect(store.list(matchingLabels: ["app": "zk", "tier": "web"]).isEmpty)
        #expect(store.get(uid: "uid-y-b")?.key == "y/b")
    }

    @Test func listByLabelSelectorWithExpressions() {
        let store = Store<Widget>()
        store.apply(.apply(Widget("a", labels: ["app": "zk", "tier": "db"])))
        store.apply(.apply(Widget("b", labels: ["app": "zk", "tier": "cache"])))
        store.apply(.apply(Widget("c", labels: ["app": "web"])))
        func names(_ selector: LabelSelector) -> [String] { store.list(selector: selector).map(\.name) }
        #expect(names(LabelSelector(matchLabels: ["app": "zk"])) == ["a", "b"])
        #expect(names(LabelSelector(matchExpressions: [.init(key: "tier", operator: "In", values: ["db", "x"])])) == ["a"])
        #expect(names(LabelSelector(matchExpressions: [.init(key: "tier", operator: "NotIn", values: ["db"])])) == ["b", "c"])
        #expect(names(LabelSelector(matchExpressions: [.init(key: "tier", operator: "Exists")])) == ["a", "b"])
        #expect(names(LabelSelector(matchLabels: ["app": "web"], matchExpressions: [.init(key: "tier", operator: "DoesNotExist")])) == ["c"])
        #expect(names(LabelSelector(matchExpressions: [.init(key: "tier", operator: "Bogus")])).isEmpty)
        #expect(names(LabelSelector()) == ["a", "b", "c"])
    }

    @Test func ownerIndexFollowsChanges() {
        let store = Store<Gadget>()
        store.apply(.apply(Gadget("g1", ownerWidget: "w")))
        store.apply(.apply(Gadget("g2", ownerWidget: "w")))
        store.apply(.apply(Gadget("g3", ownerWidget: "w", controller: false)))
        store.apply(.apply(Gadget("g4", ownerWidget: "v")))
        #expect(store.list(controlledBy: "uid-default-w").map(\.name) == ["g1", "g2"])
        // Re-parenting moves the object in the index; deleting removes it.
        store.apply(.apply(Gadget("g2", rv: "2", ownerWidget: "v")))
        store.apply(.delete(Gadget("g1")))
        #expect(store.list(controlledBy: "uid-default-w").isEmpty)
        #expect(store.list(controlledBy: "uid-default-v").map(\.name) == ["g2", "g4"])
    }

    @Test func partitionsRelistIndependently() {
        let store = Store<Widget>(partitions: ["x", "y"])
        store.apply(.initStarted, partition: "x")
        store.apply(.initApply(Widget("a", namespace: "x")), partition: "x")
        store.apply(.initDone, partition: "x")
        #expect(!store.hasSynced)
        store.apply(.initStarted, partition: "y")
        store.apply(.initApply(Widget("b", namespace: "y")), partition: "y")
        store.apply(.initDone, partition: "y")
        #expect(store.hasSynced)
        // An empty relist of y leaves x alone.
        store.apply(.initStarted, partition: "y")
        store.apply(.initDone, partition: "y")
        #expect(store.list().map(\.key) == ["x/a"])
    }
}
