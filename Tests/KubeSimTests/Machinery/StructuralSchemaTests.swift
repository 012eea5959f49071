import Foundation
import KubeModel
import Testing
@testable import KubeSim

@Suite struct StructuralSchemaTests {
    static let schemaJSON = #"""
    {"type":"object","properties":{
      "spec":{"type":"object","required":["image"],"properties":{
        "replicas":{"type":"integer","minimum":1,"maximum":99,"default":3},
        "image":{"type":"string","maxLength":20,"minLength":3,"pattern":"^[a-z:.0-9]+$"},
        "mode":{"type":"string","enum":["a","b"]},
        "ratio":{"type":"number","exclusiveMinimum":true,"minimum":0,"exclusiveMaximum":true,"maximum":1000000},
        "port":{"x-kubernetes-int-or-string":true},
        "note":{"type":"string","nullable":true},
        "created":{"type":"string","format":"date-time"},
        "config":{"type":"object","additionalProperties":{"type":"string","default":"x"}},
        "members":{"type":"array","minItems":1,"maxItems":3,"items":{"type":"object","required":["name"],
          "properties":{"name":{"type":"string"},"role":{"type":"string","default":"follower"}}}},
        "storage":{"type":"object","default":{},"properties":{"size":{"type":"string","default":"10Gi"}}},
        "extra":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"properties":{"known":{"type":"integer"}}}
      }},
      "status":{"type":"object","properties":{"ready":{"type":"boolean"}}}
    }}
    """#

    var schema: StructuralSchema { StructuralSchema(openAPIV3Schema: (try? parse(Self.schemaJSON)) ?? .null) }

    func causes(_ spec: String) throws -> [Status.Cause] {
        schema.validate(try parse(#"{"apiVersion":"keeper.dev/v1alpha1","kind":"ZookeeperCluster","metadata":{"name":"bad"},"spec":"# + spec + "}"))
    }

    @Test func validObjectHasNoCauses() throws {
        #expect(try causes(#"{"image":"zookeeper:3.9","replicas":3,"mode":"a","port":"http","note":null,"created":"2024-01-02T03:04:05Z","members":[{"name":"zk-0"}]}"#) == [])
        #expect(try causes(#"{"image":"zookeeper:3.9","port":8080,"ratio":0.5}"#) == [])
    }

    @Test func minimumMessage() throws {
        #expect(try causes(#"{"image":"zookeeper","replicas":0}"#) == [
            Status.Cause(reason: "FieldValueInvalid", message: "Invalid value: 0: spec.replicas in body should be greater than or equal to 1", field: "spec.replicas"),
        ])
        #expect(try causes(#"{"image":"zookeeper","replicas":100}"#).first?.message == "Invalid value: 100: spec.replicas in body should be less than or equal to 99")
    }

    @Test func exclusiveBoundsPrintLikeGo() throws {
        #expect(try causes(#"{"image":"zookeeper","ratio":0}"#).first?.message == "Invalid value: 0: spec.ratio in body should be greater than 0")
        #expect(try causes(#"{"image":"zookeeper","ratio":2000000.5}"#).first?.message == "Invalid value: 2.0000005e+06: spec.ratio in body should be less than 1e+06")
    }

    @Test func typeMessage() throws {
        #expect(try causes(#"{"image":"zookeeper","replicas":"three"}"#) == [
            Status.Cause(reason: "FieldValueTypeInvalid", message: #"Invalid value: "string": spec.replicas in body must be of type integer: "string""#, field: "spec.replicas"),
        ])
        #expect(try causes(#"{"image":"zookeeper","port":true}"#).first?.message == #"Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean""#)
        #expect(try causes(#"{"image":"zookeeper","mode":null}"#).first?.message == #"Invalid value: "null": spec.mode in body must be of type string: "null""#)
    }

    @Test func requiredEnumPatternLength() throws {
        #expect(try causes("{}") == [Status.Cause(reason: "FieldValueRequired", message: "Required value", field: "spec.image")])
        #expect(try causes(#"{"image":"zookeeper","mode":"x"}"#) == [
            Status.Cause(reason: "FieldValueNotSupported", message: #"Unsupported value: "x": supported values: "a", "b""#, field: "spec.mode"),
        ])
        #expect(try causes(#"{"image":"Zoo"}"#).first?.message == #"Invalid value: "Zoo": spec.image in body should match '^[a-z:.0-9]+$'"#)
        #expect(try causes(#"{"image":"zo"}"#).first?.message == #"Invalid value: "zo": spec.image in body should be at least 3 chars long"#)
        #expect(try causes(#"{"image":"zookeeper:3.9.4.1234567890"}"#) == [
            Status.Cause(reason: "FieldValueTooLong", message: "Too long: may not be more than 20 bytes", field: "spec.image"),
        ])
        #expect(try causes(#"{"image":"zookeeper","created":"yesterday"}"#).first?.message == #"Invalid value: "yesterday": spec.created in body must be of type date-time: "yesterday""#)
    }

    @Test func arraysAndNestedObjects() throws {
        #expect(try causes(#"{"image":"zookeeper","members":[]}"#).first?.message == "Invalid value: 0: spec.members in body should have at least 1 items")
        #expect(try causes(#"{"image":"zookeeper","members":[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"d"}]}"#) == [
            Status.Cause(reason: "FieldValueTooMany", message: "Too many: 4: must have at most 3 items", field: "spec.members"),
        ])
        #expect(try causes(#"{"image":"zookeeper","members":[{"role":"x"}]}"#) == [
            Status.Cause(reason: "FieldValueRequired", message: "Required value", field: "spec.members[0].name"),
        ])
        #expect(try causes(#"{"image":"zookeeper","config":{"tickTime":2000}}"#).first?.field == "spec.config.tickTime")
    }

    @Test func invalidStatusAsKubectlShowsIt() throws {
        let status = APIErrors.invalid(kind: "ZookeeperCluster", group: "keeper.dev", name: "bad", causes: try causes(#"{"replicas":0}"#))
        #expect(status.message == #"ZookeeperCluster.keeper.dev "bad" is invalid: [spec.image: Required value, spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1]"#)
        #expect(APIErrors.kubectlMessage(status) == "The ZookeeperCluster \"bad\" is invalid: \n* spec.image: Required value\n* spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1")
    }

    @Test func defaulting() throws {
        var object = try parse(#"{"spec":{"image":"zk","note":null,"mode":null,"config":{"a":null,"b":"y"},"members":[{"name":"zk-0"},{"name":"zk-1","role":"leader"}]}}"#)
        schema.applyDefaults(to: &object)
        #expect(object == (try parse(#"""
        {"spec":{"image":"zk","replicas":3,"note":null,"config":{"a":null,"b":"y"},"storage":{"size":"10Gi"},
                 "members":[{"name":"zk-0","role":"follower"},{"name":"zk-1","role":"leader"}]}}
        """#)))
        var explicit = try parse(#"{"spec":{"image":"zk","replicas":5,"storage":{"size":"1Gi"}}}"#)
        schema.applyDefaults(to: &explicit)
        #expect(explicit[path: ["spec", "replicas"]] == 5)
        #expect(explicit[path: ["spec", "storage", "size"]] == "1Gi")
    }

    @Test func pruning() throws {
        var object = try parse(#"{"apiVersion":"v","kind":"K","metadata":{"name":"x","labels":{"a":"b"}},"junk":1,"spec":{"image":"zk","foo":1,"members":[{"name":"a","bar":2}],"config":{"any":"thing"},"extra":{"known":1,"free":{"x":1}}}}"#)
        let pruned = schema.prune(&object)
        #expect(pruned == ["junk", "spec.foo", "spec.members[0].bar"])
        #expect(object == (try parse(#"{"apiVersion":"v","kind":"K","metadata":{"name":"x","labels":{"a":"b"}},"spec":{"image":"zk","members":[{"name":"a"}],"config":{"any":"thing"},"extra":{"known":1,"free":{"x":1}}}}"#)))
    }

    @Test func metadataDeclaredAsPlainObjectIsNotPruned() throws {
        let declared = StructuralSchema(openAPIV3Schema: try parse(#"{"type":"object","properties":{"apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},"spec":{"type":"object","properties":{"a":{"type":"integer"}}}}}"#))
        var object = try parse(#"{"apiVersion":"v","kind":"K","metadata":{"name":"x","namespace":"d","uid":"u","labels":{"a":"b"}},"spec":{"a":1,"b":2}}"#)
        #expect(declared.prune(&object) == ["spec.b"])
        #expect(object[path: ["metadata", "uid"]] == "u")
        #expect(declared.validate(object) == [])
    }

    @Test(arguments: [(1.0, "1"), (1.5, "1.5"), (1e6, "1e+06"), (123456.0, "123456"), (1234567.0, "1.234567e+06"), (0.0001, "0.0001"), (0.00001, "1e-05"), (-2.5, "-2.5")])
    func goFloatFormatting(value: Double, expected: String) {
        #expect(GoFormat.float(value) == expected)
    }
}
