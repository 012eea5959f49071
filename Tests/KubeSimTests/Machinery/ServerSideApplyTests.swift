import Foundation
import KubeModel
import Testing
@testable import KubeSim

@Suite struct ServerSideApplyTests {
    let t1 = "2024-05-10T12:00:00Z"
    let t2 = "2024-05-10T12:05:00Z"

    func entries(_ object: JSONValue) -> [JSONValue] { object[path: ["metadata", "managedFields"]]?.arrayValue ?? [] }

    func statefulSet(replicas: Int64, image: String = "zookeeper:3.9.4", labels: JSONValue = ["app": "zk"], args: JSONValue? = nil) -> JSONValue {
        var container: JSONValue = ["name": "zk", "image": .string(image), "ports": [["containerPort": 2181, "name": "client"]]]
        if let args { container["args"] = args }
        return ["apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ["name": "zk", "namespace": "default", "labels": labels],
                "spec": ["replicas": .int(replicas), "selector": ["matchLabels": ["app": "zk"]],
                         "template": ["metadata": ["labels": ["app": "zk"]], "spec": ["containers": [container]]]]]
    }

    @Test func createRecordsApplyEntryInFieldsV1() throws {
        let created = try ServerSideApply.apply(statefulSet(replicas: 3), to: nil, manager: "keeper", force: false, now: t1)
        let entry = try #require(entries(created).first)
        #expect(entry["manager"] == "keeper")
        #expect(entry["operation"] == "Apply")
        #expect(entry["apiVersion"] == "apps/v1")
        #expect(entry["time"] == .string(t1))
        #expect(entry["fieldsType"] == "FieldsV1")
        #expect(entry["fieldsV1"] == (try parse(#"""
        {"f:metadata":{"f:labels":{"f:app":{}}},
         "f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{
           "k:{\"name\":\"zk\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{
             "k:{\"containerPort\":2181,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},"f:name":{}}}}}}}}}
        """#)))
        #expect(created[path: ["spec", "replicas"]] == 3)
    }

    @Test func fieldsAManagerStopsApplyingAreRemoved() throws {
        let first = try ServerSideApply.apply(statefulSet(replicas: 3, labels: ["app": "zk", "tier": "db"]), to: nil, manager: "keeper", force: false, now: t1)
        let second = try ServerSideApply.apply(statefulSet(replicas: 3, labels: ["app": "zk"]), to: first, manager: "keeper", force: false, now: t2)
        #expect(second[path: ["metadata", "labels"]] == ["app": "zk"])
    }

    @Test func fieldsOwnedByOthersSurvive() throws {
        let first = try ServerSideApply.apply(statefulSet(replicas: 3, labels: ["app": "zk", "tier": "db"]), to: nil, manager: "keeper", force: false, now: t1)
        // Someone else labels the object and also sets "tier" to the same value by apply.
        var edited = first
        edited[path: ["metadata", "labels", "team"]] = "data"
        let recorded = ServerSideApply.recordUpdate(old: first, new: edited, manager: "kubectl-label", now: t2)
        let shared = try ServerSideApply.apply(["apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ["name": "zk", "labels": ["tier": "db"]]],
                                               to: recorded, manager: "other", force: false, now: t2)
        let second = try ServerSideApply.apply(statefulSet(replicas: 3, labels: ["app": "zk"]), to: shared, manager: "keeper", force: false, now: t2)
        #expect(second[path: ["metadata", "labels"]] == ["app": "zk", "team": "data", "tier": "db"])
        let managers = entries(second).compactMap { $0["manager"]?.stringValue }
        #expect(managers == ["keeper", "other", "kubectl-label"])
    }

    @Test func conflictWithUpdateManagerAndForce() throws {
        let applied = try ServerSideApply.apply(statefulSet(replicas: 3), to: nil, manager: "keeper", force: false, now: t1)
        var scaled = applied
        scaled[path: ["spec", "replicas"]] = 5
        let recorded = ServerSideApply.recordUpdate(old: applied, new: scaled, manager: "kubectl", now: t2)
        let edit = try #require(entries(recorded).first { $0["manager"] == "kubectl" })
        #expect(edit["operation"] == "Update")
        #expect(edit["fieldsV1"] == ["f:spec": ["f:replicas": [:]]])
        let keeperEntry = try #require(entries(recorded).first { $0["manager"] == "keeper" })
        #expect(keeperEntry[path: ["fieldsV1", "f:spec", "f:replicas"]] == nil)

        #expect {
            _ = try ServerSideApply.apply(statefulSet(replicas: 3), to: recorded, manager: "keeper", force: false, now: t2)
        } throws: { error in
            let status = error as? Status
            return status?.code == 409 && status?.reason == "Conflict"
                && status?.message == #"Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas"#
                && status?.details?.causes == [Status.Cause(reason: "FieldManagerConflict", message: #"conflict with "kubectl" using apps/v1"#, field: ".spec.replicas")]
        }
        // The same value is no conflict: ownership is shared.
        #expect(throws: Never.self) { try ServerSideApply.apply(statefulSet(replicas: 5), to: recorded, manager: "keeper", force: false, now: t2) }

        let forced = try ServerSideApply.apply(statefulSet(replicas: 3), to: recorded, manager: "keeper", force: true, now: t2)
        #expect(forced[path: ["spec", "replicas"]] == 3)
        #expect(!entries(forced).contains { $0["manager"] == "kubectl" })
    }

    @Test func conflictBetweenAppliersListsEveryField() throws {
        let applied = try ServerSideApply.apply(statefulSet(replicas: 3), to: nil, manager: "keeper", force: false, now: t1)
        #expect {
            _ = try ServerSideApply.apply(statefulSet(replicas: 4, image: "zookeeper:3.8"), to: applied, manager: "kubectl", force: false, now: t2)
        } throws: { error in
            (error as? Status)?.message == """
            Apply failed with 2 conflicts: conflicts with "keeper":
            - .spec.replicas
            - .spec.template.spec.containers[name="zk"].image
            """
        }
    }

    @Test func associativeListsMergeAndAtomicListsReplace() throws {
        let applied = try ServerSideApply.apply(statefulSet(replicas: 3, args: ["a", "b"]), to: nil, manager: "keeper", force: false, now: t1)
        let sidecar: JSONValue = ["apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ["name": "zk"],
                                  "spec": ["template": ["spec": ["containers": [["name": "sidecar", "image": "busybox"]]]]]]
        let both = try ServerSideApply.apply(sidecar, to: applied, manager: "mesh", force: false, now: t2)
        let names = both[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["zk", "sidecar"])
        let reapplied = try ServerSideApply.apply(statefulSet(replicas: 3, args: ["c"]), to: both, manager: "keeper", force: false, now: t2)
        let containers = reapplied[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []
        #expect(containers.count == 2)
        #expect(containers.first?["args"] == ["c"])
        // The mesh stops applying its container: it goes away, keeper's stays.
        let withdrawn = try ServerSideApply.apply(["apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ["name": "zk", "labels": ["mesh": "on"]]],
                                                  to: reapplied, manager: "mesh", force: false, now: t2)
        #expect(withdrawn[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["zk"])
    }

    @Test func noOpApplyReturnsLiveUnchanged() throws {
        let applied = try ServerSideApply.apply(statefulSet(replicas: 3), to: nil, manager: "keeper", force: false, now: t1)
        let again = try ServerSideApply.apply(statefulSet(replicas: 3), to: applied, manager: "keeper", force: false, now: t2)
        #expect(again == applied)
    }

    @Test func mismatchesAreBadRequests() throws {
        let applied = try ServerSideApply.apply(statefulSet(replicas: 3), to: nil, manager: "keeper", force: false, now: t1)
        var renamed = statefulSet(replicas: 3)
        renamed[path: ["metadata", "name"]] = "other"
        #expect { try ServerSideApply.apply(renamed, to: applied, manager: "keeper", force: false, now: t2) } throws: { error in
            (error as? Status)?.message == "the name of the object (other) does not match the name on the URL (zk)"
        }
        var versioned = statefulSet(replicas: 3)
        versioned["apiVersion"] = "apps/v1beta1"
        #expect { try ServerSideApply.apply(versioned, to: applied, manager: "keeper", force: false, now: t2) } throws: { error in
            (error as? Status)?.message == "Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1"
        }
    }

    @Test func recordUpdateOnCreateAndNoChange() throws {
        let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c", "labels": ["a": "1"]], "data": ["k": "v"]]
        let created = ServerSideApply.recordUpdate(old: nil, new: configMap, manager: "kubectl-create", now: t1)
        let entry = try #require(entries(created).first)
        #expect(entry["operation"] == "Update")
        #expect(entry["fieldsV1"] == (try parse(#"{"f:data":{".":{},"f:k":{}},"f:metadata":{"f:labels":{".":{},"f:a":{}}}}"#)))
        let unchanged = ServerSideApply.recordUpdate(old: created, new: created, manager: "other", now: t2)
        #expect(entries(unchanged) == entries(created))
    }

    @Test func applyToObjectWithoutManagedFieldsConflictsWithBeforeFirstApply() throws {
        let legacy: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"], "data": ["k": "v"]]
        #expect { try ServerSideApply.apply(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"], "data": ["k": "w"]],
                                            to: legacy, manager: "keeper", force: false, now: t1) } throws: { error in
            (error as? Status)?.message == #"Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .data.k"#
        }
    }

    @Test func customResourceListTypesFromSchema() throws {
        let schema = try parse(#"""
        {"type":"object","properties":{"spec":{"type":"object","properties":{
          "members":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["id"],"items":{"type":"object","properties":{"id":{"type":"integer"},"role":{"type":"string"}}}},
          "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
          "args":{"type":"array","items":{"type":"string"}}}}}}
        """#)
        let type = SSAType.fromSchema(schema)
        let config: JSONValue = ["apiVersion": "keeper.dev/v1alpha1", "kind": "ZookeeperCluster", "metadata": ["name": "zk"],
                                 "spec": ["members": [["id": 1, "role": "leader"]], "tags": ["a"], "args": ["x"]]]
        let applied = try ServerSideApply.apply(config, to: nil, manager: "keeper", force: false, now: t1, type: type)
        #expect(entries(applied).first?["fieldsV1"] == (try parse(#"{"f:spec":{"f:args":{},"f:members":{"k:{\"id\":1}":{".":{},"f:id":{},"f:role":{}}},"f:tags":{"v:\"a\"":{}}}}"#)))
    }

    @Test func fieldsV1RoundTrip() throws {
        let json = try parse(#"{"f:data":{".":{},"f:k":{}},"f:spec":{"f:ports":{"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:port":{}}},"f:tags":{"v:\"x\"":{}}}}"#)
        let set = FieldSet(fieldsV1: json)
        #expect(set.paths.count == 5)
        #expect(set.fieldsV1 == json)
        #expect(set.contains([.field("spec"), .field("ports"), .key(["port": 80, "protocol": "TCP"])]))
        #expect(FieldSet.string([.field("spec"), .field("ports"), .key(["port": 80, "protocol": "TCP"]), .field("port")]) == #".spec.ports[port=80,protocol="TCP"].port"#)
    }
}

@Suite struct ResetFieldsTests {
    @Test func statusIsNotAppliedThroughTheMainResource() {
        let config: JSONValue = ["apiVersion": "v1", "kind": "X", "metadata": ["name": "a", "labels": ["l": "1"]], "spec": ["r": 1], "status": ["s": 1]]
        #expect(ServerSideApply.stripResetFields(config, subresource: "")["status"] == nil)
        #expect(ServerSideApply.stripResetFields(config, subresource: "", hasStatusSubresource: false)["status"] == ["s": 1])
        let status = ServerSideApply.stripResetFields(config, subresource: "status")
        #expect(status == ["apiVersion": "v1", "kind": "X", "metadata": ["name": "a"], "status": ["s": 1]])
    }
}
