import Testing
@testable import Keeper
import KubeModel

@Suite struct SpecValidatorTests {
    @Test func defaultsAreValid() {
        #expect(SpecValidator.validate(Fixtures.cluster()) == [])
    }

    @Test func aFullyUsedSpecIsValid() {
        let spec = ZookeeperClusterSpec(
            replicas: 5, image: "registry.example.com:5000/zookeeper:3.9.4@sha256:abc", config: ["tickTime": "3000", "jute.maxbuffer": "4194304"],
            storage: StorageSpec(size: "20Gi", storageClassName: "fast", retentionPolicy: ClaimRetentionPolicy(whenDeleted: "Delete", whenScaled: "Retain")),
            pod: PodPolicy(resources: ResourceRequirements(requests: ["cpu": "500m", "memory": "2Gi"], limits: ["memory": "2Gi"]), jvmHeap: "1Gi",
                           antiAffinity: "required", labels: ["team": "data"]),
            clientService: ClientServiceSpec(type: "LoadBalancer"))
        #expect(SpecValidator.validate(Fixtures.cluster(spec: spec)) == [])
    }

    @Test func ownedConfigKeysAreRefusedByName() {
        let spec = ZookeeperClusterSpec(config: ["server.1": "x:2888:3888", "dataDir": "/tmp", "tickTime": "2000", "reconfigEnabled": "false"])
        #expect(SpecValidator.validate(Fixtures.cluster(spec: spec)) == [
            "spec.config: key \"dataDir\" is managed by Keeper and cannot be set",
            "spec.config: key \"reconfigEnabled\" is managed by Keeper and cannot be set",
            "spec.config: key \"server.1\" is managed by Keeper and cannot be set",
        ])
    }

    @Test func configValuesThatWouldCorruptZooCfgAreRefused() {
        let spec = ZookeeperClusterSpec(config: ["tickTime": "two thousand", "a=b": "1", "x": "1\nserver.9=evil:1:2"])
        #expect(SpecValidator.validate(Fixtures.cluster(spec: spec)) == [
            "spec.config: key \"a=b\" is not a valid zoo.cfg key",
            "spec.config: \"tickTime\" must be a whole number (a Java int), not \"two thousand\"",
            "spec.config: value of \"x\" contains a line break",
        ])
    }

    @Test func longNamesAreRefused() {
        let name = String(repeating: "z", count: 53)
        #expect(SpecValidator.validate(Fixtures.cluster(name)).first?.hasPrefix("metadata.name: \"\(name)\" is 53 characters") == true)
        #expect(SpecValidator.validate(Fixtures.cluster(String(repeating: "z", count: 52))) == [])
        #expect(SpecValidator.validate(Fixtures.cluster("1zk")).count == 1)
    }

    @Test func imagesNeedAVersionTag() {
        #expect(SpecValidator.validate(Fixtures.cluster(spec: ZookeeperClusterSpec(image: "zookeeper"))) == [
            "spec.image: \"zookeeper\" has no tag; Keeper reads the ZooKeeper version from the tag (e.g. zookeeper:3.9.4)",
        ])
        #expect(SpecValidator.validate(Fixtures.cluster(spec: ZookeeperClusterSpec(image: "localhost:5000/zookeeper"))).count == 1)
        #expect(SpecValidator.validate(Fixtures.cluster(spec: ZookeeperClusterSpec(image: "zookeeper:latest"))).count == 1)
    }

    @Test func unparseableQuantitiesAreNamed() {
        let spec = ZookeeperClusterSpec(
            storage: StorageSpec(size: "10GB"),
            pod: PodPolicy(resources: ResourceRequirements(limits: ["memory": "lots"]), jvmHeap: "1 Gi"))
        #expect(SpecValidator.validate(Fixtures.cluster(spec: spec)) == [
            "spec.storage.size: \"10GB\" is not a quantity (e.g. 10Gi)",
            "spec.pod.resources.limits.memory: \"lots\" is not a quantity",
            "spec.pod.jvmHeap: \"1 Gi\" is not a quantity (e.g. 512Mi)",
        ])
    }

    @Test func heapMustFitTheMemoryLimit() {
        let spec = ZookeeperClusterSpec(pod: PodPolicy(resources: ResourceRequirements(limits: ["memory": "1Gi"]), jvmHeap: "1024Mi"))
        #expect(SpecValidator.validate(Fixtures.cluster(spec: spec)) == [
            "spec.pod.jvmHeap: \"1024Mi\" does not fit in the memory limit 1Gi with the 64Mi ZooKeeper uses besides its heap (the container would be OOM-killed)",
        ])
        let fits = ZookeeperClusterSpec(pod: PodPolicy(resources: ResourceRequirements(limits: ["memory": "1Gi"]), jvmHeap: "960Mi"))
        #expect(SpecValidator.validate(Fixtures.cluster(spec: fits)) == [])
    }

    @Test func aTinyMemoryLimitIsRefusedWithTheHeapItWouldGive() {
        // Issue 12: `limits: {memory: 10Ki}` rendered `-Xms0m -Xmx0m`.
        let tiny = ZookeeperClusterSpec(pod: PodPolicy(resources: ResourceRequirements(limits: ["memory": "10Ki"])))
        let problems = SpecValidator.validate(Fixtures.cluster(spec: tiny))
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("spec.pod.resources.limits.memory: \"10Ki\" is below 128Mi, the least a member runs in") == true)
        #expect(problems.first?.contains("(here 0Mi;") == true)
        for (limit, valid) in [("127Mi", false), ("128Mi", true), ("2Gi", true)] {
            let spec = ZookeeperClusterSpec(pod: PodPolicy(resources: ResourceRequirements(limits: ["memory": limit])))
            #expect(SpecValidator.validate(Fixtures.cluster(spec: spec)).isEmpty == valid, "\(limit)")
        }
        let smallHeap = ZookeeperClusterSpec(pod: PodPolicy(jvmHeap: "8Mi"))
        #expect(SpecValidator.validate(Fixtures.cluster(spec: smallHeap)).first?.hasPrefix("spec.pod.jvmHeap: \"8Mi\" is below 16Mi") == true)
    }

    @Test func replicasAboveTheLargestServerIdAreRefusedAndNeverBuilt() {
        let huge = Fixtures.cluster(spec: ZookeeperClusterSpec(replicas: 100_000))
        #expect(SpecValidator.validate(huge) == [
            "spec.replicas: 100000 is above the maximum of 255: ZooKeeper server ids are 1-255 and a member's id is its ordinal + 1",
        ])
        #expect(SpecValidator.validate(Fixtures.cluster(spec: ZookeeperClusterSpec(replicas: 255))) == [])
        // Even a spec stored before the schema's maximum never builds more than 255 members.
        #expect(StatefulSetBuilder.build(huge).spec?.replicas == 255)
        #expect(ConfigMapBuilder.build(huge).data?["zoo.cfg.dynamic"]?.split(separator: "\n").count == 255)
    }

    @Test func storageSmallerThanOneLogBlockIsRefused() {
        let small = ZookeeperClusterSpec(storage: StorageSpec(size: "64Mi"))
        #expect(SpecValidator.validate(Fixtures.cluster(spec: small)).first?.hasPrefix("spec.storage.size: \"64Mi\" is not larger than one 64Mi block") == true)
        let smallerBlocks = ZookeeperClusterSpec(config: ["preAllocSize": "16384"], storage: StorageSpec(size: "64Mi"))
        #expect(SpecValidator.validate(Fixtures.cluster(spec: smallerBlocks)) == [])
        #expect(SpecValidator.validate(Fixtures.cluster(spec: ZookeeperClusterSpec(storage: StorageSpec(size: "1Mi", ephemeral: true)))) == [])
    }

    @Test func replicasBelowOneAndUnknownEnumsAreRefused() {
        let spec = ZookeeperClusterSpec(replicas: 0, storage: StorageSpec(retentionPolicy: ClaimRetentionPolicy(whenScaled: "Keep")),
                                        pod: PodPolicy(antiAffinity: "sometimes", labels: [Labels.instance: "other"]),
                                        clientService: ClientServiceSpec(type: "ExternalName"))
        #expect(SpecValidator.validate(Fixtures.cluster(spec: spec)) == [
            "spec.replicas: 0 is below the minimum of 1",
            "spec.storage.retentionPolicy.whenScaled: \"Keep\" is not Retain or Delete",
            "spec.pod.antiAffinity: \"sometimes\" is not one of preferred, required, none",
            "spec.pod.labels: \"app.kubernetes.io/instance\" is set by Keeper and cannot be overridden",
            "spec.clientService.type: \"ExternalName\" is not one of ClusterIP, NodePort, LoadBalancer",
        ])
    }

    @Test func evenSizesAreAllowed() {
        #expect(SpecValidator.validate(Fixtures.cluster(spec: ZookeeperClusterSpec(replicas: 4))) == [])
    }

    @Test func resolvedSpecAppliesDefaults() {
        let spec = ResolvedSpec(ZookeeperClusterSpec(config: ["tickTime": "3000"], pod: PodPolicy(resources: ResourceRequirements(limits: ["memory": "2Gi"]))))
        #expect(spec.replicas == 3)
        #expect(spec.image == "zookeeper:3.9.4")
        #expect(spec.version == "3.9.4")
        #expect(spec.config["tickTime"] == "3000")
        #expect(spec.config["initLimit"] == "10")
        #expect(spec.jvmHeapMebibytes == 1024)
        #expect(spec.antiAffinity == .preferred)
        #expect(spec.whenDeleted == "Retain")
        #expect(spec.whenScaled == "Delete")
        #expect(spec.securityContext.runAsUser == 1000)
        #expect(ImageReference("host:5000/zk:3.8.4@sha256:ff").tag == "3.8.4")
        #expect(ImageReference("host:5000/zk").tag == nil)
    }
}
