import Foundation
import Testing
@testable import Keeper
import KubeModel

@Suite struct CustomResourceDefinitionTests {
    static let committedPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("crds/keeper.dev_zookeeperclusters.yaml")

    @Test func theCommittedCRDMatchesTheSwiftDefinitions() throws {
        let generated = CustomResourceDefinition.definition()
        if ProcessInfo.processInfo.environment["KEEPER_UPDATE_CRD"] == "1" {
            try CustomResourceDefinition.rendered().write(to: Self.committedPath, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: Self.committedPath, encoding: .utf8)
        #expect(try CustomResourceDefinition.parse(committed) == generated,
                "crds/keeper.dev_zookeeperclusters.yaml is out of date: run `KEEPER_UPDATE_CRD=1 swift test --filter CustomResourceDefinitionTests` or `keeper crd > crds/keeper.dev_zookeeperclusters.yaml`")
    }

    @Test func theCRDHasSubresourcesColumnsAndNames() throws {
        let crd = CustomResourceDefinition.definition()
        #expect(crd["metadata"]?["name"] == "zookeeperclusters.keeper.dev")
        #expect(crd[path: ["spec", "names", "shortNames"]] == ["zk", "zkc"])
        let version = try #require(crd[path: ["spec", "versions"]]?.arrayValue?.first)
        #expect(version["name"] == "v1alpha1")
        #expect(version[path: ["subresources", "status"]] == [:])
        #expect(version[path: ["subresources", "scale"]] == ["specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas", "labelSelectorPath": ".status.selector"])
        #expect(version["additionalPrinterColumns"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Replicas", "Ready", "Leader", "Version", "Age"])
        let spec = try #require(version[path: ["schema", "openAPIV3Schema", "properties", "spec", "properties"]])
        #expect(spec[path: ["replicas", "minimum"]] == 1)
        #expect(spec[path: ["replicas", "default"]] == 3)
        #expect(spec[path: ["image", "default"]] == "zookeeper:3.9.4")
        #expect(spec[path: ["pod", "properties", "antiAffinity", "enum"]] == ["preferred", "required", "none"])
    }

    @Test func everySpecFieldIsInTheSchema() throws {
        // A spec with every field set, encoded: each key must appear in the schema, so the
        // API server does not prune what the Swift type carries.
        let spec = ZookeeperClusterSpec(replicas: 1, image: "i:1", imagePullPolicy: "Always", config: ["a": "b"],
                                        storage: StorageSpec(size: "1Gi", storageClassName: "s", ephemeral: false, retentionPolicy: ClaimRetentionPolicy(whenDeleted: "Retain", whenScaled: "Retain")),
                                        pod: PodPolicy(resources: ResourceRequirements(requests: ["cpu": "1"], limits: ["cpu": "1"]), jvmHeap: "1Gi", nodeSelector: ["a": "b"],
                                                       tolerations: [Toleration(key: "k")], antiAffinity: "none", topologySpreadConstraints: [TopologySpreadConstraint(maxSkew: 1)],
                                                       labels: ["a": "b"], annotations: ["a": "b"], priorityClassName: "p", securityContext: PodSecurityContext(runAsUser: 1),
                                                       serviceAccountName: "sa", terminationGracePeriodSeconds: 1),
                                        clientService: ClientServiceSpec(type: "ClusterIP", annotations: ["a": "b"]))
        let schema = try #require(CustomResourceDefinition.definition()[path: ["spec", "versions"]]?.arrayValue?.first?[path: ["schema", "openAPIV3Schema", "properties", "spec"]])
        var missing: [String] = []
        func check(_ value: JSONValue, _ schema: JSONValue, _ path: String) {
            if schema["x-kubernetes-preserve-unknown-fields"] == true || schema["additionalProperties"] != nil { return }
            switch value {
            case .object(let members):
                for (key, child) in members {
                    guard let childSchema = schema["properties"]?[key] else { missing.append(path + "." + key); continue }
                    check(child, childSchema, path + "." + key)
                }
            case .array(let elements):
                for element in elements { check(element, schema["items"] ?? [:], path + "[]") }
            default: break
            }
        }
        check(try JSONValue(encoding: spec), schema, "spec")
        #expect(missing == [])
    }
}
