import Foundation
import Testing
@testable import Keeper
import KubeModel
import YAML

/// Keeps `deploy/` honest: the examples are valid ZookeeperClusters and the Deployment runs
/// locked down. (That the ClusterRole grants exactly what Keeper uses is asked of kube-sim:
/// `KeeperPermissionsEndToEndTests`, `KeeperRBACReplayTests`, `KeeperRBACOnKubeSimTests`.)
@Suite struct DeployManifestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func documents(_ path: String) throws -> [JSONValue] {
        try YAML.parseAll(String(contentsOf: root.appendingPathComponent(path), encoding: .utf8))
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
