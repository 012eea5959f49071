import Foundation
import KubeModel
import Testing
@testable import KubeSim

@Suite struct StrategicMergePatchTests {
    let statefulSet = #"""
    {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"zk","labels":{"a":"1"},"finalizers":["x"]},
     "spec":{"replicas":3,"template":{"metadata":{"labels":{"app":"zk"}},"spec":{
       "containers":[{"name":"zk","image":"zookeeper:3.9.3","ports":[{"containerPort":2181,"name":"client"},{"containerPort":2888,"name":"peer"}],
                      "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"volumeMounts":[{"name":"data","mountPath":"/data"}]},
                     {"name":"sidecar","image":"busybox"}],
       "tolerations":[{"key":"a","operator":"Exists"}],
       "volumes":[{"name":"data","emptyDir":{}},{"name":"conf","configMap":{"name":"zk"}}]}}}}
    """#

    func patch(_ patch: String, kind: String = "StatefulSet") throws -> JSONValue {
        try StrategicMergePatch.apply(try parse(patch), to: try parse(statefulSet), kind: kind)
    }

    func containers(_ object: JSONValue) -> [JSONValue] { object[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? [] }

    @Test func containersMergeByName() throws {
        let result = try patch(#"{"spec":{"template":{"spec":{"containers":[{"name":"zk","image":"zookeeper:3.9.4"},{"name":"new","image":"x"}]}}}}"#)
        let list = containers(result)
        #expect(list.map { $0["name"] } == ["zk", "sidecar", "new"])
        #expect(list[0]["image"] == "zookeeper:3.9.4")
        #expect(list[0]["ports"]?.arrayValue?.count == 2)
        #expect(list[1]["image"] == "busybox")
    }

    @Test func nestedPortsEnvAndMountsMergeByKey() throws {
        let result = try patch(#"""
        {"spec":{"template":{"spec":{"containers":[{"name":"zk","ports":[{"containerPort":3888,"name":"election"},{"containerPort":2181,"protocol":"TCP"}],
          "env":[{"name":"B","value":"3"},{"name":"A","$patch":"delete"}],"volumeMounts":[{"name":"conf","mountPath":"/conf"}]}]}}}}
        """#)
        let zk = containers(result)[0]
        #expect(zk["ports"] == (try parse(#"[{"containerPort":2181,"name":"client","protocol":"TCP"},{"containerPort":2888,"name":"peer"},{"containerPort":3888,"name":"election"}]"#)))
        #expect(zk["env"] == (try parse(#"[{"name":"B","value":"3"}]"#)))
        #expect(zk["volumeMounts"]?.arrayValue?.count == 2)
    }

    @Test func atomicListsAndScalarsReplace() throws {
        let result = try patch(#"{"spec":{"replicas":5,"template":{"spec":{"tolerations":[{"key":"b","operator":"Exists"}]}}}}"#)
        #expect(result[path: ["spec", "replicas"]] == 5)
        #expect(result[path: ["spec", "template", "spec", "tolerations"]] == (try parse(#"[{"key":"b","operator":"Exists"}]"#)))
    }

    @Test func nullDeletesAndMapsMerge() throws {
        let result = try patch(#"{"metadata":{"labels":{"a":null,"b":"2"}},"spec":{"template":{"spec":{"volumes":[{"name":"conf","$patch":"delete"}]}}}}"#)
        #expect(result[path: ["metadata", "labels"]] == ["b": "2"])
        #expect(result[path: ["spec", "template", "spec", "volumes"]] == (try parse(#"[{"name":"data","emptyDir":{}}]"#)))
    }

    @Test func finalizersMergeAsSetAndDeleteFromPrimitiveList() throws {
        let added = try patch(#"{"metadata":{"finalizers":["y","x"]}}"#)
        #expect(added[path: ["metadata", "finalizers"]] == ["x", "y"])
        let removed = try patch(#"{"metadata":{"$deleteFromPrimitiveList/finalizers":["x"]}}"#)
        #expect(removed[path: ["metadata", "finalizers"]] == [])
    }

    @Test func replaceDirectives() throws {
        let list = try patch(#"{"spec":{"template":{"spec":{"containers":[{"name":"only","image":"x"},{"$patch":"replace"}]}}}}"#)
        #expect(containers(list) == (try parse(#"[{"name":"only","image":"x"}]"#)).arrayValue)
        let map = try patch(#"{"spec":{"template":{"metadata":{"labels":{"$patch":"replace","new":"1"}}}}}"#)
        #expect(map[path: ["spec", "template", "metadata", "labels"]] == ["new": "1"])
        let deleted = try patch(#"{"spec":{"template":{"metadata":{"$patch":"delete"}}}}"#)
        #expect(deleted[path: ["spec", "template", "metadata"]] == nil)
    }

    @Test func retainKeysAndElementOrder() throws {
        let retained = try patch(#"{"spec":{"template":{"spec":{"volumes":[{"name":"data","$retainKeys":["name","hostPath"],"hostPath":{"path":"/x"}}]}}}}"#)
        #expect(retained[path: ["spec", "template", "spec", "volumes"]]?.arrayValue?.first == ["name": "data", "hostPath": ["path": "/x"]])
        let ordered = try patch(#"{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"zk"}],"containers":[{"name":"zk","image":"y"}]}}}}"#)
        #expect(containers(ordered).map { $0["name"] } == ["sidecar", "zk"])
    }

    @Test func serviceAndPDBStrategies() throws {
        let service = try parse(#"{"spec":{"ports":[{"port":2181,"name":"client"}],"selector":{"a":"1"}}}"#)
        let patched = try StrategicMergePatch.apply(try parse(#"{"spec":{"ports":[{"port":2181,"targetPort":2182}],"selector":{"b":"2"}}}"#), to: service, kind: "Service")
        #expect(patched[path: ["spec", "ports"]] == (try parse(#"[{"port":2181,"name":"client","targetPort":2182}]"#)))
        #expect(patched[path: ["spec", "selector"]] == ["a": "1", "b": "2"])
        let pdb = try parse(#"{"spec":{"maxUnavailable":1,"selector":{"matchLabels":{"a":"1"}}}}"#)
        let pdbPatched = try StrategicMergePatch.apply(try parse(#"{"spec":{"selector":{"matchLabels":{"b":"2"}}}}"#), to: pdb, kind: "PodDisruptionBudget")
        #expect(pdbPatched[path: ["spec", "selector"]] == ["matchLabels": ["b": "2"]])
    }

    @Test func podConditionsMergeByType() throws {
        let pod = try parse(#"{"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"PodScheduled","status":"True"}]}}"#)
        let patched = try StrategicMergePatch.apply(try parse(#"{"status":{"conditions":[{"type":"Ready","status":"True"}]}}"#), to: pod, kind: "Pod")
        #expect(patched[path: ["status", "conditions"]] == (try parse(#"[{"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}]"#)))
    }

    @Test func customResourcesAreRefusedWith415() {
        #expect {
            _ = try StrategicMergePatch.apply(["spec": ["replicas": 5]], to: [:], kind: "ZookeeperCluster")
        } throws: { error in
            let status = error as? Status
            return status?.code == 415 && status?.reason == "UnsupportedMediaType"
                && status?.message == "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
        }
    }
}
