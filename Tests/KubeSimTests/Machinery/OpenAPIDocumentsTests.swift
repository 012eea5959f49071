import Foundation
import KubeModel
import Testing
@testable import KubeSim

@Suite struct OpenAPIDocumentsTests {
    let zkType = ResourceType(group: "keeper.dev", version: "v1alpha1", kind: "ZookeeperCluster", plural: "zookeeperclusters", namespaced: true)
    let zkSchema: JSONValue = ["type": "object", "properties": ["spec": ["type": "object", "properties": ["replicas": ["type": "integer", "minimum": 1]]]]]

    var resources: [OpenAPIDocuments.Resource] {
        [OpenAPIDocuments.Resource(type: zkType, schema: zkSchema, subresources: ["status", "scale"]),
         OpenAPIDocuments.Resource(type: .statefulSets, schema: nil, subresources: ["status", "scale"]),
         OpenAPIDocuments.Resource(type: .configMaps, schema: nil, subresources: [])]
    }

    /// What client-go's QueryParamVerifierV3 does: find a PATCH operation for the GVK and
    /// look for the parameter among its and its path's parameters.
    func supportsFieldValidation(_ document: JSONValue, group: String, version: String, kind: String) -> Bool {
        for (_, path) in document["paths"]?.objectValue ?? [:] {
            guard let patch = path["patch"], patch["x-kubernetes-group-version-kind"] == ["group": .string(group), "version": .string(version), "kind": .string(kind)] else { continue }
            let names = ((patch["parameters"]?.arrayValue ?? []) + (path["parameters"]?.arrayValue ?? [])).compactMap { $0["name"]?.stringValue }
            return names.contains("fieldValidation")
        }
        return false
    }

    @Test func indexPointsAtGroupVersionDocuments() {
        let index = OpenAPIDocuments.v3Index(groupVersions: ["v1", "apps/v1", "keeper.dev/v1alpha1"])
        #expect(index[path: ["paths", "api/v1", "serverRelativeURL"]] == "/openapi/v3/api/v1")
        #expect(index[path: ["paths", "apis/apps/v1", "serverRelativeURL"]] == "/openapi/v3/apis/apps/v1")
        let hashed = OpenAPIDocuments.v3Index(documents: ["keeper.dev/v1alpha1": ["a": 1]])
        let url = hashed[path: ["paths", "apis/keeper.dev/v1alpha1", "serverRelativeURL"]]?.stringValue ?? ""
        #expect(url.hasPrefix("/openapi/v3/apis/keeper.dev/v1alpha1?hash="))
        #expect(OpenAPIDocuments.hash(of: ["a": 1]) != OpenAPIDocuments.hash(of: ["a": 2]))
    }

    @Test func customResourceDocument() throws {
        let document = OpenAPIDocuments.v3Document(groupVersion: "keeper.dev/v1alpha1", resources: resources)
        #expect(document["openapi"] == "3.0.0")
        #expect(supportsFieldValidation(document, group: "keeper.dev", version: "v1alpha1", kind: "ZookeeperCluster"))
        #expect(!supportsFieldValidation(document, group: "apps", version: "v1", kind: "StatefulSet"))
        let paths = document["paths"]?.objectValue ?? [:]
        #expect(paths["/apis/keeper.dev/v1alpha1/namespaces/{namespace}/zookeeperclusters/{name}/scale"]?["patch"]?["x-kubernetes-group-version-kind"]
                == ["group": "autoscaling", "version": "v1", "kind": "Scale"])
        #expect(paths["/apis/keeper.dev/v1alpha1/zookeeperclusters"]?["get"] != nil)
        let schema = try #require(document[path: ["components", "schemas", "dev.keeper.v1alpha1.ZookeeperCluster"]])
        #expect(schema["x-kubernetes-group-version-kind"] == [["group": "keeper.dev", "version": "v1alpha1", "kind": "ZookeeperCluster"]])
        #expect(schema[path: ["properties", "spec", "properties", "replicas", "minimum"]] == 1)
        #expect(schema[path: ["properties", "metadata", "allOf"]] == [["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]])
        #expect(document[path: ["components", "schemas", "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]] != nil)
        let patchContent = paths["/apis/keeper.dev/v1alpha1/namespaces/{namespace}/zookeeperclusters/{name}"]?[path: ["patch", "requestBody", "content"]]?.objectValue
        #expect(patchContent?.keys.sorted() == ["application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json"])
    }

    @Test func builtInDocuments() {
        let apps = OpenAPIDocuments.v3Document(groupVersion: "apps/v1", resources: resources)
        #expect(supportsFieldValidation(apps, group: "apps", version: "v1", kind: "StatefulSet"))
        #expect(apps[path: ["components", "schemas", "io.k8s.api.apps.v1.StatefulSet", "x-kubernetes-group-version-kind"]] == [["group": "apps", "version": "v1", "kind": "StatefulSet"]])
        let core = OpenAPIDocuments.v3Document(groupVersion: "v1", resources: resources)
        #expect(supportsFieldValidation(core, group: "", version: "v1", kind: "ConfigMap"))
        #expect(core[path: ["paths", "/api/v1/namespaces/{namespace}/configmaps/{name}", "patch", "operationId"]] == "patchCoreV1NamespacedConfigMap")
    }

    @Test func swaggerDocument() {
        let document = OpenAPIDocuments.v2Document(resources: resources)
        #expect(document["swagger"] == "2.0")
        let patch = document[path: ["paths", "/apis/apps/v1/namespaces/{namespace}/statefulsets/{name}", "patch"]]
        #expect(patch?["consumes"]?.arrayValue?.contains("application/strategic-merge-patch+json") == true)
        #expect(patch?["parameters"]?.arrayValue?.contains { $0["name"] == "fieldValidation" && $0["type"] == "string" } == true)
        #expect(document[path: ["definitions", "dev.keeper.v1alpha1.ZookeeperCluster", "properties", "metadata", "$ref"]] == "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
    }
}
