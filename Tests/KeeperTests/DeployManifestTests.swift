import Controller
import Foundation
import Testing
@testable import Keeper
import KubeModel
import YAML

/// Keeps `deploy/` honest: the ClusterRole grants exactly what Keeper uses, and the
/// examples are valid ZookeeperClusters.
@Suite struct DeployManifestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func documents(_ path: String) throws -> [JSONValue] {
        try YAML.parseAll(String(contentsOf: root.appendingPathComponent(path), encoding: .utf8))
    }

    @Test func theClusterRoleGrantsExactlyKeepersPermissions() throws {
        let role = try #require(try Self.documents("deploy/01-rbac.yaml").first { $0["kind"] == "ClusterRole" })
        #expect(role == KeeperPermissions.clusterRole())
    }

    @Test func everyWriteOfAReconcileIsPermitted() async throws {
        // Run the scenarios that write the most, then map each write to its RBAC verb.
        let fake = FakeCluster()
        let reconciler = ZookeeperClusterReconciler(caches: fake.caches, api: fake, events: EventRecorder(sink: fake, component: "keeper", log: { _ in }),
                                                    prober: FakeProber(roles: [:]), statusQuietPeriod: 0, now: { Fixtures.now })
        let key = ObjectKey(namespace: "default", name: "zk")
        fake.deliver(Fixtures.cluster())
        _ = try await reconciler.reconcile(key)
        fake.deliver(Fixtures.cluster(spec: ZookeeperClusterSpec(image: "zookeeper"), generation: 2))
        _ = try await reconciler.reconcile(key)
        let used = Set(fake.writes.map { write -> String in
            switch write.verb {
            case "apply", "mergePatch": return "patch \(write.kind)"
            case "create": return "create \(write.kind)"
            case "evict": return "create Pod/eviction"
            default: return "update ZookeeperCluster/status"
            }
        } + (fake.events.isEmpty ? [] : ["create Event"]))
        let kinds: [String: ResourceType] = ["Service": .services, "ConfigMap": .configMaps, "StatefulSet": .statefulSets,
                                             "PodDisruptionBudget": .podDisruptionBudgets, "ZookeeperCluster": .zookeeperClusters, "Event": .events,
                                             "Secret": .secrets, "Pod": .pods]
        for entry in used {
            let parts = entry.split(separator: " ")
            let verb = String(parts[0])
            let target = parts[1].split(separator: "/")
            let type = try #require(kinds[String(target[0])])
            let resource = target.count > 1 ? "\(type.plural)/\(target[1])" : type.plural
            #expect(KeeperPermissions.rules.contains { $0.group == type.group && $0.resource == resource && $0.verbs.contains(verb) }, "\(entry)")
        }
        #expect(used.count == 7)
    }

    @Test func theExamplesAreValidClusters() throws {
        for path in ["deploy/examples/minimal.yaml", "deploy/examples/production.yaml"] {
            let document = try #require(try Self.documents(path).first)
            #expect(document["kind"] == "ZookeeperCluster")
            var cluster = try document.decode(as: ZookeeperCluster.self)
            cluster.metadata.uid = "u"
            #expect(SpecValidator.validate(cluster) == [], "\(path)")
            // Every built child encodes (the builders accept the example).
            _ = try JSONValue(encoding: StatefulSetBuilder.build(cluster))
        }
    }

    @Test func theOperatorRunsLockedDown() throws {
        let deployment = try #require(try Self.documents("deploy/02-deployment.yaml").first)
        let pod = try #require(deployment[path: ["spec", "template", "spec"]])
        let container = try #require(pod["containers"]?.arrayValue?.first)
        #expect(pod[path: ["securityContext", "runAsNonRoot"]] == true)
        #expect(container[path: ["securityContext", "readOnlyRootFilesystem"]] == true)
        #expect(container[path: ["securityContext", "allowPrivilegeEscalation"]] == false)
        #expect(container[path: ["livenessProbe", "httpGet", "path"]] == "/healthz")
        #expect(container[path: ["readinessProbe", "httpGet", "path"]] == "/readyz")
        let caMount = try #require(container["volumeMounts"]?.arrayValue?.first { $0["name"] == "cluster-ca" })
        #expect(caMount["mountPath"] == "/etc/ssl/certs/ca-certificates.crt")
        #expect(caMount["subPath"] == "ca.crt")
        #expect(pod["serviceAccountName"] == "keeper")
        // Two replicas, one active; the image is the one deploy/Dockerfile builds.
        #expect(deployment[path: ["spec", "replicas"]] == 2)
        #expect(container["args"]?.arrayValue?.contains("--leader-elect") == true)
        #expect(container["image"]?.stringValue?.hasPrefix("keeper:") == true)
        let dockerfile = try String(contentsOf: Self.root.appendingPathComponent("deploy/Dockerfile"), encoding: .utf8)
        #expect(dockerfile.contains("ENTRYPOINT [\"/usr/local/bin/keeper\"]") && dockerfile.contains("USER 65532:65532"))
        #expect(pod[path: ["securityContext", "runAsUser"]] == 65532)
        let namespace = try #require(try Self.documents("deploy/00-namespace.yaml").first)
        #expect(namespace[path: ["metadata", "labels", "pod-security.kubernetes.io/enforce"]] == "restricted")
    }
}
