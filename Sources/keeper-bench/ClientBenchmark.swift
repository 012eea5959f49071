import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeClient
import KubeModel
import KubeSim

/// `keeper-bench client [--requests N]`: the client's per-request overhead. Sends N GETs
/// of one ConfigMap to an in-process kube-sim through raw URLSession, the untyped client and
/// the typed client, one at a time, and prints microseconds per request for each.
enum ClientBenchmark {
    struct BenchConfigMap: KubeObject {
        static let resourceType = ResourceType.configMaps
        var metadata: ObjectMeta
        var data: [String: String]?
    }

    static func run(arguments: [String]) async throws {
        var requests = 2000
        if let index = arguments.firstIndex(of: "--requests"), index + 1 < arguments.count, let count = Int(arguments[index + 1]) {
            requests = max(1, count)
        }
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        let client = try KubeClient.fromKubeconfig(server.kubeconfigYAML())
        let data = Dictionary(uniqueKeysWithValues: (0..<20).map { ("key-\($0)", String(repeating: "v", count: 40)) })
        _ = try await client.create(BenchConfigMap(metadata: ObjectMeta(name: "bench", namespace: "default"), data: data))

        let url = server.baseURL.appendingPathComponent("api/v1/namespaces/default/configmaps/bench")
        var request = URLRequest(url: url)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        request.setValue("Bearer \(server.adminToken)", forHTTPHeaderField: "Authorization")
        let session = URLSession(configuration: .ephemeral)

        let raw = try await measure(requests) {
            let (body, response) = try await session.data(for: request)
            guard (response as? HTTPURLResponse)?.statusCode == 200, !body.isEmpty else { throw KubeError.transport("raw GET failed") }
        }
        let untyped = try await measure(requests) {
            _ = try await client.get(.configMaps, namespace: "default", name: "bench")
        }
        let typed = try await measure(requests) {
            _ = try await client.get(BenchConfigMap.self, namespace: "default", name: "bench")
        }
        print("client benchmark: \(requests) sequential GETs of a 20-key ConfigMap against in-process kube-sim")
        print(String(format: "  raw URLSession     %8.1f µs/request", raw))
        print(String(format: "  KubeClient untyped %8.1f µs/request  (+%.1f µs: auth, retry loop, JSON parse)", untyped, untyped - raw))
        print(String(format: "  KubeClient typed   %8.1f µs/request  (+%.1f µs: and Codable decode)", typed, typed - raw))
    }

    /// Mean microseconds per call after a short warm-up.
    private static func measure(_ count: Int, _ body: () async throws -> Void) async throws -> Double {
        for _ in 0..<min(100, count) { try await body() }
        let clock = ContinuousClock()
        let elapsed = try await clock.measure {
            for _ in 0..<count { try await body() }
        }
        let (seconds, attoseconds) = elapsed.components
        return (Double(seconds) * 1e6 + Double(attoseconds) / 1e12) / Double(count)
    }
}
