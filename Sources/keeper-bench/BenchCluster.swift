import Foundation
import Keeper
import KubeClient
import KubeModel
import KubeSim
import Synchronization

/// kube-sim's API server and one kubelet running real ZooKeeper pods in this process, with
/// Keeper's operator in process too, startable and stoppable on its own (the peer runs need
/// the ensemble Keeper created without Keeper acting on it). What `EndToEndBenchmark` sets up,
/// plus the waits the rollout and scaling benchmarks share. Needs root, ZooKeeper and Java.
final class BenchCluster: Sendable {
    let server: APIServer
    let client: KubeClient
    private let kubeconfig: String
    private let directory: URL
    private let kubeletTask: Task<Void, Never>
    private let keeperTask = Mutex<Task<Bool, Never>?>(nil)

    private init(server: APIServer, client: KubeClient, kubeconfig: String, directory: URL, kubeletTask: Task<Void, Never>) {
        self.server = server
        self.client = client
        self.kubeconfig = kubeconfig
        self.directory = directory
        self.kubeletTask = kubeletTask
    }

    /// Starts the server, the kubelet and Keeper, and installs the CRD.
    static func start() async throws -> BenchCluster {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keeper-bench-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = APIServer()
        try server.start()
        let kubeconfig = server.kubeconfigYAML()
        let kubelet = Kubelet(client: try KubeClient.fromKubeconfig(kubeconfig), configuration: KubeletConfiguration(
            nodeName: "bench-node", stateDirectory: directory.appendingPathComponent("node", isDirectory: true)))
        let kubeletTask = Task { _ = try? await kubelet.run() }
        let client = try KubeClient.fromKubeconfig(kubeconfig)
        _ = try await client.create(.customResourceDefinitions, namespace: nil, object: CustomResourceDefinition.definition())
        let cluster = BenchCluster(server: server, client: client, kubeconfig: kubeconfig, directory: directory, kubeletTask: kubeletTask)
        try await cluster.waitUntil("the CRD is served", .seconds(20)) {
            (try? await client.list(ZookeeperCluster.self, namespace: "default")) != nil
        }
        try cluster.startKeeper()
        return cluster
    }

    /// Starts Keeper's operator (in process, its own client), unless it runs.
    func startKeeper() throws {
        let client = try KubeClient.fromKubeconfig(kubeconfig)
        keeperTask.withLock { task in
            guard task == nil else { return }
            let keeper = KeeperOperator(client: client, options: .init(concurrency: 2))
            task = Task { await keeper.run() }
        }
    }

    /// Stops Keeper alone: the server, the kubelet and the pods keep running.
    func stopKeeper() async {
        let task = keeperTask.withLock { task in defer { task = nil }; return task }
        task?.cancel()
        _ = await task?.value
    }

    /// Stops Keeper, the kubelet (and with it every pod process) and the server.
    func stop() async {
        await stopKeeper()
        kubeletTask.cancel()
        await kubeletTask.value
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: - One ZookeeperCluster

    /// Creates `name` with `replicas` members (a small heap: several JVMs share the machine).
    func create(_ name: String, replicas: Int) async throws {
        let manifest: JSONValue = ["apiVersion": "keeper.dev/v1alpha1", "kind": "ZookeeperCluster",
                                   "metadata": ["name": .string(name), "namespace": "default"],
                                   "spec": ["replicas": .int(Int64(replicas)), "pod": ["jvmHeap": "128Mi"]]]
        _ = try await client.create(.zookeeperClusters, namespace: "default", object: manifest)
    }

    /// Deletes `name` (Keeper running) and waits until its pods are gone.
    func delete(_ name: String) async throws {
        try startKeeper()
        try await client.delete(ZookeeperCluster.self, namespace: "default", name: name)
        try await waitUntil("\(name)'s pods are gone", .seconds(180)) { try await self.pods(name).isEmpty }
    }

    func cluster(_ name: String) async throws -> ZookeeperCluster {
        try await client.get(ZookeeperCluster.self, namespace: "default", name: name)
    }

    /// The cluster's pods, by its instance label.
    func pods(_ name: String) async throws -> [Pod] {
        try await client.list(Pod.self, namespace: "default", options: ListOptions(labelSelector: "app.kubernetes.io/instance=\(name)")).items
    }

    /// Waits until Keeper's status says `voters` up-to-date participants serve and nothing progresses.
    func waitUntilConverged(_ name: String, voters: Int, timeout: Duration = .seconds(300)) async throws {
        try await waitUntil("\(name) converges on \(voters) voters", timeout) {
            let cluster = try await self.cluster(name)
            guard let status = cluster.status, status.observedGeneration == cluster.metadata.generation else { return false }
            let members = status.members ?? []
            let condition = { (type: String) in status.conditions?.first { $0.type == type }?.status }
            return condition("Available") == "True" && condition("Progressing") == "False"
                && status.voters == voters && members.count == voters
                && members.allSatisfy { $0.membership == "participant" && $0.ready && $0.upToDate && ["leader", "follower"].contains($0.role) }
        }
    }

    /// What the client Service routes to: its ready pods (kube-sim gives Services no virtual IP).
    func serviceAddresses(_ name: String) async throws -> [String] {
        try await pods(name).filter(Self.isReady).compactMap { pod in pod.status?.podIP.map { "\($0):2181" } }.sorted()
    }

    static func isReady(_ pod: Pod) -> Bool {
        pod.metadata.deletionTimestamp == nil && pod.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true
    }

    /// Polls `condition` every 250 ms until it holds; throws on timeout.
    func waitUntil(_ what: String, _ timeout: Duration, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        throw BenchmarkError.timedOut(what)
    }
}
