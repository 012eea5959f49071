import CGlibcMalloc
import Controller
import Foundation
import Keeper
import KubeClient
import KubeModel
import KubeSim
#if canImport(Glibc)
import Glibc
#endif

/// `keeper-bench cache-memory`: what Keeper's informer caches hold per cluster, kind by kind.
///
/// One cluster's objects are made for real on kube-sim (the cluster, its five children
/// applied as Keeper applies them, the pods kube-sim's StatefulSet controller creates), then
/// each object's JSON is decoded N times with the names and UIDs varied, into a `Store` as
/// an informer would (once as decoded, once through Keeper's `CacheCompaction`), counting
/// the heap bytes in use before and after (`mallinfo2`). This isolates the caches from everything else an RSS figure
/// mixes in (shared libraries, fragmentation, watch buffers), so a change to a model or a
/// transform can be measured in seconds instead of a 1000-cluster operator run.
enum CacheMemoryBenchmark {
    static let usage = "usage: keeper-bench cache-memory [--clusters 1000]"

    static func run(arguments: [String]) async throws {
        var clusters = 1000
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--clusters":
                guard let text = rest.popFirst(), let count = Int(text), count > 0 else { throw BenchmarkError.usage(usage) }
                clusters = count
            default: throw BenchmarkError.usage("unknown argument \(argument)\n\(usage)")
            }
        }
        let sample = try await sampleCluster()
        print("keeper-bench cache-memory: heap bytes per cached object (mallinfo2), \(clusters) clusters")
        print("  decoded: the objects as decoded; cached: after Keeper's CacheCompaction (what its informers hold)")
        print("kind                | objects | JSON bytes | decoded bytes | cached bytes | decoded MB | cached MB")
        print("--------------------|---------|------------|---------------|--------------|------------|----------")
        let compaction = CacheCompaction()
        var totals = (decoded: 0, cached: 0)
        func row<T: KubeObject>(_ label: String, _ type: T.Type, _ texts: [Data]) {
            let decoded = measure(type, texts, copies: clusters, uids: sample.uids, transform: nil)
            let cached = measure(type, texts, copies: clusters, uids: sample.uids, transform: compaction.compact)
            totals.decoded += decoded.bytes
            totals.cached += cached.bytes
            let json = texts.reduce(0) { $0 + $1.count } / max(1, texts.count)
            print([label.padding(toLength: 19, withPad: " ", startingAt: 0), pad(cached.objects, 7), pad(json, 10),
                   pad(decoded.bytes / max(1, decoded.objects), 13), pad(cached.bytes / max(1, cached.objects), 12),
                   megabytes(decoded.bytes, 10), megabytes(cached.bytes, 9)].joined(separator: " | "))
        }
        row("ZookeeperCluster", ZookeeperCluster.self, sample.cluster)
        row("Service", Service.self, sample.services)
        row("ConfigMap", ConfigMap.self, [sample.configMap])
        row("StatefulSet", StatefulSet.self, [sample.statefulSet])
        row("PodDisruptionBudget", PodDisruptionBudget.self, [sample.budget])
        row("Pod", Pod.self, sample.pods)
        print("all caches: \(megabytes(totals.decoded, 0)) MB decoded, \(megabytes(totals.cached, 0)) MB cached")
    }

    /// One cluster's objects as the API server returns them (JSON texts).
    struct Sample {
        var cluster: [Data]
        var services: [Data]
        var configMap: Data
        var statefulSet: Data
        var budget: Data
        var pods: [Data]
        /// UIDs in the texts, replaced per copy.
        var uids: [String]
    }

    static func sampleCluster() async throws -> Sample {
        let (server, client) = try await OperatorRun.startServer()
        defer { server.stop() }
        let created = try await client.create(OperatorRun.cluster(0))
        try await OperatorRun.applyChildren(of: created, client: client)
        let replicas = created.spec.replicas ?? 3
        try await OperatorRun.waitUntil("the StatefulSet's pods exist", timeout: .seconds(60)) { server.store.count("pods") >= replicas }

        func text(_ resource: ResourceType, _ name: String) async throws -> Data {
            try await client.get(resource, namespace: "default", name: name).serialized()
        }
        let name = created.metadata.name ?? "zk-0"
        let cluster = try await text(ZookeeperCluster.resourceType, name)
        let services = [try await text(.services, "\(name)-headless"), try await text(.services, "\(name)-client")]
        let configMap = try await text(.configMaps, "\(name)-config")
        let statefulSet = try await text(.statefulSets, name)
        let budget = try await text(.podDisruptionBudgets, name)
        var pods: [Data] = []
        for ordinal in 0..<replicas { pods.append(try await text(.pods, "\(name)-\(ordinal)")) }
        let all = [cluster] + services + [configMap, statefulSet, budget] + pods
        let uids = try all.compactMap { try JSONValue.parse($0)[path: ["metadata", "uid"]]?.stringValue }
        return Sample(cluster: [cluster], services: services, configMap: configMap, statefulSet: statefulSet, budget: budget, pods: pods, uids: uids)
    }

    /// Decodes `copies` variants of each text into one store, as an informer would, and
    /// returns the heap bytes the store's objects took.
    static func measure<T: KubeObject>(_ type: T.Type, _ texts: [Data], copies: Int, uids: [String],
                                      transform: (@Sendable (T) -> T)?) -> (objects: Int, bytes: Int) {
        // The variants are made first so that only the decoded objects are counted.
        let variants = (0..<copies).flatMap { index in texts.map { variant(of: $0, index: index, uids: uids) } }
        let store = Store<T>()
        let decoder = JSONDecoder()
        let before = heapInUse()
        for text in variants {
            guard var object = try? decoder.decode(T.self, from: text) else { continue }
            if let transform { object = transform(object) }
            store.apply(.apply(object))
        }
        let used = withExtendedLifetime(variants) { heapInUse() } - before
        return withExtendedLifetime(store) { (store.count, used) }
    }

    /// The text with the sample cluster's name and UIDs replaced by ones unique to `index`.
    static func variant(of text: Data, index: Int, uids: [String]) -> Data {
        guard index > 0 else { return text }
        var string = String(decoding: text, as: UTF8.self).replacingOccurrences(of: "zk-0", with: "zk-\(index)")
        let prefix = String(format: "%08x", index)
        for uid in uids where string.contains(uid) {
            string = string.replacingOccurrences(of: uid, with: prefix + uid.dropFirst(8))
        }
        return Data(string.utf8)
    }

    /// Heap bytes in use: allocated chunks in every arena plus mmapped ones.
    static func heapInUse() -> Int {
        let info = mallinfo2()
        return Int(info.uordblks) + Int(info.hblkhd)
    }

    static func pad(_ number: Int, _ width: Int) -> String {
        String(number).leftPadded(to: width)
    }

    static func megabytes(_ bytes: Int, _ width: Int) -> String {
        String(format: "%.1f", Double(bytes) / 1_048_576).leftPadded(to: width)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
