import Foundation
import Testing
@testable import Keeper
import KubeClient
import KubeModel
import KubeSim

/// Specs ZooKeeper cannot run, applied as a user would (kube-sim's API server with the real
/// CRD and Keeper running): each is refused at admission with the API server's 422, or gets
/// `Degraded=True InvalidSpec` with the reason, a Warning Event, and no child at all.
@Suite(.serialized) struct BadSpecOnKubeSimTests {
    typealias Harness = OperatorOnKubeSimTests.Harness

    enum Outcome: Sendable {
        /// The create answers 422 with a message containing this.
        case refusedAtAdmission(String)
        /// The cluster is stored; Degraded's message contains this.
        case invalidSpec(String)
    }

    struct Row: CustomStringConvertible, Sendable {
        var name: String
        var spec: JSONValue
        var outcome: Outcome
        var description: String { name }
    }

    static let rows: [Row] = [
        // The rows of issue 12.
        Row(name: "big", spec: ["replicas": 100_000],
            outcome: .refusedAtAdmission("spec.replicas: Invalid value: 100000: spec.replicas in body should be less than or equal to 255")),
        Row(name: "tiny-memory", spec: ["pod": ["resources": ["limits": ["memory": "10Ki"]]]],
            outcome: .invalidSpec("spec.pod.resources.limits.memory: \"10Ki\" is below 128Mi, the least a member runs in")),
        Row(name: "skip-acl", spec: ["config": ["skipACL": "yes"]],
            outcome: .invalidSpec("spec.config: key \"skipACL\" is refused: ZooKeeper turns it into the system property zookeeper.skipACL")),
        Row(name: "line-break", spec: ["config": ["maxClientCnxns": "60\nserver.9=evil:2888:3888"]],
            outcome: .invalidSpec("spec.config: value of \"maxClientCnxns\" contains a line break")),
        Row(name: "negative", spec: ["replicas": -1],
            outcome: .refusedAtAdmission("spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 1")),
        Row(name: "words", spec: ["replicas": "three"], outcome: .refusedAtAdmission("spec.replicas in body must be of type integer")),
        Row(name: "no-tag", spec: ["image": "zookeeper"], outcome: .invalidSpec("spec.image: \"zookeeper\" has no tag")),
        // What ZooKeeper's config parsing and the JVM add.
        Row(name: "skip-acl-property", spec: ["config": ["zookeeper.skipACL": "yes"]],
            outcome: .invalidSpec("spec.config: key \"zookeeper.skipACL\" is the system-property form of \"skipACL\"")),
        Row(name: "owned-property", spec: ["config": ["zookeeper.4lw.commands.whitelist": "*"]],
            outcome: .invalidSpec("is the system-property form of \"4lw.commands.whitelist\"")),
        Row(name: "owned-key", spec: ["config": ["clientPort": "2182"]], outcome: .invalidSpec("spec.config: key \"clientPort\" is managed by Keeper")),
        Row(name: "port-range", spec: ["config": ["admin.serverPort": "70000"]],
            outcome: .invalidSpec("spec.config: \"admin.serverPort\" must be a port between 1 and 65535")),
        Row(name: "port-taken", spec: ["config": ["secureClientPort": "2181"]],
            outcome: .invalidSpec("spec.config: \"secureClientPort\" is 2181, a port members already listen on")),
        Row(name: "tick-zero", spec: ["config": ["tickTime": "0"]], outcome: .invalidSpec("spec.config: \"tickTime\" must be at least 1, not 0")),
        Row(name: "init-zero", spec: ["config": ["initLimit": "0"]], outcome: .invalidSpec("spec.config: \"initLimit\" must be at least 1, not 0")),
        Row(name: "sync-negative", spec: ["config": ["syncLimit": "-5"]], outcome: .invalidSpec("spec.config: \"syncLimit\" must be at least 1, not -5")),
        Row(name: "timeout-overflow", spec: ["config": ["tickTime": "300000000"]],
            outcome: .invalidSpec("spec.config: tickTime × initLimit (300000000 × 10 ms) exceeds 2147483647")),
        Row(name: "not-an-int", spec: ["config": ["maxClientCnxns": "3000000000"]], outcome: .invalidSpec("must be a whole number (a Java int)")),
        Row(name: "sessions", spec: ["config": ["minSessionTimeout": "60000"]],
            outcome: .invalidSpec("spec.config: minSessionTimeout (60000 ms) is larger than maxSessionTimeout (40000 ms)")),
        Row(name: "boolean", spec: ["config": ["syncEnabled": "yes"]], outcome: .invalidSpec("spec.config: \"syncEnabled\" must be true or false")),
        Row(name: "election", spec: ["config": ["electionAlg": "0"]], outcome: .invalidSpec("spec.config: \"electionAlg\" must be 3")),
        Row(name: "colon-key", spec: ["config": ["a:b": "1"]], outcome: .invalidSpec("spec.config: key \"a:b\" is not a valid zoo.cfg key")),
        Row(name: "small-heap", spec: ["pod": ["jvmHeap": "8Mi"]], outcome: .invalidSpec("spec.pod.jvmHeap: \"8Mi\" is below 16Mi")),
        Row(name: "heap-no-room", spec: ["pod": ["jvmHeap": "1Gi", "resources": ["limits": ["memory": "1Gi"]]]],
            outcome: .invalidSpec("spec.pod.jvmHeap: \"1Gi\" does not fit in the memory limit 1Gi")),
        Row(name: "tiny-volume", spec: ["storage": ["size": "10Mi"]], outcome: .invalidSpec("spec.storage.size: \"10Mi\" is not larger than one 64Mi block")),
        Row(name: "zero-volume", spec: ["storage": ["size": "0"]], outcome: .invalidSpec("spec.storage.size: \"0\" must be greater than zero")),
        Row(name: "a-name-longer-than-fifty-two-characters-is-refused-here", spec: [:], outcome: .invalidSpec("is 55 characters")),
        Row(name: "negative-grace", spec: ["pod": ["terminationGracePeriodSeconds": -1]],
            outcome: .refusedAtAdmission("spec.pod.terminationGracePeriodSeconds in body should be greater than or equal to 0")),
    ]

    @Test func everyBadSpecIsRefusedOrDegradedWithNoChildren() async throws {
        let harness = try await Harness.start()
        defer { harness.stop() }
        let (_, running) = try harness.startOperator()
        defer { running.cancel() }
        var stored: [Row] = []
        for row in Self.rows {
            let object: JSONValue = ["apiVersion": "keeper.dev/v1alpha1", "kind": "ZookeeperCluster",
                                     "metadata": ["name": .string(row.name), "namespace": "default"], "spec": row.spec]
            switch row.outcome {
            case .refusedAtAdmission(let text):
                do {
                    _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: object)
                    Issue.record("\(row.name): the API server accepted it")
                } catch let error as KubeError {
                    #expect(error.isInvalid, "\(row.name): \(error)")
                    #expect(error.status?.message?.contains(text) == true, "\(row.name): \(error)")
                }
            case .invalidSpec:
                _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: object)
                stored.append(row)
            }
        }
        for row in stored {
            guard case .invalidSpec(let text) = row.outcome else { continue }
            try await OperatorOnKubeSimTests.waitUntil("\(row.name) is Degraded with InvalidSpec") {
                try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: row.name).status?.condition("Degraded")?.reason == "InvalidSpec"
            }
            let status = try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: row.name).status
            let degraded = try #require(status?.condition("Degraded"))
            #expect(degraded.status == "True", "\(row.name)")
            #expect(degraded.message.contains(text), "\(row.name): \(degraded.message)")
            #expect(status?.condition("Progressing")?.reason == "InvalidSpec", "\(row.name)")
            try await OperatorOnKubeSimTests.waitUntil("a Warning Event for \(row.name)") {
                try await harness.client.list(Event.self, namespace: "default").items.contains {
                    $0.type == "Warning" && $0.reason == "InvalidSpec" && $0.involvedObject?.name == row.name && $0.message == degraded.message
                }
            }
        }
        // No child of any of them: neither of the five kinds, nor a pod.
        let names = Set(Self.rows.map(\.name))
        let statefulSets = try await harness.client.list(StatefulSet.self, namespace: "default").items.map(\.name)
        let configMaps = try await harness.client.list(ConfigMap.self, namespace: "default").items.map(\.name)
        let services = try await harness.client.list(Service.self, namespace: "default").items.map(\.name)
        let budgets = try await harness.client.list(PodDisruptionBudget.self, namespace: "default").items.map(\.name)
        #expect(statefulSets.isEmpty && budgets.isEmpty, "\(statefulSets) \(budgets)")
        #expect(!configMaps.contains { name in names.contains { name.hasPrefix($0) } }, "\(configMaps)")
        #expect(!services.contains { name in names.contains { name.hasPrefix($0) } }, "\(services)")
        #expect(try await harness.client.list(Pod.self, namespace: "default").items.isEmpty)
    }

    @Test func scalingPastTheLargestServerIdIsRefusedAndTheStatefulSetKeepsItsSize() async throws {
        let harness = try await Harness.start()
        defer { harness.stop() }
        let (_, running) = try harness.startOperator()
        defer { running.cancel() }
        _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: OperatorOnKubeSimTests.minimal)
        try await OperatorOnKubeSimTests.waitUntil("the StatefulSet exists") {
            (try? await harness.client.get(StatefulSet.self, namespace: "default", name: "zk")) != nil
        }
        let answer = try harness.kubectl("scale", "zk/zk", "--replicas=100000")
        #expect(answer.contains("should be less than or equal to 255"), "\(answer)")
        #expect(try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "zk").spec.replicas == 3)
        #expect(try await harness.client.get(StatefulSet.self, namespace: "default", name: "zk").spec?.replicas == 3)
    }

    @Test func podsTheControllerCannotCreateGetAStatusSayingSoBeforeTheSettlingHoldEnds() async throws {
        let harness = try await Harness.start()
        defer { harness.stop() }
        // A pod named like member 1 that the StatefulSet does not own: the controller's create
        // of `stuck-1` fails with AlreadyExists on every sync, so one of three pods exists.
        _ = try await harness.client.create(.pods, namespace: "default", object: [
            "metadata": ["name": "stuck-1"], "spec": ["containers": [["name": "c", "image": "busybox:1.36"]]],
        ])
        let (_, running) = try harness.startOperator()
        defer { running.cancel() }
        var object = OperatorOnKubeSimTests.minimal
        object[path: ["metadata", "name"]] = "stuck"
        _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: object)
        // Well before the 15 s hold for a StatefulSet controller that has yet to act.
        try await OperatorOnKubeSimTests.waitUntil("a status says what Keeper waits for", timeout: .seconds(10)) {
            let reason = try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "stuck").status?.condition("Progressing")?.reason
            return reason == "WaitingForPods" || reason == "FailedCreate"
        }
        // kube-sim's StatefulSet controller records the refused create as the real one does, and
        // Keeper quotes it; before that Event exists, it says the controller has not created the rest.
        let progressing = try #require(try await harness.client.get(ZookeeperCluster.self, namespace: "default", name: "stuck").status?.condition("Progressing"))
        if progressing.reason == "FailedCreate" {
            #expect(progressing.message.contains("stuck-1") && progressing.message.contains("already exists"), "\(progressing.message)")
        } else {
            #expect(progressing.message.hasSuffix("member pods exist; the StatefulSet controller has not created the rest."), "\(progressing.message)")
        }
    }
}
