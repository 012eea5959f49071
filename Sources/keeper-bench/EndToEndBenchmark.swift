import Foundation
import Keeper
import KubeClient
import KubeModel
import KubeSim
#if canImport(Glibc)
import Glibc
#endif

/// `keeper-bench e2e [--sizes 3,5]`: how long a new ZookeeperCluster takes to become
/// `Available` (and to have every member ready) on kube-sim with real ZooKeeper, and how
/// much CPU the operator spends meanwhile.
///
/// The API server and one kubelet run in this process; Keeper runs as its own process (the
/// `keeper` binary next to this one), so `/proc/<pid>/stat` gives its CPU time alone.
/// Needs root, ZooKeeper and Java, as the playground does.
enum EndToEndBenchmark {
    struct Figures {
        var members: Int
        var toAvailable: Duration
        var toAllReady: Duration
        var operatorCPU: Duration
        var operatorCPUToAvailable: Duration
    }

    static func run(arguments: [String]) async throws {
        var sizes = [3, 5]
        if let index = arguments.firstIndex(of: "--sizes"), index + 1 < arguments.count {
            sizes = arguments[index + 1].split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("keeper-bench-e2e-\(getpid())", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        let kubeconfig = server.kubeconfigYAML()
        let kubeconfigPath = directory.appendingPathComponent("kubeconfig").path
        try kubeconfig.write(toFile: kubeconfigPath, atomically: true, encoding: .utf8)
        let kubelet = Kubelet(client: try KubeClient.fromKubeconfig(kubeconfig), configuration: KubeletConfiguration(
            nodeName: "bench-node", stateDirectory: directory.appendingPathComponent("node", isDirectory: true)))
        let kubeletTask = Task { _ = try? await kubelet.run() }
        let client = try KubeClient.fromKubeconfig(kubeconfig)
        _ = try await client.create(.customResourceDefinitions, namespace: nil, object: CustomResourceDefinition.definition())
        try await waitUntil(.seconds(20)) { (try? await client.list(ZookeeperCluster.self, namespace: "default")) != nil }

        let keeper = Process()
        keeper.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("keeper")
        keeper.arguments = ["--kubeconfig", kubeconfigPath, "--health-addr", ""]
        keeper.standardOutput = FileHandle.nullDevice
        keeper.standardError = FileHandle.nullDevice
        try keeper.run()
        // Let Keeper sync its caches before the clock starts.
        try await Task.sleep(for: .seconds(2))

        var results: [Figures] = []
        do {
            for size in sizes {
                results.append(try await measure(size: size, client: client, keeperPID: keeper.processIdentifier))
            }
        } catch {
            print("keeper-bench e2e: \(error)")
        }
        keeper.terminate()
        while keeper.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        kubeletTask.cancel()
        await kubeletTask.value

        print("ZookeeperCluster created -> Available / all members ready (kube-sim, real ZooKeeper, one node)")
        for figures in results {
            print("  \(figures.members) members: Available after \(seconds(figures.toAvailable)), all ready after \(seconds(figures.toAllReady)); "
                  + "Keeper CPU \(seconds(figures.operatorCPUToAvailable)) until Available, \(seconds(figures.operatorCPU)) until all ready")
        }
    }

    static func measure(size: Int, client: KubeClient, keeperPID: pid_t) async throws -> Figures {
        let name = "bench-\(size)"
        let manifest: JSONValue = ["apiVersion": "keeper.dev/v1alpha1", "kind": "ZookeeperCluster",
                                   "metadata": ["name": .string(name), "namespace": "default"], "spec": ["replicas": .int(Int64(size))]]
        let cpuBefore = try cpuTime(of: keeperPID)
        let start = ContinuousClock.now
        _ = try await client.create(.zookeeperClusters, namespace: "default", object: manifest)
        var toAvailable: Duration?
        var cpuAtAvailable: Duration = .zero
        try await waitUntil(.seconds(300)) {
            guard let cluster = try? await client.get(ZookeeperCluster.self, namespace: "default", name: name) else { return false }
            let available = cluster.status?.conditions?.contains { $0.type == "Available" && $0.status == "True" } == true
            if available, toAvailable == nil {
                toAvailable = ContinuousClock.now - start
                cpuAtAvailable = (try? cpuTime(of: keeperPID)) ?? .zero
            }
            return available && cluster.status?.readyReplicas == size
        }
        let toAllReady = ContinuousClock.now - start
        let cpuAfter = try cpuTime(of: keeperPID)
        let figures = Figures(members: size, toAvailable: toAvailable ?? toAllReady, toAllReady: toAllReady,
                              operatorCPU: cpuAfter - cpuBefore, operatorCPUToAvailable: cpuAtAvailable - cpuBefore)
        // Remove it, and wait for its pods to go, so the next size starts on a quiet node.
        try await client.delete(ZookeeperCluster.self, namespace: "default", name: name)
        try await waitUntil(.seconds(120)) {
            let pods = try? await client.list(Pod.self, namespace: "default", options: ListOptions(labelSelector: "app.kubernetes.io/instance=\(name)"))
            return pods?.items.isEmpty == true
        }
        return figures
    }

    /// User plus system CPU time of a process, from `/proc/<pid>/stat` (fields 14 and 15).
    static func cpuTime(of pid: pid_t) throws -> Duration {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
        guard let close = stat.lastIndex(of: ")") else { throw BenchError.unreadable("/proc/\(pid)/stat") }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else {
            throw BenchError.unreadable("/proc/\(pid)/stat")
        }
        let ticks = max(1, sysconf(Int32(_SC_CLK_TCK)))
        return .milliseconds((user + system) * 1000 / ticks)
    }

    static func waitUntil(_ timeout: Duration, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchError.timedOut
    }

    static func seconds(_ duration: Duration) -> String {
        let components = duration.components
        return String(format: "%.2f s", Double(components.seconds) + Double(components.attoseconds) / 1e18)
    }

    enum BenchError: Error {
        case unreadable(String)
        case timedOut
    }
}
