import Foundation
import KubeModel
@testable import KubeSim

/// Builders and steps shared by the controller tests: they play the kubelet's part by
/// writing pod status themselves.
struct MissingObject: Error { var name: String }

enum SimFixtures {
    /// A StatefulSet `name` whose pods carry `app: name`.
    static func statefulSet(_ name: String, replicas: Int = 3, podManagement: String = "OrderedReady",
                            strategy: JSONValue = ["type": "RollingUpdate"], claims: Bool = true,
                            retention: JSONValue? = nil, image: String = "zookeeper:3.9.4") -> JSONValue {
        var spec: JSONValue = [
            "replicas": .int(Int64(replicas)), "serviceName": .string("\(name)-headless"), "podManagementPolicy": .string(podManagement),
            "updateStrategy": strategy,
            "selector": ["matchLabels": ["app": .string(name)]],
            "template": ["metadata": ["labels": ["app": .string(name)]],
                         "spec": ["containers": [["name": "main", "image": .string(image)]]]],
        ]
        if claims {
            spec["volumeClaimTemplates"] = [["metadata": ["name": "data"],
                                             "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]]]]
        }
        if let retention { spec["persistentVolumeClaimRetentionPolicy"] = retention }
        return ["apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ["name": .string(name), "namespace": "default"], "spec": spec]
    }

    static func pod(_ server: APIServer, _ name: String) -> JSONValue? {
        try? server.storage.get(.pods, namespace: "default", name: name)
    }

    static func podNames(_ server: APIServer, app: String) -> [String] {
        ((try? server.storage.list(.pods, namespace: "default", labelSelector: "app=\(app)")) ?? [])
            .compactMap { $0[path: ["metadata", "name"]]?.stringValue }.sorted()
    }

    static func claimNames(_ server: APIServer) -> [String] {
        ((try? server.storage.list(.persistentVolumeClaims, namespace: "default")) ?? [])
            .compactMap { $0[path: ["metadata", "name"]]?.stringValue }.sorted()
    }

    static func set(_ server: APIServer, _ name: String) -> JSONValue? {
        try? server.storage.get(.statefulSets, namespace: "default", name: name)
    }

    static func uid(_ object: JSONValue?) -> String? { object?[path: ["metadata", "uid"]]?.stringValue }

    static func revisionLabel(_ pod: JSONValue?) -> String? { pod?[path: ["metadata", "labels", "controller-revision-hash"]]?.stringValue }

    /// What a kubelet reports for a started pod: Running, and Ready as asked.
    static func markRunning(_ server: APIServer, _ name: String, ready: Bool = true) throws {
        guard var pod = pod(server, name) else { throw MissingObject(name: name) }
        pod["status"] = ["phase": "Running", "podIP": "127.0.0.9",
                         "conditions": [["type": "Ready", "status": ready ? "True" : "False", "lastTransitionTime": .string(APIServer.timestamp())],
                                        ["type": "ContainersReady", "status": ready ? "True" : "False"]]]
        _ = try server.storage.update(.pods, pod, subresource: "status")
    }

    static func markFailed(_ server: APIServer, _ name: String) throws {
        guard var pod = pod(server, name) else { return }
        pod["status"] = ["phase": "Failed", "reason": "Error"]
        _ = try server.storage.update(.pods, pod, subresource: "status")
    }

    /// Sets a pod's node, so that deleting it is graceful (it stays Terminating until a zero-grace delete).
    static func place(_ server: APIServer, _ name: String, on node: String = "node-a") throws {
        _ = try server.storage.patch(.pods, namespace: "default", name: name, mergePatch: ["spec": ["nodeName": .string(node)]])
    }

    /// Changes the pod template (a new revision).
    /// Read, modify, write, retried on 409 as clients do: the controller writes the
    /// StatefulSet's status meanwhile.
    static func changeTemplate(_ server: APIServer, _ name: String, image: String) throws {
        for attempt in 1... {
            guard var set = set(server, name) else { return }
            set[path: ["spec", "template", "spec", "containers"]] = [["name": "main", "image": .string(image)]]
            do {
                _ = try server.storage.update(.statefulSets, set)
                return
            } catch let status as Status where status.code == 409 && attempt < 20 {
                continue
            }
        }
    }

    static func scale(_ server: APIServer, _ name: String, to replicas: Int) throws {
        _ = try server.storage.patch(.statefulSets, namespace: "default", name: name,
                                     mergePatch: ["spec": ["replicas": .int(Int64(replicas))]], subresource: "scale")
    }

    /// Lets every pass scheduled so far run (the controllers react to commits asynchronously).
    static func settle(_ server: APIServer) {
        for _ in 0..<3 { server.controllers.drain() }
    }
}
