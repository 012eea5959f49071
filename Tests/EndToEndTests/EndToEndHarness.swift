import Foundation
import Keeper
import KeeperTestSupport
import KubeClient
import KubeModel
@testable import KubeSim
import Synchronization
import Testing
import ZooKeeperClient

/// A whole Keeper installation in the test process: kube-sim's API server, one kubelet
/// (talking to the server over HTTP through `KubeClient`, running pods as real local
/// processes: real ZooKeeper for `zookeeper:*` images) and Keeper's operator with its real
/// four-letter-word prober. Use `EndToEndHarness.run { harness in ... }`: it stops every
/// process it started, also when the body throws.
final class EndToEndHarness: Sendable {
    let server: APIServer
    let client: KubeClient
    let kubelet: Kubelet
    /// Keeper's ServiceAccount and token.
    let installation: KeeperInstallation
    /// kubectl's kubeconfig (the administrator, through the TLS front).
    let kubeconfigPath: String
    /// Keeper's kubeconfig (the `keeper` ServiceAccount's token), for a `keeper` process.
    let keeperKubeconfigPath: String
    let directory: URL
    let operatorLog: LogLines
    private let kubeletTask: Task<Void, Never>
    private let operatorTask: Mutex<Task<Bool, Never>>

    private init(server: APIServer, client: KubeClient, kubelet: Kubelet, installation: KeeperInstallation, kubeconfigPath: String,
                 keeperKubeconfigPath: String, directory: URL, operatorLog: LogLines, kubeletTask: Task<Void, Never>, operatorTask: Task<Bool, Never>) {
        self.operatorLog = operatorLog
        self.server = server
        self.client = client
        self.kubelet = kubelet
        self.installation = installation
        self.kubeconfigPath = kubeconfigPath
        self.keeperKubeconfigPath = keeperKubeconfigPath
        self.directory = directory
        self.kubeletTask = kubeletTask
        self.operatorTask = Mutex(operatorTask)
    }

    /// Starts everything, runs `body`, then stops everything whatever happened.
    static func run(_ body: (EndToEndHarness) async throws -> Void) async throws {
        let harness = try await start()
        do {
            try await body(harness)
        } catch {
            await harness.stop()
            throw error
        }
        await harness.stop()
    }

    static func start() async throws -> EndToEndHarness {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keeper-e2e-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = APIServer()
        try server.start()
        let kubeconfig = server.kubeconfigYAML()
        // kubectl's (through the TLS front; the clients below talk plain HTTP).
        let kubeconfigPath = directory.appendingPathComponent("kubeconfig").path
        try server.kubectlKubeconfigYAML().write(toFile: kubeconfigPath, atomically: true, encoding: .utf8)
        // The kubelet and Keeper each get their own client, as separate processes would.
        let kubelet = Kubelet(client: try KubeClient.fromKubeconfig(kubeconfig), configuration: KubeletConfiguration(
            nodeName: "e2e-node", stateDirectory: directory.appendingPathComponent("node", isDirectory: true)))
        let kubeletTask = Task { _ = try? await kubelet.run() }
        let client = try KubeClient.fromKubeconfig(kubeconfig)
        // Keeper is installed from crds/ and deploy/ and runs as its ServiceAccount.
        let installation = try await KeeperInstallation.install(on: server)
        try await waitUntil("the ZookeeperCluster CRD is served", timeout: .seconds(20)) {
            (try? await client.list(ZookeeperCluster.self, namespace: "default")) != nil
        }
        let keeperKubeconfigPath = directory.appendingPathComponent("keeper-kubeconfig").path
        try installation.kubeconfigYAML.write(toFile: keeperKubeconfigPath, atomically: true, encoding: .utf8)
        let log = LogLines()
        let operatorTask = try startKeeper(kubeconfig: installation.kubeconfigYAML, log: log)
        let harness = EndToEndHarness(server: server, client: client, kubelet: kubelet, installation: installation, kubeconfigPath: kubeconfigPath,
                                      keeperKubeconfigPath: keeperKubeconfigPath, directory: directory, operatorLog: log,
                                      kubeletTask: kubeletTask, operatorTask: operatorTask)
        return harness
    }

    /// The requests of Keeper's that kube-sim refused, as their 403 messages.
    var refusedKeeperRequests: [String] {
        server.authorizationLog.refused.filter { $0.user.name == KeeperInstallation.userName }.compactMap(\.forbiddenMessage)
    }

    /// A new Keeper operator (its own client, caches and memory, as a new process has).
    private static func startKeeper(kubeconfig: String, log: LogLines) throws -> Task<Bool, Never> {
        let keeper = KeeperOperator(client: try KubeClient.fromKubeconfig(kubeconfig), options: .init(concurrency: 2),
                                    log: { log.append($0) })
        return Task { await keeper.run() }
    }

    /// Stops Keeper alone (the server, the kubelet and its pods keep running), so a test can
    /// change the children by hand without Keeper putting them back. `stop()` still works after.
    func stopOperator() async {
        let running = operatorTask.withLock { $0 }
        running.cancel()
        _ = await running.value
    }

    /// Starts a new Keeper after `stopOperator()`: it knows only what the cluster tells it.
    func restartOperator() throws {
        let started = try Self.startKeeper(kubeconfig: installation.kubeconfigYAML, log: operatorLog)
        operatorTask.withLock { $0 = started }
    }

    /// Stops Keeper, then the kubelet (which stops every pod process), then the server.
    func stop() async {
        await stopOperator()
        kubeletTask.cancel()
        await kubeletTask.value
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: - The cluster as the API shows it

    func cluster(_ name: String, namespace: String = "default") async throws -> ZookeeperCluster {
        try await client.get(ZookeeperCluster.self, namespace: namespace, name: name)
    }

    func pod(_ name: String, namespace: String = "default") async throws -> Pod {
        try await client.get(Pod.self, namespace: namespace, name: name)
    }

    static func isReady(_ pod: Pod) -> Bool {
        pod.metadata.deletionTimestamp == nil
            && pod.status?.conditions?.contains { $0.type == "Ready" && $0.status == "True" } == true
    }

    static func condition(_ cluster: ZookeeperCluster, _ type: String) -> String? {
        cluster.status?.conditions?.first { $0.type == type }?.status
    }

    /// What the cluster's client Service routes to: the ready pods matching its selector
    /// (kube-sim gives Services no virtual IP; this is what kube-proxy would pick from).
    func clientServiceAddresses(_ clusterName: String, namespace: String = "default") async throws -> [String] {
        let service = try await client.get(Service.self, namespace: namespace, name: "\(clusterName)-client")
        let selector = (service.spec?.selector ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let port = service.spec?.ports?.first?.port ?? 2181
        let pods = try await client.list(Pod.self, namespace: namespace, options: ListOptions(labelSelector: selector)).items
        return pods.filter(Self.isReady).compactMap { pod in pod.status?.podIP.map { "\($0):\(port)" } }.sorted()
    }

    /// A ZooKeeper session through the client Service (its ready members, in random order).
    func clientThroughService(_ clusterName: String, namespace: String = "default") async throws -> ZooKeeperClient {
        let addresses = try await clientServiceAddresses(clusterName, namespace: namespace)
        try #require(!addresses.isEmpty, "the client Service \(clusterName)-client has no ready pods")
        return try await ZooKeeperClient.connect(addresses.joined(separator: ","))
    }

    /// A session with exactly one member (reads answered by that server).
    func clientOfMember(_ podName: String, namespace: String = "default") async throws -> ZooKeeperClient {
        let ip = try #require(try await pod(podName, namespace: namespace).status?.podIP, "\(podName) has no IP")
        return try await ZooKeeperClient.connect("\(ip):2181")
    }

    /// The PID of a pod's ZooKeeper container's main process, as the kubelet's runtime knows it.
    func zooKeeperProcess(_ podName: String, namespace: String = "default") async throws -> pid_t {
        let uid = try #require(try await pod(podName, namespace: namespace).metadata.uid)
        let pid = await kubelet.runtime.mainProcess(uid: uid, container: "zookeeper")
        return try #require(pid, "the kubelet runs no zookeeper container for \(podName)")
    }

    // MARK: - kubectl

    /// Runs the real kubectl against this harness's server (on a thread of its own).
    func kubectl(_ arguments: String...) async throws -> (status: Int32, output: String) {
        try await Blocking.run("/usr/bin/kubectl", ["--kubeconfig", kubeconfigPath] + arguments)
    }
}

/// Polls `condition` every 250 ms until it holds; records an issue and throws on timeout.
func waitUntil(_ what: String, timeout: Duration, sourceLocation: SourceLocation = #_sourceLocation,
               _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if (try? await condition()) == true { return }
        try await Task.sleep(for: .milliseconds(250))
    }
    Issue.record("timed out after \(timeout) waiting until \(what)", sourceLocation: sourceLocation)
    throw WaitTimeout(what: what)
}

struct WaitTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting until \(what)" }
}

/// Lines a component logged, kept for failure messages.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) {
        lines.withLock { lines in
            lines.append(line)
            if lines.count > 2000 { lines.removeFirst(1000) }
        }
    }

    var tail: String { lines.withLock { $0.suffix(40).joined(separator: "\n") } }
}
