import Foundation
import Keeper
import KubeClient
import KubeModel
import KubeSim

/// What one measured run on a fresh kube-sim observed.
struct OperatorRunFigures: Sendable {
    var clusters: Int
    /// From the first create request to the last of the 5 × clusters children in the store.
    var childrenSeconds: Double
    /// Keeper's requests from its caches' sync to the end of convergence (the benchmark's own
    /// creates of the ZookeeperClusters are subtracted).
    var convergence: RequestCounts
    /// Keeper's requests during the idle window.
    var idle: RequestCounts
    var idleSeconds: Double
    /// Keeper's watch streams open at the end of the idle window.
    var openWatches: Int
    /// CPU seconds Keeper used during the idle window (subprocess only).
    var idleCPUSeconds: Double?
    var memory: MemoryFigures?
    var subprocess: Bool
}

/// Plain-replay figures: the same creates, applies and status writes, without an operator.
struct ReplayFigures: Sendable {
    var clusters: Int
    var childrenSeconds: Double
    var totalSeconds: Double
    var requests: RequestCounts
}

/// The pieces both the operator run and the replay need: a fresh server with the CRD, the
/// ZookeeperClusters to create, and polling the store for children.
enum OperatorRun {
    /// Storage keys of the children and how many of each one cluster has.
    static let childKinds: [(storageKey: String, perCluster: Int)] = [
        ("services", 2), ("configmaps", 1), ("statefulsets.apps", 1), ("poddisruptionbudgets.policy", 1),
    ]
    static let childrenPerCluster = 5
    /// The default `spec.replicas` of the clusters the benchmark creates.
    static let replicasPerCluster = 3

    static func startServer() async throws -> (APIServer, KubeClient) {
        let server = APIServer()
        try server.start()
        let client = try KubeClient.fromKubeconfig(server.kubeconfigYAML())
        _ = try await client.create(.customResourceDefinitions, namespace: nil, object: CustomResourceDefinition.definition())
        try await waitUntil("the ZookeeperCluster CRD is served", timeout: .seconds(30)) {
            (try? await client.list(ZookeeperCluster.self, namespace: "default")) != nil
        }
        return (server, client)
    }

    static func cluster(_ index: Int) -> ZookeeperCluster {
        ZookeeperCluster(metadata: ObjectMeta(name: "zk-\(index)", namespace: "default"))
    }

    /// Server-side applies the five children of `cluster` as Keeper does, stamped alike.
    static func applyChildren(of cluster: ZookeeperCluster, client: KubeClient, clusterDomain: String = "cluster.local") async throws {
        let manager = KubeClientKeeperAPI.fieldManager
        _ = try await client.apply(try ChildSync.stamped(ServiceBuilder.headless(cluster)), fieldManager: manager)
        _ = try await client.apply(try ChildSync.stamped(ServiceBuilder.client(cluster)), fieldManager: manager)
        _ = try await client.apply(try ChildSync.stamped(PodDisruptionBudgetBuilder.build(cluster)), fieldManager: manager)
        _ = try await client.apply(try ChildSync.stamped(ConfigMapBuilder.build(cluster, clusterDomain: clusterDomain)), fieldManager: manager)
        _ = try await client.apply(try ChildSync.stamped(StatefulSetBuilder.build(cluster, clusterDomain: clusterDomain)), fieldManager: manager)
    }

    /// Children of all kinds in the store (including any the server made itself, e.g. the
    /// `kubernetes` Service: callers subtract what was there before).
    static func childCount(_ server: APIServer) -> Int {
        childKinds.reduce(0) { $0 + server.store.count($1.storageKey) }
    }

    /// Polls the store (no counted requests) every 5 ms until `target` children exist.
    static func waitForChildren(_ server: APIServer, target: Int, timeout: Duration) async throws {
        try await waitUntil("\(target) children exist", timeout: timeout, poll: .milliseconds(5)) { childCount(server) >= target }
    }

    static func waitUntil(_ what: String, timeout: Duration, poll: Duration = .milliseconds(50), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: poll)
        }
        throw BenchmarkError.timedOut(what)
    }

    /// Runs `body` for indices 0..<count on `workers` concurrent tasks (worker w takes w, w+workers, ...).
    static func spread(_ count: Int, workers: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<max(1, workers) {
                group.addTask {
                    for index in stride(from: worker, to: count, by: max(1, workers)) { try await body(index) }
                }
            }
            try await group.waitForAll()
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// One run: fresh kube-sim, Keeper started and synced, `clusters` ZookeeperClusters
    /// created, children awaited, writes awaited to settle, then an idle window.
    static func measureOperator(clusters: Int, keeperPath: String?, concurrency: Int, resyncSeconds: Int, idleSeconds: Int) async throws -> OperatorRunFigures {
        let (server, client) = try await startServer()
        defer { server.stop() }
        let baseChildren = childCount(server)
        let basePods = server.store.count("pods")
        let baseWatches = server.store.openWatchCount
        let keeper = OperatorUnderTest()
        try keeper.start(keeperPath: keeperPath, kubeconfig: server.kubeconfigYAML(), concurrency: concurrency, resyncSeconds: resyncSeconds)
        do {
            // Six informers (clusters, Services, ConfigMaps, StatefulSets, PDBs, pods): each lists, then watches.
            try await waitUntil("Keeper's caches sync", timeout: .seconds(60)) { server.store.openWatchCount >= baseWatches + 6 }
            server.resetRequestCounts()
            let clock = ContinuousClock()
            let start = clock.now
            try await spread(clusters, workers: concurrency) { index in _ = try await client.create(cluster(index)) }
            try await waitForChildren(server, target: baseChildren + clusters * childrenPerCluster, timeout: .seconds(900))
            let childrenSeconds = seconds(clock.now - start)

            // Convergence ends when every pod exists (a member list changes with each, and
            // kube-sim's StatefulSet controller may still be creating them) and Keeper's writes
            // then stop changing for 8 s: Keeper may hold a changed status for up to 5 s.
            try await waitUntil("the StatefulSets' pods exist", timeout: .seconds(900), poll: .milliseconds(50)) {
                server.store.count("pods") >= basePods + clusters * replicasPerCluster
            }
            var lastWrites = -1
            var stableSince = clock.now
            try await waitUntil("Keeper's writes settle", timeout: .seconds(600), poll: .milliseconds(250)) {
                let writes = server.requestCounts.writes
                if writes != lastWrites {
                    lastWrites = writes
                    stableSince = clock.now
                }
                return clock.now - stableSince >= .seconds(8)
            }
            var convergence = server.requestCounts
            convergence.create -= clusters

            server.resetRequestCounts()
            let idleStart = clock.now
            let cpuBefore = keeper.cpuSeconds
            try await Task.sleep(for: .seconds(idleSeconds))
            let idle = server.requestCounts
            let idleElapsed = seconds(clock.now - idleStart)
            let cpuAfter = keeper.cpuSeconds
            let figures = OperatorRunFigures(clusters: clusters, childrenSeconds: childrenSeconds, convergence: convergence, idle: idle,
                                             idleSeconds: idleElapsed, openWatches: server.store.openWatchCount - baseWatches,
                                             idleCPUSeconds: cpuAfter.flatMap { after in cpuBefore.map { after - $0 } },
                                             memory: keeper.memory, subprocess: keeper.isSubprocess)
            await keeper.stop()
            return figures
        } catch {
            let present = childCount(server) - baseChildren
            let memory = keeper.memory.map { " Keeper RSS peak \(OperatorBenchmark.mb($0.peakKB)) MB, now \(OperatorBenchmark.mb($0.currentKB)) MB;" } ?? ""
            print("    failed with \(present) of \(clusters * childrenPerCluster) children present;\(memory) requests \(OperatorBenchmark.describe(server.requestCounts))")
            await keeper.stop()
            throw error
        }
    }

    /// The same requests Keeper makes for new clusters, sent straight with KubeClient on
    /// `concurrency` tasks: create the cluster, server-side apply its five stamped children,
    /// write its status once.
    static func measureReplay(clusters: Int, concurrency: Int, clusterDomain: String = "cluster.local") async throws -> ReplayFigures {
        let (server, client) = try await startServer()
        defer { server.stop() }
        let baseChildren = childCount(server)
        server.resetRequestCounts()
        let clock = ContinuousClock()
        let start = clock.now
        let target = baseChildren + clusters * childrenPerCluster
        async let childrenSecondsPolled: Double = {
            try await waitForChildren(server, target: target, timeout: .seconds(900))
            return seconds(clock.now - start)
        }()
        try await spread(clusters, workers: concurrency) { index in
            var created = try await client.create(cluster(index))
            try await applyChildren(of: created, client: client, clusterDomain: clusterDomain)
            created.status = ZookeeperClusterStatus(observedGeneration: created.metadata.generation ?? 1)
            _ = try await client.updateStatus(created)
        }
        let totalSeconds = seconds(clock.now - start)
        let childrenSeconds = try await childrenSecondsPolled
        return ReplayFigures(clusters: clusters, childrenSeconds: childrenSeconds, totalSeconds: totalSeconds, requests: server.requestCounts)
    }
}

enum BenchmarkError: Error, CustomStringConvertible {
    case timedOut(String)
    case usage(String)

    var description: String {
        switch self {
        case .timedOut(let what): return "timed out waiting until \(what)"
        case .usage(let text): return text
        }
    }
}
