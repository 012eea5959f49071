import Foundation
import Testing
@testable import KubeModel

@Suite struct JSONValueTests {
    @Test func integersSurviveARoundTrip() throws {
        let value = try JSONValue.parse(Data(#"{"a": 9007199254740993, "b": 1.5, "c": [true, null, "x"]}"#.utf8))
        #expect(value["a"] == .int(9_007_199_254_740_993))
        #expect(value["b"] == .double(1.5))
        #expect(value["c"] == [true, nil, "x"])
        #expect(try JSONValue.parse(value.serialized()) == value)
    }

    @Test func serializationSortsKeys() {
        let value: JSONValue = ["b": 1, "a": ["d": 2, "c": 3]]
        #expect(String(decoding: value.serialized(), as: UTF8.self) == #"{"a":{"c":3,"d":2},"b":1}"#)
    }

    @Test func pathSubscriptCreatesIntermediateObjects() {
        var value: JSONValue = [:]
        value[path: ["metadata", "labels", "app"]] = "zk"
        #expect(value == ["metadata": ["labels": ["app": "zk"]]])
        value[path: ["metadata", "labels", "app"]] = nil
        #expect(value == ["metadata": ["labels": [:]]])
    }

    @Test func typedObjectsConvertBothWays() throws {
        let meta = ObjectMeta(name: "zk", namespace: "default", labels: ["a": "b"])
        let json = try JSONValue(encoding: meta)
        #expect(json["name"] == "zk")
        #expect(try json.decode(as: ObjectMeta.self) == meta)
    }

    @Test func resourcePaths() {
        #expect(ResourceType.pods.path(namespace: "ns", name: "p", subresource: "eviction") == "/api/v1/namespaces/ns/pods/p/eviction")
        #expect(ResourceType.statefulSets.path(namespace: "ns") == "/apis/apps/v1/namespaces/ns/statefulsets")
        #expect(ResourceType.nodes.path(namespace: "ignored", name: "n1") == "/api/v1/nodes/n1")
        #expect(ObjectKey("ns/name") == ObjectKey(namespace: "ns", name: "name"))
        #expect(ObjectKey("name").namespace == nil)
    }
}
