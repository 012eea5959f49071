import KubeModel

extension BuiltInPrinters {
    static let events = Printer(columns: [
        column("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
        column("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
        column("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        column("Object", "The object that this event is about."),
        column("Subobject", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].", priority: 1),
        column("Source", "The component reporting this event. Should be a short machine understandable string.", priority: 1),
        column("Message", "A human-readable description of the status of this operation."),
        column("First Seen", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", priority: 1),
        column("Count", "The number of times this event has occurred.", priority: 1),
        Column(name: "Name", type: "string", format: "name", description: TableConverter.nameDescription, priority: 1, jsonPath: ""),
    ]) { object, now in
        var first = HumanTime.age(of: object["firstTimestamp"], now: now)
        if object["firstTimestamp"]?.stringValue == nil { first = HumanTime.age(of: object["eventTime"], now: now) }
        var last = object["lastTimestamp"]?.stringValue == nil ? first : HumanTime.age(of: object["lastTimestamp"], now: now)
        var count = object["count"]?.intValue ?? 0
        if let series = object["series"], series != .null {
            last = HumanTime.age(of: series["lastObservedTime"], now: now)
            count = series["count"]?.intValue ?? 0
        } else if count == 0 {
            count = 1
        }
        let involved = object["involvedObject"] ?? [:]
        let kind = (involved["kind"]?.stringValue ?? "").lowercased()
        let involvedName = involved["name"]?.stringValue ?? ""
        let target = involvedName.isEmpty ? kind : "\(kind)/\(involvedName)"
        let component = string(object, "source", "component").isEmpty ? string(object, "reportingComponent") : string(object, "source", "component")
        let host = string(object, "source", "host").isEmpty ? string(object, "reportingInstance") : string(object, "source", "host")
        let source = host.isEmpty ? component : "\(component), \(host)"
        let message = (object["message"]?.stringValue ?? "").trimmingWhitespace()
        return ([.string(last), .string(string(object, "type")), .string(string(object, "reason")), .string(target),
                 .string(involved["fieldPath"]?.stringValue ?? ""), .string(source), .string(message), .string(first), .int(count),
                 name(object)], nil)
    }

    static let nodes = Printer(columns: [
        name, column("Status", "The status of the node"), column("Roles", "The roles of the node"), age,
        column("Version", "Kubelet Version reported by the node."),
        column("Internal-IP", "List of addresses reachable to the node. Queried from cloud provider, if available.", priority: 1),
        column("External-IP", "List of addresses reachable to the node. Queried from cloud provider, if available.", priority: 1),
        column("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", priority: 1),
        column("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", priority: 1),
        column("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", priority: 1),
    ]) { object, now in
        var status = "Unknown"
        if let ready = object[path: ["status", "conditions"]]?.arrayValue?.first(where: { $0["type"]?.stringValue == "Ready" }) {
            status = ready["status"]?.stringValue == "True" ? "Ready" : "NotReady"
        }
        if object[path: ["spec", "unschedulable"]]?.boolValue == true { status += ",SchedulingDisabled" }
        var roles: [String] = []
        for key in (object[path: ["metadata", "labels"]]?.objectValue ?? [:]).keys.sorted() {
            if key.hasPrefix("node-role.kubernetes.io/") {
                let role = String(key.dropFirst("node-role.kubernetes.io/".count))
                if !role.isEmpty { roles.append(role) }
            } else if key == "kubernetes.io/role", let role = object[path: ["metadata", "labels", key]]?.stringValue, !role.isEmpty {
                roles.append(role)
            }
        }
        let addresses = object[path: ["status", "addresses"]]?.arrayValue ?? []
        func address(_ type: String) -> String {
            orNone(addresses.first { $0["type"]?.stringValue == type }?["address"]?.stringValue ?? "")
        }
        let info = object[path: ["status", "nodeInfo"]] ?? [:]
        func infoText(_ key: String) -> String { orNone(info[key]?.stringValue ?? "") }
        return ([name(object), .string(status), .string(orNone(Array(Set(roles)).sorted().joined(separator: ","))), age(object, now),
                 .string(info["kubeletVersion"]?.stringValue ?? ""), .string(address("InternalIP")), .string(address("ExternalIP")),
                 .string(infoText("osImage")), .string(infoText("kernelVersion")), .string(infoText("containerRuntimeVersion"))], nil)
    }

    /// `GetAccessModesAsString`: `RWO,ROX,RWX,RWOP`.
    static func accessModes(_ value: JSONValue?) -> String {
        let modes = Set((value?.arrayValue ?? []).compactMap(\.stringValue))
        return [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")]
            .filter { modes.contains($0.0) }.map(\.1).joined(separator: ",")
    }

    static func storageClass(_ object: JSONValue) -> String {
        if let name = object[path: ["spec", "storageClassName"]]?.stringValue { return name }
        return object[path: ["metadata", "annotations", "volume.beta.kubernetes.io/storage-class"]]?.stringValue ?? ""
    }

    static let persistentVolumeClaims = Printer(columns: [
        name, column("Status", "Phase represents the current phase of PersistentVolumeClaim."),
        column("Volume", "VolumeName is the binding reference to the PersistentVolume backing this claim."),
        column("Capacity", "Capacity represents the actual resources of the underlying volume."),
        column("Access Modes", "AccessModes contains all ways the volume can be mounted."),
        column("StorageClass", "StorageClassName is the name of the StorageClass required by the claim."),
        column("VolumeAttributesClass", "VolumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim."), age,
        column("VolumeMode", "volumeMode defines what type of volume is required by the claim.", priority: 1),
    ]) { object, now in
        var phase = string(object, "status", "phase")
        if object[path: ["metadata", "deletionTimestamp"]]?.stringValue != nil { phase = "Terminating" }
        let bound = !string(object, "spec", "volumeName").isEmpty
        let capacity = bound ? string(object, "status", "capacity", "storage") : ""
        let modes = bound ? accessModes(object[path: ["status", "accessModes"]]) : ""
        let attributesClass = string(object, "spec", "volumeAttributesClassName")
        return ([name(object), .string(phase), .string(string(object, "spec", "volumeName")), .string(capacity), .string(modes),
                 .string(storageClass(object)), .string(attributesClass.isEmpty ? "<unset>" : attributesClass), age(object, now),
                 .string(string(object, "spec", "volumeMode").isEmpty ? "<unset>" : string(object, "spec", "volumeMode"))], nil)
    }

    static let persistentVolumes = Printer(columns: [
        name, column("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
        column("Access Modes", "accessModes contains all ways the volume can be mounted."),
        column("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
        column("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
        column("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
        column("StorageClass", "storageClassName is the name of StorageClass to which this persistent volume belongs."),
        column("VolumeAttributesClass", "Name of VolumeAttributesClass to which this persistent volume belongs."),
        column("Reason", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
        age, column("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.", priority: 1),
    ]) { object, now in
        var phase = string(object, "status", "phase")
        if object[path: ["metadata", "deletionTimestamp"]]?.stringValue != nil { phase = "Terminating" }
        var claim = ""
        if let ref = object[path: ["spec", "claimRef"]], ref != .null {
            claim = "\(ref["namespace"]?.stringValue ?? "")/\(ref["name"]?.stringValue ?? "")"
        }
        let attributesClass = string(object, "spec", "volumeAttributesClassName")
        return ([name(object), .string(string(object, "spec", "capacity", "storage")), .string(accessModes(object[path: ["spec", "accessModes"]])),
                 .string(string(object, "spec", "persistentVolumeReclaimPolicy")), .string(phase), .string(claim), .string(storageClass(object)),
                 .string(attributesClass.isEmpty ? "<unset>" : attributesClass), .string(string(object, "status", "reason")), age(object, now),
                 .string(string(object, "spec", "volumeMode").isEmpty ? "<unset>" : string(object, "spec", "volumeMode"))], nil)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
