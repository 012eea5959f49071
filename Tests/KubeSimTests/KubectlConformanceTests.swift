import Foundation
import KubeModel
import Testing
@testable import KubeSim

/// Real kubectl v1.32 against kube-sim: the commands a Keeper user types must behave as on
/// a real cluster.
@Suite(.serialized, .enabled(if: Kubectl.shouldRun, "kubectl is not installed at /usr/bin/kubectl, and CI is not true"))
struct KubectlConformanceTests {
    private static let instance = """
    apiVersion: test.kube-sim.dev/v1alpha1
    kind: ZookeeperCluster
    metadata:
      name: zk
    spec:
      image: zookeeper:3.9.4

    """

    private func startedWithCRD() throws -> (APIServer, Kubectl) {
        let server = APIServer()
        try server.start()
        let kubectl = try Kubectl(kubeconfigYAML: server.kubectlKubeconfigYAML())
        let crd = try kubectl.writeFile("crd.yaml", TestCRD.yaml)
        let applied = try kubectl.run("apply", "-f", crd)
        #expect(applied.stdout == "customresourcedefinition.apiextensions.k8s.io/zookeeperclusters.test.kube-sim.dev created\n", "\(applied.stderr)")
        let waited = try kubectl.run("wait", "--for=condition=Established", "crd/zookeeperclusters.test.kube-sim.dev", "--timeout=10s")
        #expect(waited.status == 0, "\(waited.stderr)")
        return (server, kubectl)
    }

    @Test func apiResourcesListsBuiltInsAndCRDs() throws {
        let (server, kubectl) = try startedWithCRD()
        defer { server.stop() }
        let result = try kubectl.run("api-resources")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines.first == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"])
        #expect(lines.contains(["statefulsets", "sts", "apps/v1", "true", "StatefulSet"]))
        #expect(lines.contains(["pods", "po", "v1", "true", "Pod"]))
        #expect(lines.contains(["zookeeperclusters", "zkc", "test.kube-sim.dev/v1alpha1", "true", "ZookeeperCluster"]))
    }

    @Test func applyGetDescribeScalePatch() throws {
        let (server, kubectl) = try startedWithCRD()
        defer { server.stop() }
        let file = try kubectl.writeFile("zk.yaml", Self.instance)
        let created = try kubectl.run("apply", "-f", file)
        #expect(created.stdout == "zookeepercluster.test.kube-sim.dev/zk created\n", "\(created.stderr)")

        let yaml = try kubectl.run("get", "zookeeperclusters", "zk", "-o", "yaml")
        #expect(yaml.stdout.contains("kind: ZookeeperCluster"))
        #expect(yaml.stdout.contains("  replicas: 3\n"), "the schema default applies")
        #expect(yaml.stdout.contains("generation: 1"))

        let table = try kubectl.run("get", "zkc")
        let rows = table.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first == ["NAME", "REPLICAS", "IMAGE", "AGE"])
        #expect(Array(rows.dropFirst().first?.prefix(3) ?? []) == ["zk", "3", "zookeeper:3.9.4"])

        let unchanged = try kubectl.run("apply", "-f", file)
        #expect(unchanged.stdout == "zookeepercluster.test.kube-sim.dev/zk unchanged\n", "\(unchanged.stderr)")
        let updatedFile = try kubectl.writeFile("zk2.yaml", Self.instance.replacingOccurrences(of: "3.9.4", with: "3.9.5"))
        let configured = try kubectl.run("apply", "-f", updatedFile)
        #expect(configured.stdout == "zookeepercluster.test.kube-sim.dev/zk configured\n", "\(configured.stderr)")

        let scaled = try kubectl.run("scale", "zookeepercluster/zk", "--replicas=5")
        #expect(scaled.stdout == "zookeepercluster.test.kube-sim.dev/zk scaled\n", "\(scaled.stderr)")
        let patched = try kubectl.run("patch", "zkc", "zk", "--type=merge", "-p", #"{"spec":{"image":"zookeeper:3.9.6"}}"#)
        #expect(patched.stdout == "zookeepercluster.test.kube-sim.dev/zk patched\n", "\(patched.stderr)")
        let fields = try kubectl.run("get", "zkc", "zk", "-o", "jsonpath={.spec.replicas} {.spec.image} {.metadata.generation}")
        #expect(fields.stdout == "5 zookeeper:3.9.6 4")

        let described = try kubectl.run("describe", "zkc", "zk")
        #expect(described.status == 0, "\(described.stderr)")
        #expect(described.stdout.contains("Name:         zk\n"))
        #expect(described.stdout.contains("Kind:         ZookeeperCluster\n"))
        #expect(described.stdout.contains("Replicas:  5"))
    }

    @Test func serverSideApplyRecordsItsManager() throws {
        let (server, kubectl) = try startedWithCRD()
        defer { server.stop() }
        let file = try kubectl.writeFile("zk.yaml", Self.instance)
        let applied = try kubectl.run("apply", "--server-side", "-f", file)
        #expect(applied.stdout == "zookeepercluster.test.kube-sim.dev/zk serverside-applied\n", "\(applied.stderr)")
        let json = try kubectl.run("get", "zkc", "zk", "-o", "json", "--show-managed-fields")
        let object = try JSONValue.parse(Data(json.stdout.utf8))
        let managers = (object[path: ["metadata", "managedFields"]]?.arrayValue ?? []).map { "\($0["manager"]?.stringValue ?? ""):\($0["operation"]?.stringValue ?? "")" }
        #expect(managers.contains("kubectl:Apply"))
        let again = try kubectl.run("apply", "--server-side", "-f", try kubectl.writeFile("zk3.yaml", Self.instance.replacingOccurrences(of: "3.9.4", with: "3.9.7")))
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try kubectl.run("get", "zkc", "zk", "-o", "jsonpath={.spec.image}").stdout == "zookeeper:3.9.7")
    }

    @Test func invalidInstanceIsRejectedLikeARealServer() throws {
        let (server, kubectl) = try startedWithCRD()
        defer { server.stop() }
        let file = try kubectl.writeFile("bad.yaml", Self.instance.replacingOccurrences(of: "name: zk", with: "name: bad") + "  replicas: 0\n")
        let result = try kubectl.run("apply", "-f", file)
        #expect(result.status != 0)
        #expect(result.stderr == #"The ZookeeperCluster "bad" is invalid: spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1"# + "\n")
    }

    @Test func watchShowsChanges() throws {
        let (server, kubectl) = try startedWithCRD()
        defer { server.stop() }
        _ = try kubectl.run("apply", "-f", try kubectl.writeFile("zk.yaml", Self.instance))
        let watch = try kubectl.start("get", "zkc", "-w")
        let deadline = Date().addingTimeInterval(10)
        while !watch.text.contains("zk") && Date() < deadline { usleep(20_000) }
        _ = try kubectl.run("patch", "zkc", "zk", "--type=merge", "-p", #"{"spec":{"replicas":7}}"#)
        while watch.text.split(separator: "\n").count < 3 && Date() < deadline { usleep(20_000) }
        let lines = watch.stop().split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines.first == ["NAME", "REPLICAS", "IMAGE", "AGE"])
        #expect(lines.count >= 3)
        #expect(lines.last?.prefix(2) == ["zk", "7"])
    }

    @Test func deleteCollectsAnOwnedConfigMap() throws {
        let (server, kubectl) = try startedWithCRD()
        defer { server.stop() }
        _ = try kubectl.run("apply", "-f", try kubectl.writeFile("zk.yaml", Self.instance))
        let uid = try kubectl.run("get", "zkc", "zk", "-o", "jsonpath={.metadata.uid}").stdout
        let configMap = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: zk-config
          ownerReferences:
          - {apiVersion: test.kube-sim.dev/v1alpha1, kind: ZookeeperCluster, name: zk, uid: "\(uid)", controller: true, blockOwnerDeletion: true}
        data: {zoo.cfg: "tickTime=2000"}

        """
        let created = try kubectl.run("apply", "-f", try kubectl.writeFile("cm.yaml", configMap))
        #expect(created.stdout == "configmap/zk-config created\n", "\(created.stderr)")
        let deleted = try kubectl.run("delete", "zkc", "zk")
        #expect(deleted.stdout == "zookeepercluster.test.kube-sim.dev \"zk\" deleted\n", "\(deleted.stderr)")
        var gone = false
        let deadline = Date().addingTimeInterval(10)
        while !gone && Date() < deadline {
            let result = try kubectl.run("get", "configmap", "zk-config")
            gone = result.stderr == "Error from server (NotFound): configmaps \"zk-config\" not found\n"
            if !gone { usleep(50_000) }
        }
        #expect(gone)
    }

    @Test func eventsAreListedAndDescribed() throws {
        let (server, kubectl) = try startedWithCRD()
        defer { server.stop() }
        _ = try kubectl.run("apply", "-f", try kubectl.writeFile("zk.yaml", Self.instance))
        let object = try server.storage.get(TestCRD.type, namespace: "default", name: "zk")
        _ = try server.storage.create(.events, [
            "metadata": ["name": "zk.restart", "namespace": "default"],
            "involvedObject": ["apiVersion": "test.kube-sim.dev/v1alpha1", "kind": "ZookeeperCluster", "name": "zk", "namespace": "default",
                               "uid": object[path: ["metadata", "uid"]] ?? ""],
            "reason": "MemberRestarted", "message": "restarted zk-1", "type": "Normal", "source": ["component": "keeper"],
            "firstTimestamp": .string(APIServer.timestamp()), "lastTimestamp": .string(APIServer.timestamp()), "count": 1,
        ])
        let events = try kubectl.run("get", "events")
        let rows = events.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.first == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"])
        #expect(Array(rows.dropFirst().first?.dropFirst() ?? []) == ["Normal", "MemberRestarted", "zookeepercluster/zk", "restarted", "zk-1"])
        let described = try kubectl.run("describe", "zkc", "zk")
        #expect(described.stdout.contains("Normal  MemberRestarted"))
        #expect(described.stdout.contains("keeper  restarted zk-1"))
    }
}

/// kubectl's own identity commands against kube-sim: `create token`, `auth whoami`,
/// `auth can-i`, and a ServiceAccount's token refused with the real server's words.
@Suite(.serialized, .enabled(if: Kubectl.shouldRun, "kubectl is not installed at /usr/bin/kubectl, and CI is not true"))
struct KubectlAuthTests {
    @Test func createTokenWhoamiAndCanI() throws {
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        let admin = try Kubectl(kubeconfigYAML: server.kubectlKubeconfigYAML())
        #expect(try admin.run("create", "namespace", "keeper-system").status == 0)
        #expect(try admin.run("create", "serviceaccount", "keeper", "-n", "keeper-system").status == 0)
        let missing = try admin.run("create", "token", "nobody", "-n", "keeper-system")
        #expect(missing.stderr == "error: failed to create token: serviceaccounts \"nobody\" not found\n")
        let created = try admin.run("create", "token", "keeper", "-n", "keeper-system")
        let token = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(created.status == 0 && !token.isEmpty, "\(created.stderr)")
        #expect(try admin.run("auth", "can-i", "delete", "nodes").stdout == "yes\n")
        #expect(try admin.run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}").stdout == "kube-sim-admin")

        let keeper = try Kubectl(kubeconfigYAML: server.kubectlKubeconfigYAML(token: token))
        #expect(try keeper.run("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}").stdout == "system:serviceaccount:keeper-system:keeper")
        let cannot = try keeper.run("auth", "can-i", "list", "pods")
        #expect(cannot.stdout == "no\n" && cannot.status == 1)
        let refused = try keeper.run("get", "configmaps")
        #expect(refused.stderr == "Error from server (Forbidden): configmaps is forbidden: User \"system:serviceaccount:keeper-system:keeper\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\"\n")

        let role = try admin.writeFile("role.yaml", """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: pod-reader, namespace: default}
            rules:
            - apiGroups: [""]
              resources: [pods]
              verbs: [get, list]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: keeper-reads-pods, namespace: default}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
            subjects:
            - {kind: ServiceAccount, name: keeper, namespace: keeper-system}

            """)
        let applied = try admin.run("apply", "-f", role)
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(try keeper.run("auth", "can-i", "list", "pods").stdout == "yes\n")
        #expect(try keeper.run("auth", "can-i", "list", "pods", "-n", "kube-system").stdout == "no\n")
        #expect(try keeper.run("auth", "can-i", "watch", "pods").stdout == "no\n")
    }
}
