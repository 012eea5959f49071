import KubeModel

/// A small CRD of the tests' own (Keeper's real CRD comes from elsewhere): status and scale
/// subresources, printer columns, a schema with a minimum and a default.
enum TestCRD {
    static let group = "test.kube-sim.dev"
    static let type = ResourceType(group: group, version: "v1alpha1", kind: "ZookeeperCluster", plural: "zookeeperclusters", namespaced: true)

    static let yaml = """
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: zookeeperclusters.test.kube-sim.dev
    spec:
      group: test.kube-sim.dev
      names:
        kind: ZookeeperCluster
        listKind: ZookeeperClusterList
        plural: zookeeperclusters
        singular: zookeepercluster
        shortNames: [zkc]
      scope: Namespaced
      versions:
      - name: v1alpha1
        served: true
        storage: true
        subresources:
          status: {}
          scale:
            specReplicasPath: .spec.replicas
            statusReplicasPath: .status.replicas
            labelSelectorPath: .status.selector
        additionalPrinterColumns:
        - name: Replicas
          type: integer
          jsonPath: .spec.replicas
        - name: Image
          type: string
          jsonPath: .spec.image
        - name: Age
          type: date
          jsonPath: .metadata.creationTimestamp
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                required: [image]
                properties:
                  replicas:
                    type: integer
                    minimum: 1
                    default: 3
                  image:
                    type: string
              status:
                type: object
                properties:
                  replicas:
                    type: integer
                  selector:
                    type: string

    """

    static var definition: JSONValue {
        ["apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
         "metadata": ["name": "zookeeperclusters.test.kube-sim.dev"],
         "spec": [
            "group": .string(group), "scope": "Namespaced",
            "names": ["kind": "ZookeeperCluster", "listKind": "ZookeeperClusterList", "plural": "zookeeperclusters", "singular": "zookeepercluster", "shortNames": ["zkc"]],
            "versions": [[
                "name": "v1alpha1", "served": true, "storage": true,
                "subresources": ["status": [:], "scale": ["specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas", "labelSelectorPath": ".status.selector"]],
                "additionalPrinterColumns": [
                    ["name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"],
                    ["name": "Image", "type": "string", "jsonPath": ".spec.image"],
                    ["name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"],
                ],
                "schema": ["openAPIV3Schema": [
                    "type": "object",
                    "properties": [
                        "spec": ["type": "object", "required": ["image"], "properties": [
                            "replicas": ["type": "integer", "minimum": 1, "default": 3],
                            "image": ["type": "string"],
                        ]],
                        "status": ["type": "object", "properties": ["replicas": ["type": "integer"], "selector": ["type": "string"]]],
                    ],
                ]],
            ]],
         ]]
    }

    static func instance(_ name: String, replicas: Int64? = nil) -> JSONValue {
        var object: JSONValue = ["apiVersion": "test.kube-sim.dev/v1alpha1", "kind": "ZookeeperCluster",
                                 "metadata": ["name": .string(name), "namespace": "default"], "spec": ["image": "zookeeper:3.9.4"]]
        if let replicas { object[path: ["spec", "replicas"]] = .int(replicas) }
        return object
    }
}
