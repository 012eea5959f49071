import Foundation
import KubeModel
import Testing
@testable import Controller

@Suite struct InternerTests {
    /// A string made at run time, so it has a buffer of its own (literals live in the binary).
    static func fresh(_ text: String) -> String {
        String(decoding: Array(text.utf8), as: UTF8.self)
    }

    /// Where a string's UTF-8 bytes are: equal for copies that share one buffer.
    static func storage(_ string: String) -> UnsafeRawPointer? {
        var copy = string
        return copy.withUTF8 { UnsafeRawPointer($0.baseAddress) }
    }

    /// A dictionary's storage object: equal for copies that share one table.
    static func storage(_ map: [String: String]) -> UInt {
        withUnsafeBytes(of: map) { $0.load(as: UInt.self) }
    }

    @Test func equalLongStringsShareTheFirstOnesBuffer() {
        let interner = Interner()
        let first = Self.fresh("app.kubernetes.io/instance")
        let second = Self.fresh("app.kubernetes.io/instance")
        #expect(Self.storage(first) != Self.storage(second))
        let a = interner.string(first)
        let b = interner.string(second)
        #expect(a == second)
        #expect(Self.storage(a) == Self.storage(first))
        #expect(Self.storage(b) == Self.storage(first))
        #expect(interner.counts.strings == 1)
    }

    @Test func shortStringsAreInlineAndNotTabled() {
        let interner = Interner()
        #expect(interner.string(Self.fresh("zookeeper")) == "zookeeper")
        #expect(interner.string(Self.fresh("exactly15bytes!")) == "exactly15bytes!")
        #expect(interner.counts.strings == 0)
        _ = interner.string(Self.fresh("sixteen-bytes-xx"))
        #expect(interner.counts.strings == 1)
    }

    @Test func equalMapsShareOneTableAndTheirStrings() throws {
        let interner = Interner()
        let labels = ["app.kubernetes.io/instance": "zk-0", "app.kubernetes.io/managed-by": "keeper"]
        let first = interner.map(labels.mapValues(Self.fresh))
        let second = interner.map(Dictionary(uniqueKeysWithValues: labels.map { (Self.fresh($0.key), $0.value) }))
        #expect(first == labels)
        #expect(second == labels)
        #expect(Self.storage(try #require(first)) == Self.storage(try #require(second)))
        // Keys are shared with every other map and string that has them.
        let key = interner.string(Self.fresh("app.kubernetes.io/instance"))
        #expect(Self.storage(key) == Self.storage(try #require(second?.keys.first { $0 == "app.kubernetes.io/instance" })))
        #expect(interner.map(nil) == nil)
        #expect(interner.map([:]) == [:])
    }

    @Test func keysAreSharedButValuesKeptForAnnotationMaps() {
        let interner = Interner()
        let value = Self.fresh("7e8e72354e8d8747aa")
        let map = interner.keys([Self.fresh("keeper.dev/desired-hash"): value])
        #expect(map == ["keeper.dev/desired-hash": "7e8e72354e8d8747aa"])
        #expect(interner.counts.strings == 1)  // the key only
        #expect(interner.counts.maps == 0)
    }

    @Test func wholeValuesAreSharedByEquality() {
        let interner = Interner()
        let ports = [ServicePort(name: "client", port: 2181)]
        let first = interner.value(ports)
        let second = interner.value([ServicePort(name: "client", port: 2181)])
        #expect(second == ports)
        first.withUnsafeBufferPointer { a in
            second.withUnsafeBufferPointer { b in #expect(a.baseAddress == b.baseAddress) }
        }
        #expect(interner.value([ServicePort(name: "admin", port: 8080)]) != ports)
        #expect(interner.counts.values == 2)
    }

    @Test func aFullTableStartsOverInsteadOfGrowing() {
        let interner = Interner(capacity: 3)
        for index in 0..<10 { _ = interner.string(Self.fresh("a-string-longer-than-15-\(index)")) }
        #expect(interner.counts.strings <= 3)
        for index in 0..<10 { _ = interner.map(["app.kubernetes.io/instance": "zk-\(index)"]) }
        #expect(interner.counts.maps <= 3)
        for index in 0..<10 { _ = interner.value([index]) }
        #expect(interner.counts.values <= 3)
        // Still hands out equal values after starting over.
        #expect(interner.string(Self.fresh("a-string-longer-than-15-9")) == "a-string-longer-than-15-9")
    }

    @Test func metadataKeepsEveryValue() {
        let interner = Interner()
        var metadata = ObjectMeta(name: "zk-0-headless", namespace: "default",
                                  labels: ["app.kubernetes.io/instance": "zk-0"], annotations: ["keeper.dev/desired-hash": "cb595d6d2fa76b6f"],
                                  ownerReferences: [OwnerReference(apiVersion: "keeper.dev/v1alpha1", kind: "ZookeeperCluster", name: "zk-0",
                                                                   uid: "5cb6c999-0b48-49e5-bc98-8e1389b71503", controller: true)])
        metadata.uid = "f54fa742-ca10-4fe5-a3bd-6b390b61d1ed"
        metadata.resourceVersion = "9"
        metadata.creationTimestamp = "2026-11-22T07:10:44Z"
        metadata.finalizers = ["keeper.dev/finalizer"]
        #expect(interner.metadata(metadata) == metadata)
        let selector = LabelSelector(matchLabels: ["app.kubernetes.io/name": "zookeeper"])
        #expect(interner.selector(selector) == selector)
    }
}
