import Foundation
import KubeModel

/// The built-in kinds' columns and rows, following kubernetes `pkg/printers/internalversion`
/// (server side, so always with the wide columns).
enum BuiltInPrinters {
    struct Printer: Sendable {
        var columns: [TableConverter.Column]
        var row: @Sendable (JSONValue, String) -> (cells: [JSONValue], conditions: [JSONValue]?)
    }

    typealias Column = TableConverter.Column

    static func column(_ name: String, _ description: String, type: String = "string", priority: Int = 0) -> Column {
        Column(name: name, type: type, description: description, priority: priority, jsonPath: "")
    }

    static let name = Column(name: "Name", type: "string", format: "name", description: TableConverter.nameDescription, jsonPath: ".metadata.name")
    static let age = column("Age", TableConverter.creationTimestampDescription)

    static func printer(for kind: String) -> Printer {
        switch kind {
        case "Pod": return PodPrinter.printer
        case "Service": return services
        case "StatefulSet": return statefulSets
        case "Deployment": return deployments
        case "ReplicaSet": return replicaSets
        case "ConfigMap": return configMaps
        case "Secret": return secrets
        case "ServiceAccount": return serviceAccounts
        case "PodDisruptionBudget": return podDisruptionBudgets
        case "Event": return events
        case "Namespace": return namespaces
        case "Node": return nodes
        case "PersistentVolumeClaim": return persistentVolumeClaims
        case "PersistentVolume": return persistentVolumes
        case "Lease": return leases
        case "ControllerRevision": return controllerRevisions
        default: return generic
        }
    }

    // MARK: - Helpers

    static func name(_ object: JSONValue) -> JSONValue { object[path: ["metadata", "name"]] ?? "" }
    static func string(_ object: JSONValue, _ path: String...) -> String { object[path: path]?.stringValue ?? "" }
    static func int(_ object: JSONValue, _ path: String...) -> JSONValue { .int(object[path: path]?.intValue ?? 0) }
    static func age(_ object: JSONValue, _ now: String) -> JSONValue {
        .string(HumanTime.age(of: object[path: ["metadata", "creationTimestamp"]], now: now))
    }
    static func orNone(_ text: String) -> String { text.isEmpty ? "<none>" : text }
    /// `labels.FormatLabels`: sorted `k=v` pairs, `<none>` when empty.
    static func formatLabels(_ value: JSONValue?) -> String {
        let members = value?.objectValue ?? [:]
        return orNone(members.keys.sorted().map { "\($0)=\(members[$0]?.stringValue ?? "")" }.joined(separator: ","))
    }
    /// An `IntOrString` as `intstr.String()` prints it.
    static func intOrString(_ value: JSONValue?) -> String? {
        switch value {
        case .int(let number): return String(number)
        case .string(let text): return text
        default: return nil
        }
    }
    static func podTemplateContainers(_ spec: JSONValue?) -> (names: String, images: String) {
        let containers = spec?[path: ["template", "spec", "containers"]]?.arrayValue ?? []
        return (containers.map { $0["name"]?.stringValue ?? "" }.joined(separator: ","),
                containers.map { $0["image"]?.stringValue ?? "" }.joined(separator: ","))
    }

    // MARK: - Printers

    static let generic = Printer(columns: [name, column("Created At", TableConverter.creationTimestampDescription, type: "date")]) { object, _ in
        // The default table convertor prints the timestamp itself, in UTC RFC 3339.
        let created = object[path: ["metadata", "creationTimestamp"]]?.stringValue ?? ""
        let text = HumanTime.parse(created).map { RFC3339.seconds(Date(timeIntervalSince1970: $0)) } ?? created
        return ([name(object), .string(text)], nil)
    }

    static let services = Printer(columns: [
        name, column("Type", "type determines how the Service is exposed."),
        column("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
        column("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
        column("Port(s)", "The list of ports that are exposed by this service."), age,
        column("Selector", "Route service traffic to pods with label keys and values matching this selector.", priority: 1),
    ]) { object, now in
        let spec = object["spec"] ?? [:]
        let type = spec["type"]?.stringValue ?? "ClusterIP"
        let clusterIP = spec["clusterIPs"]?.arrayValue?.first?.stringValue ?? spec["clusterIP"]?.stringValue ?? ""
        let externalIPs = (spec["externalIPs"]?.arrayValue ?? []).compactMap(\.stringValue)
        var external: String
        switch type {
        case "ExternalName": external = spec["externalName"]?.stringValue ?? ""
        case "LoadBalancer":
            let ingress = (object[path: ["status", "loadBalancer", "ingress"]]?.arrayValue ?? []).compactMap {
                $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue
            }
            external = (ingress + externalIPs).joined(separator: ",")
            if external.isEmpty { external = "<pending>" }
        default: external = orNone(externalIPs.joined(separator: ","))
        }
        let ports = (spec["ports"]?.arrayValue ?? []).map { port -> String in
            let number = port["port"]?.intValue ?? 0
            let proto = port["protocol"]?.stringValue ?? "TCP"
            if let nodePort = port["nodePort"]?.intValue, nodePort != 0 { return "\(number):\(nodePort)/\(proto)" }
            return "\(number)/\(proto)"
        }.joined(separator: ",")
        return ([name(object), .string(type), .string(orNone(clusterIP)), .string(external), .string(ports), age(object, now),
                 .string(formatLabels(spec["selector"]))], nil)
    }

    static let statefulSets = Printer(columns: [
        name, column("Ready", "Number of the pod with ready state"), age,
        column("Containers", "Names of each container in the template.", priority: 1),
        column("Images", "Images referenced by each container in the template.", priority: 1),
    ]) { object, now in
        let containers = podTemplateContainers(object["spec"])
        let ready = object[path: ["status", "readyReplicas"]]?.intValue ?? 0
        let desired = object[path: ["spec", "replicas"]]?.intValue ?? 1
        return ([name(object), .string("\(ready)/\(desired)"), age(object, now), .string(containers.names), .string(containers.images)], nil)
    }

    static let deployments = Printer(columns: [
        name, column("Ready", "Number of the pod with ready state"),
        column("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec.", type: "integer"),
        column("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.", type: "integer"),
        age, column("Containers", "Names of each container in the template.", priority: 1),
        column("Images", "Images referenced by each container in the template.", priority: 1),
        column("Selector", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", priority: 1),
    ]) { object, now in
        let containers = podTemplateContainers(object["spec"])
        let ready = object[path: ["status", "readyReplicas"]]?.intValue ?? 0
        let desired = object[path: ["spec", "replicas"]]?.intValue ?? 1
        let selector = ((try? LabelSelector(selector: object[path: ["spec", "selector"]]))?.description).map(orNone) ?? "<none>"
        return ([name(object), .string("\(ready)/\(desired)"), int(object, "status", "updatedReplicas"), int(object, "status", "availableReplicas"),
                 age(object, now), .string(containers.names), .string(containers.images), .string(selector)], nil)
    }

    /// `printReplicaSet` (pkg/printers/internalversion/printers.go).
    static let replicaSets = Printer(columns: [
        name, column("Desired", "Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.", type: "integer"),
        column("Current", "Most recently observed number of replicas.", type: "integer"),
        column("Ready", "The number of ready replicas for this replica set.", type: "integer"), age,
        column("Containers", "Names of each container in the template.", priority: 1),
        column("Images", "Images referenced by each container in the template.", priority: 1),
        column("Selector", "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels.", priority: 1),
    ]) { object, now in
        let containers = podTemplateContainers(object["spec"])
        let selector = ((try? LabelSelector(selector: object[path: ["spec", "selector"]]))?.description).map(orNone) ?? "<none>"
        return ([name(object), .int(object[path: ["spec", "replicas"]]?.intValue ?? 1), int(object, "status", "replicas"),
                 int(object, "status", "readyReplicas"), age(object, now), .string(containers.names), .string(containers.images),
                 .string(selector)], nil)
    }

    static let configMaps = Printer(columns: [name, column("Data", "Number of data entries in the ConfigMap", type: "integer"), age]) { object, now in
        let count = (object["data"]?.objectValue?.count ?? 0) + (object["binaryData"]?.objectValue?.count ?? 0)
        return ([name(object), .int(Int64(count)), age(object, now)], nil)
    }

    static let secrets = Printer(columns: [name, column("Type", "The type of secret"), column("Data", "Number of data entries in the Secret", type: "integer"), age]) { object, now in
        let count = (object["data"]?.objectValue?.count ?? 0) + (object["stringData"]?.objectValue?.count ?? 0)
        return ([name(object), .string(object["type"]?.stringValue ?? "Opaque"), .int(Int64(count)), age(object, now)], nil)
    }

    static let serviceAccounts = Printer(columns: [name, column("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.", type: "integer"), age]) { object, now in
        ([name(object), .int(Int64(object["secrets"]?.arrayValue?.count ?? 0)), age(object, now)], nil)
    }

    static let podDisruptionBudgets = Printer(columns: [
        name, column("Min Available", "The minimum number of pods that must be available simultaneously. This can be either an integer or a string specifying a percentage, e.g. \"28%\"."),
        column("Max Unavailable", "The maximum number of pods that may be unavailable simultaneously. This can be either an integer or a string specifying a percentage, e.g. \"28%\"."),
        column("Allowed Disruptions", "Calculated number of Pods that may be disrupted at this time.", type: "integer"), age,
    ]) { object, now in
        let spec = object["spec"] ?? [:]
        return ([name(object), .string(intOrString(spec["minAvailable"]) ?? "N/A"), .string(intOrString(spec["maxUnavailable"]) ?? "N/A"),
                 int(object, "status", "disruptionsAllowed"), age(object, now)], nil)
    }

    static let namespaces = Printer(columns: [name, column("Status", "The status of the namespace"), age]) { object, now in
        ([name(object), .string(string(object, "status", "phase")), age(object, now)], nil)
    }

    static let leases = Printer(columns: [name, column("Holder", "The holder of the lease"), age]) { object, now in
        ([name(object), .string(string(object, "spec", "holderIdentity")), age(object, now)], nil)
    }

    static let controllerRevisions = Printer(columns: [
        name, column("Controller", "Controller of the object"), column("Revision", "Revision indicates the revision of the state represented by Data.", type: "integer"), age,
    ]) { object, now in
        var controller = "<none>"
        if let owner = object[path: ["metadata", "ownerReferences"]]?.arrayValue?.first(where: { $0["controller"]?.boolValue == true }) {
            let apiVersion = owner["apiVersion"]?.stringValue ?? ""
            let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
            let kind = (owner["kind"]?.stringValue ?? "").lowercased()
            controller = "\(group.isEmpty ? kind : "\(kind).\(group)")/\(owner["name"]?.stringValue ?? "")"
        }
        return ([name(object), .string(controller), int(object, "revision"), age(object, now)], nil)
    }
}
