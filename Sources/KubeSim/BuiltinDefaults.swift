import Foundation
import KubeModel
import Synchronization

/// The defaults kube-apiserver fills into built-in kinds (defaulting functions and create
/// strategies), limited to the fields Keeper and kubectl look at. Writing them matters:
/// a client that compares its desired object with the live one must see what a real
/// server returns.
enum BuiltinDefaults {
    private static let nextServiceIP = Atomic<Int>(1)

    /// Applied on create (after status reset) and update.
    static func apply(to object: inout JSONValue, kind: String, isCreate: Bool) {
        switch kind {
        case "Namespace":
            if let name = object[path: ["metadata", "name"]]?.stringValue {
                object[path: ["metadata", "labels", "kubernetes.io/metadata.name"]] = .string(name)
            }
            if isCreate {
                object[path: ["spec", "finalizers"]] = ["kubernetes"]
                object["status"] = ["phase": "Active"]
            }
        case "Service":
            defaultService(&object, isCreate: isCreate)
        case "Pod":
            if var spec = object["spec"] { defaultPodSpec(&spec); object["spec"] = spec }
            if isCreate && object[path: ["status", "phase"]] == nil {
                object["status"] = ["phase": "Pending", "qosClass": "BestEffort"]
            }
        case "StatefulSet":
            setIfAbsent(&object, ["spec", "replicas"], 1)
            setIfAbsent(&object, ["spec", "podManagementPolicy"], "OrderedReady")
            setIfAbsent(&object, ["spec", "updateStrategy", "type"], "RollingUpdate")
            if object[path: ["spec", "updateStrategy", "type"]] == "RollingUpdate" {
                setIfAbsent(&object, ["spec", "updateStrategy", "rollingUpdate", "partition"], 0)
            }
            setIfAbsent(&object, ["spec", "revisionHistoryLimit"], 10)
            setIfAbsent(&object, ["spec", "persistentVolumeClaimRetentionPolicy"], ["whenDeleted": "Retain", "whenScaled": "Retain"])
            if var spec = object[path: ["spec", "template", "spec"]] {
                defaultPodSpec(&spec)
                object[path: ["spec", "template", "spec"]] = spec
            }
            if let templates = object[path: ["spec", "volumeClaimTemplates"]]?.arrayValue {
                object[path: ["spec", "volumeClaimTemplates"]] = .array(templates.map { template in
                    var template = template
                    setIfAbsent(&template, ["apiVersion"], "v1")
                    setIfAbsent(&template, ["kind"], "PersistentVolumeClaim")
                    setIfAbsent(&template, ["spec", "volumeMode"], "Filesystem")
                    setIfAbsent(&template, ["status", "phase"], "Pending")
                    return template
                })
            }
            if isCreate { object["status"] = ["replicas": 0, "availableReplicas": 0] }
        case "Deployment":
            // `SetDefaults_Deployment` (pkg/apis/apps/v1/defaults.go).
            setIfAbsent(&object, ["spec", "replicas"], 1)
            setIfAbsent(&object, ["spec", "strategy", "type"], "RollingUpdate")
            if object[path: ["spec", "strategy", "type"]] == "RollingUpdate" {
                setIfAbsent(&object, ["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%")
                setIfAbsent(&object, ["spec", "strategy", "rollingUpdate", "maxSurge"], "25%")
            }
            setIfAbsent(&object, ["spec", "revisionHistoryLimit"], 10)
            setIfAbsent(&object, ["spec", "progressDeadlineSeconds"], 600)
            defaultTemplate(&object)
        case "ReplicaSet":
            setIfAbsent(&object, ["spec", "replicas"], 1)
            defaultTemplate(&object)
        case "PodDisruptionBudget":
            if isCreate { object["status"] = ["disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0] }
        case "PersistentVolumeClaim":
            setIfAbsent(&object, ["spec", "volumeMode"], "Filesystem")
            if isCreate { object["status"] = ["phase": "Pending"] }
        case "Secret":
            setIfAbsent(&object, ["type"], "Opaque")
        case "CustomResourceDefinition":
            setIfAbsent(&object, ["spec", "conversion"], ["strategy": "None"])
        default:
            break
        }
    }

    /// What the registry keeps from the old object on update before defaulting: a Service's
    /// allocated cluster IPs when the new object leaves them out (`patchAllocatedValues` in
    /// kubernetes `pkg/registry/core/service/storage/storage.go`), and `clusterIPs[0]`
    /// following an edited `clusterIP` (`normalizeClusterIPs`), so validation sees the change.
    static func keepAllocated(_ object: inout JSONValue, old: JSONValue, kind: String) {
        guard kind == "Service" else { return }
        let oldIP = old[path: ["spec", "clusterIP"]]
        let oldIPs = old[path: ["spec", "clusterIPs"]]
        if object[path: ["spec", "clusterIP"]]?.stringValue?.isEmpty ?? true { object[path: ["spec", "clusterIP"]] = oldIP }
        if (object[path: ["spec", "clusterIPs"]]?.arrayValue ?? []).isEmpty { object[path: ["spec", "clusterIPs"]] = oldIPs }
        if let ip = object[path: ["spec", "clusterIP"]], ip != oldIP, object[path: ["spec", "clusterIPs"]] == oldIPs,
           var ips = oldIPs?.arrayValue, !ips.isEmpty {
            ips[0] = ip
            object[path: ["spec", "clusterIPs"]] = .array(ips)
        }
    }

    static func setIfAbsent(_ object: inout JSONValue, _ path: [String], _ value: JSONValue) {
        if object[path: path] == nil || object[path: path] == .null { object[path: path] = value }
    }

    private static func defaultService(_ object: inout JSONValue, isCreate: Bool) {
        setIfAbsent(&object, ["spec", "type"], "ClusterIP")
        setIfAbsent(&object, ["spec", "sessionAffinity"], "None")
        setIfAbsent(&object, ["spec", "internalTrafficPolicy"], "Cluster")
        setIfAbsent(&object, ["spec", "ipFamilies"], ["IPv4"])
        setIfAbsent(&object, ["spec", "ipFamilyPolicy"], "SingleStack")
        if object[path: ["spec", "clusterIP"]]?.stringValue?.isEmpty ?? true {
            let index = nextServiceIP.add(1, ordering: .relaxed).newValue
            object[path: ["spec", "clusterIP"]] = .string("10.96.\(index / 250).\(index % 250 + 1)")
        }
        if object[path: ["spec", "clusterIPs"]] == nil, let ip = object[path: ["spec", "clusterIP"]] {
            object[path: ["spec", "clusterIPs"]] = [ip]
        }
        if let ports = object[path: ["spec", "ports"]]?.arrayValue {
            object[path: ["spec", "ports"]] = .array(ports.map { port in
                var port = port
                setIfAbsent(&port, ["protocol"], "TCP")
                if let number = port["port"] { setIfAbsent(&port, ["targetPort"], number) }
                return port
            })
        }
        if isCreate { object["status"] = ["loadBalancer": [:]] }
    }

    private static func defaultTemplate(_ object: inout JSONValue) {
        if var spec = object[path: ["spec", "template", "spec"]] {
            defaultPodSpec(&spec)
            object[path: ["spec", "template", "spec"]] = spec
        }
    }

    private static func defaultPodSpec(_ spec: inout JSONValue) {
        setIfAbsent(&spec, ["restartPolicy"], "Always")
        setIfAbsent(&spec, ["terminationGracePeriodSeconds"], 30)
        setIfAbsent(&spec, ["dnsPolicy"], "ClusterFirst")
        setIfAbsent(&spec, ["schedulerName"], "default-scheduler")
        setIfAbsent(&spec, ["securityContext"], [:])
        for field in ["containers", "initContainers"] {
            guard let containers = spec[field]?.arrayValue else { continue }
            spec[field] = .array(containers.map { container in
                var container = container
                setIfAbsent(&container, ["terminationMessagePath"], "/dev/termination-log")
                setIfAbsent(&container, ["terminationMessagePolicy"], "File")
                let image = container["image"]?.stringValue ?? ""
                let lastPart = image.split(separator: "/").last ?? ""
                let latest = !lastPart.contains(":") || image.hasSuffix(":latest")
                setIfAbsent(&container, ["imagePullPolicy"], .string(latest ? "Always" : "IfNotPresent"))
                setIfAbsent(&container, ["resources"], [:])
                if let ports = container["ports"]?.arrayValue {
                    container["ports"] = .array(ports.map { port in
                        var port = port
                        setIfAbsent(&port, ["protocol"], "TCP")
                        return port
                    })
                }
                return container
            })
        }
    }
}
