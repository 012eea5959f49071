import Foundation
import KubeModel
import Testing
@testable import KubeSim

@Suite struct TableConverterTests {
    let now = "2024-05-10T12:00:00Z"

    @Test(arguments: [
        (0.0, "0s"), (-1.5, "0s"), (-3, "<invalid>"), (59, "59s"), (119, "119s"), (125, "2m5s"), (180, "3m"), (599, "9m59s"),
        (600, "10m"), (10799, "179m"), (10800, "3h"), (11100, "3h5m"), (28800, "8h"), (172799, "47h"), (172800, "2d"),
        (183600, "2d3h"), (691200, "8d"), (62985600, "729d"), (63072000, "2y"), (64800000, "2y20d"), (315360000, "10y"),
    ])
    func humanDuration(seconds: Double, expected: String) {
        #expect(HumanTime.humanDuration(seconds: seconds) == expected)
    }

    @Test func timestamps() {
        #expect(HumanTime.parse("1970-01-01T00:00:00Z") == 0)
        #expect(HumanTime.parse("2024-05-10T12:00:00Z") == 1715342400)
        #expect(HumanTime.parse("2024-05-10T14:00:00+02:00") == 1715342400)
        #expect(HumanTime.parse("2024-05-10T12:00:00.250000Z") == 1715342400.25)
        #expect(HumanTime.parse("yesterday") == nil)
        #expect(HumanTime.parse(RFC3339.seconds(Date(timeIntervalSince1970: 1715342400))) == 1715342400)
        #expect(HumanTime.age(of: nil, now: now) == "<unknown>")
    }

    @Test func customResourceColumns() throws {
        let crd = try parse(#"""
        [{"name":"Replicas","type":"integer","jsonPath":".spec.replicas"},
         {"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Available\")].status"},
         {"name":"Leader","type":"string","jsonPath":".status.leader","priority":1},
         {"name":"First","type":"string","jsonPath":".status.members[0].name"},
         {"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}]
        """#)
        let zk = try parse(#"""
        {"metadata":{"name":"zk","namespace":"default","creationTimestamp":"2024-05-08T09:00:00Z","resourceVersion":"7"},
         "spec":{"replicas":3},
         "status":{"conditions":[{"type":"Progressing","status":"False"},{"type":"Available","status":"True"}],"members":[{"name":"zk-0"}]}}
        """#)
        let table = TableConverter.table(kind: "ZookeeperCluster", objects: [zk], columns: TableConverter.crdColumns(additionalPrinterColumns: crd),
                                         includeObject: "Metadata", listMeta: ListMeta(resourceVersion: "9"), now: now)
        #expect(table["kind"] == "Table")
        #expect(table["apiVersion"] == "meta.k8s.io/v1")
        #expect(table["metadata"] == ["resourceVersion": "9"])
        let columns = table["columnDefinitions"]?.arrayValue ?? []
        #expect(columns.map { $0["name"]?.stringValue ?? "" } == ["Name", "Replicas", "Ready", "Leader", "First", "Age"])
        #expect(columns[0]["format"] == "name")
        #expect(columns[3]["priority"] == 1)
        let row = table["rows"]?.arrayValue?.first
        #expect(row?["cells"] == ["zk", 3, "True", nil, "zk-0", "2d3h"])
        #expect(row?["object"] == ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": zk["metadata"] ?? nil])
    }

    @Test func defaultCRDColumnsAndIncludeObject() throws {
        let columns = TableConverter.crdColumns(additionalPrinterColumns: nil)
        #expect(columns.map(\.name) == ["Age"])
        let object: JSONValue = ["metadata": ["name": "a", "creationTimestamp": "2024-05-10T11:55:00Z"]]
        let none = TableConverter.table(kind: "X", objects: [object], columns: columns, includeObject: "None", listMeta: ListMeta(), now: now)
        #expect(none["rows"]?.arrayValue?.first?["object"] == .null)
        #expect(none["rows"]?.arrayValue?.first?["cells"] == ["a", "5m"])
        let full = TableConverter.table(kind: "X", objects: [object], columns: columns, includeObject: "Object", listMeta: ListMeta(), now: now)
        #expect(full["rows"]?.arrayValue?.first?["object"] == object)
        #expect(throws: Status.self) { try TableConverter.checkIncludeObject("All") }
    }

    func cells(_ kind: String, _ json: String) throws -> [JSONValue] {
        let table = TableConverter.table(kind: kind, objects: [try parse(json)], columns: nil, includeObject: "None", listMeta: ListMeta(), now: now)
        return table["rows"]?.arrayValue?.first?["cells"]?.arrayValue ?? []
    }

    func headers(_ kind: String) -> [String] {
        TableConverter.table(kind: kind, objects: [], columns: nil, includeObject: "None", listMeta: ListMeta(), now: now)["columnDefinitions"]?
            .arrayValue?.map { $0["name"]?.stringValue ?? "" } ?? []
    }

    @Test func pods() throws {
        #expect(headers("Pod") == ["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"])
        let running = #"""
        {"metadata":{"name":"zk-0","creationTimestamp":"2024-05-10T11:00:00Z"},"spec":{"nodeName":"node-1","containers":[{"name":"zk"}]},
         "status":{"phase":"Running","podIP":"127.0.0.2","conditions":[{"type":"Ready","status":"True"}],
           "containerStatuses":[{"name":"zk","ready":true,"restartCount":2,"state":{"running":{}},
             "lastState":{"terminated":{"exitCode":1,"finishedAt":"2024-05-10T11:55:00Z"}}}]}}
        """#
        #expect(try cells("Pod", running) == ["zk-0", "1/1", "Running", "2 (5m ago)", "60m", "127.0.0.2", "node-1", "<none>", "<none>"])
        let pending = #"{"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"},{"name":"b"}]},"status":{"phase":"Pending","containerStatuses":[{"name":"a","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ContainerCreating"}}}]}}"#
        #expect(try cells("Pod", pending).prefix(4) == ["p", "0/2", "ContainerCreating", "0"])
        let initializing = #"{"metadata":{"name":"p"},"spec":{"initContainers":[{"name":"i"}],"containers":[{"name":"a"}]},"status":{"phase":"Pending","initContainerStatuses":[{"name":"i","state":{"running":{}}}]}}"#
        #expect(try cells("Pod", initializing)[2] == "Init:0/1")
        let terminating = #"{"metadata":{"name":"p","deletionTimestamp":"2024-05-10T11:59:00Z"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running"}}"#
        #expect(try cells("Pod", terminating)[2] == "Terminating")
        let crashed = #"{"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running","containerStatuses":[{"name":"a","state":{"terminated":{"exitCode":137,"reason":""}}}]}}"#
        #expect(try cells("Pod", crashed)[2] == "ExitCode:137")
    }

    @Test func servicesStatefulSetsAndOthers() throws {
        #expect(try cells("Service", #"{"metadata":{"name":"zk-client"},"spec":{"type":"ClusterIP","clusterIP":"10.0.0.5","ports":[{"port":2181,"protocol":"TCP"}],"selector":{"b":"2","a":"1"}}}"#)
                == ["zk-client", "ClusterIP", "10.0.0.5", "<none>", "2181/TCP", "<unknown>", "a=1,b=2"])
        #expect(try cells("Service", #"{"metadata":{"name":"h"},"spec":{"clusterIP":"None","ports":[{"port":2888,"protocol":"TCP"},{"port":3888,"protocol":"TCP"}]}}"#)[2...4]
                == ["None", "<none>", "2888/TCP,3888/TCP"])
        #expect(headers("StatefulSet") == ["Name", "Ready", "Age", "Containers", "Images"])
        #expect(try cells("StatefulSet", #"{"metadata":{"name":"zk"},"spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"zk","image":"zookeeper:3.9.4"}]}}},"status":{"readyReplicas":2}}"#)
                == ["zk", "2/3", "<unknown>", "zk", "zookeeper:3.9.4"])
        #expect(try cells("ConfigMap", #"{"metadata":{"name":"c"},"data":{"a":"1","b":"2"}}"#) == ["c", 2, "<unknown>"])
        #expect(headers("PodDisruptionBudget") == ["Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"])
        #expect(try cells("PodDisruptionBudget", #"{"metadata":{"name":"zk"},"spec":{"maxUnavailable":1},"status":{"disruptionsAllowed":1}}"#) == ["zk", "N/A", "1", 1, "<unknown>"])
        #expect(try cells("Namespace", #"{"metadata":{"name":"default"},"status":{"phase":"Active"}}"#) == ["default", "Active", "<unknown>"])
        #expect(try cells("Lease", #"{"metadata":{"name":"keeper"},"spec":{"holderIdentity":"pod-1"}}"#) == ["keeper", "pod-1", "<unknown>"])
        #expect(try cells("ControllerRevision", #"{"metadata":{"name":"zk-abc","ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"zk","controller":true}]},"revision":2}"#)
                == ["zk-abc", "statefulset.apps/zk", 2, "<unknown>"])
        #expect(try cells("PersistentVolumeClaim", #"{"metadata":{"name":"data-zk-0"},"spec":{"volumeName":"pv-1","storageClassName":"local"},"status":{"phase":"Bound","capacity":{"storage":"10Gi"},"accessModes":["ReadWriteOnce"]}}"#)
                == ["data-zk-0", "Bound", "pv-1", "10Gi", "RWO", "local", "<unset>", "<unknown>", "<unset>"])
        #expect(try cells("Node", #"{"metadata":{"name":"n1","labels":{"node-role.kubernetes.io/control-plane":""}},"status":{"conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.32.0"},"addresses":[{"type":"InternalIP","address":"127.0.0.1"}]}}"#).prefix(6)
                == ["n1", "Ready", "control-plane", "<unknown>", "v1.32.0", "127.0.0.1"])
        #expect(headers("CustomResourceDefinition") == ["Name", "Created At"])
        #expect(try cells("CustomResourceDefinition", #"{"metadata":{"name":"x.keeper.dev","creationTimestamp":"2024-05-10T11:00:00Z"}}"#) == ["x.keeper.dev", "2024-05-10T11:00:00Z"])
    }

    @Test func events() throws {
        #expect(headers("Event") == ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"])
        let event = #"""
        {"metadata":{"name":"zk.17a"},"involvedObject":{"kind":"ZookeeperCluster","name":"zk"},"reason":"MemberRestarted","message":"restarted zk-1 ",
         "type":"Normal","source":{"component":"keeper"},"firstTimestamp":"2024-05-10T11:00:00Z","lastTimestamp":"2024-05-10T11:58:00Z","count":3}
        """#
        #expect(try cells("Event", event) == ["2m", "Normal", "MemberRestarted", "zookeepercluster/zk", "", "keeper", "restarted zk-1", "60m", 3, "zk.17a"])
    }

    @Test func jsonPathSubset() throws {
        let doc = try parse(#"{"a":{"b.c":1,"list":[{"n":"x","v":1},{"n":"y","v":2}]}}"#)
        #expect(PrinterJSONPath(".a.list[*].n")?.evaluate(doc) == ["x", "y"])
        #expect(PrinterJSONPath(".a.list[-1].n")?.evaluate(doc) == ["y"])
        #expect(PrinterJSONPath(".a['b.c']")?.evaluate(doc) == [1])
        #expect(PrinterJSONPath(".a.list[?(@.v==2)].n")?.evaluate(doc) == ["y"])
        #expect(PrinterJSONPath(".a.missing")?.evaluate(doc) == [])
        #expect(PrinterJSONPath("a.b") == nil)
        #expect(PrinterJSONPath.text(of: ["k": "v", "a": [1, 2]]) == "map[a:[1 2] k:v]")
    }
}

@Suite struct TableWatchTests {
    @Test func laterWatchEventsOmitHeaders() {
        let object: JSONValue = ["metadata": ["name": "c"]]
        let first = TableConverter.table(kind: "ConfigMap", objects: [object], columns: nil, includeObject: "Metadata", listMeta: ListMeta(), now: "2024-05-10T12:00:00Z", noHeaders: false)
        let later = TableConverter.table(kind: "ConfigMap", objects: [object], columns: nil, includeObject: "Metadata", listMeta: ListMeta(), now: "2024-05-10T12:00:00Z", noHeaders: true)
        #expect(first["columnDefinitions"]?.arrayValue?.count == 3)
        #expect(later["columnDefinitions"] == .null)
        #expect(later["rows"] == first["rows"])
    }
}
