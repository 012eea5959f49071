import Dispatch
import Flags
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import KubeModel
import KubeSim
import Synchronization

/// `keeper-bench apiserver`: kube-sim's request throughput (GET, LIST, CREATE per second
/// over loopback with a few concurrent URLSession clients), each as the administrator and as
/// a ServiceAccount RBAC has to authorize, the authorizer's cost per decision, and watch
/// fan-out latency (time from a write to every watcher having received its event).
enum APIServerBenchmark {
    static func run(_ arguments: [String]) async {
        var parser = FlagParser(command: "keeper-bench apiserver", summary: "Measures kube-sim's API server: request throughput and watch fan-out latency.")
        parser.option("clients", valueName: "N", default: "4", help: "concurrent HTTP clients")
        parser.option("seconds", valueName: "S", default: "3", help: "duration of each throughput phase")
        parser.option("list-size", valueName: "N", default: "100", help: "objects in the listed namespace")
        parser.option("watchers", valueName: "N", default: "50", help: "concurrent watch streams")
        parser.option("writes", valueName: "N", default: "200", help: "writes whose fan-out is timed")
        let clients: Int, seconds: Double, listSize: Int, watchers: Int, writes: Int
        do {
            let flags = try parser.parse(arguments)
            clients = try flags.int("clients") ?? 4
            seconds = try flags.double("seconds") ?? 3
            listSize = try flags.int("list-size") ?? 100
            watchers = try flags.int("watchers") ?? 50
            writes = try flags.int("writes") ?? 200
        } catch .helpRequested {
            print(parser.usage, terminator: "")
            return
        } catch {
            print("keeper-bench apiserver: \(error.description)\n\n\(parser.usage)")
            exit(2)
        }

        let server = APIServer()
        do { try server.start() } catch {
            print("keeper-bench apiserver: cannot start kube-sim: \(error)")
            exit(1)
        }
        defer { server.stop() }
        let base = server.baseURL.absoluteString
        print("kube-sim API server at \(base): \(clients) clients, \(Int(seconds)) s per phase")

        _ = try? server.storage.create(.namespaces, ["metadata": ["name": "bench-list"]])
        for index in 0..<listSize {
            _ = try? server.storage.create(.configMaps, ["metadata": ["name": .string("item-\(index)"), "namespace": "bench-list"], "data": ["k": "v"]])
        }
        _ = try? server.storage.create(.configMaps, ["metadata": ["name": "target", "namespace": "default"], "data": ["k": "v"]])

        let serviceAccountToken: String
        do {
            serviceAccountToken = try grantServiceAccount(server)
        } catch {
            print("keeper-bench apiserver: cannot set up the ServiceAccount: \(error)")
            exit(1)
        }
        let session = URLSession(configuration: .ephemeral)
        // Each phase as the administrator (system:masters: allowed before RBAC is asked) and as
        // a ServiceAccount that RBAC allows through one of 100 ClusterRoleBindings.
        print("                 admin        ServiceAccount (RBAC)")
        func phase(_ name: String, _ note: String = "", _ request: @escaping @Sendable (Int, Int) -> URLRequest) async {
            var rates: [Double] = []
            for token in [server.adminToken, serviceAccountToken] {
                rates.append(await throughput(clients: clients, seconds: seconds) { client, sequence in
                    var built = request(client, sequence)
                    built.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                    return built
                }(session))
            }
            let label = name.padding(toLength: 6, withPad: " ", startingAt: 0)
            print(label + String(format: " %8.0f req/s %8.0f req/s (%+.1f%%)", rates[0], rates[1], (rates[1] / rates[0] - 1) * 100) + note)
        }
        await phase("GET") { _, _ in URLRequest(url: URL(string: "\(base)/api/v1/namespaces/default/configmaps/target")!) }
        await phase("LIST", "  (\(listSize) objects each)") { _, _ in URLRequest(url: URL(string: "\(base)/api/v1/namespaces/bench-list/configmaps")!) }
        let round = Atomic<Int>(0)
        await phase("CREATE") { client, sequence in
            var request = URLRequest(url: URL(string: "\(base)/api/v1/namespaces/default/configmaps")!)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            let body: JSONValue = ["metadata": ["name": .string("bench-\(round.add(1, ordering: .relaxed).newValue)-\(client)-\(sequence)")], "data": ["k": "v"]]
            request.httpBody = body.serialized()
            return request
        }
        authorizerCost(server, serviceAccountToken: serviceAccountToken)

        fanOut(server: server, watchers: watchers, writes: writes)
    }

    /// A ServiceAccount `bench/reader` allowed to get, list and create ConfigMaps by a
    /// ClusterRoleBinding among 99 others (for other users and groups), and its token.
    static func grantServiceAccount(_ server: APIServer) throws -> String {
        _ = try server.storage.create(.namespaces, ["metadata": ["name": "bench"]])
        _ = try server.storage.create(.serviceAccounts, ["metadata": ["name": "reader", "namespace": "bench"]])
        _ = try server.storage.create(.clusterRoles, ["metadata": ["name": "bench-configmaps"],
                                                      "rules": [["apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list", "create"]]]])
        for index in 0..<100 {
            let subject: JSONValue = index == 50
                ? ["kind": "ServiceAccount", "name": "reader", "namespace": "bench"]
                : ["kind": index % 2 == 0 ? "User" : "Group", "name": .string("someone-\(index)")]
            _ = try server.storage.create(.clusterRoleBindings, ["metadata": ["name": .string("bench-\(index)")],
                                                                 "roleRef": ["apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "bench-configmaps"],
                                                                 "subjects": [subject]])
        }
        return try server.serviceAccountTokens.issue(namespace: "bench", serviceAccount: "reader")
    }

    /// The authorizer's own cost per decision, in process: what RBAC adds to every request.
    static func authorizerCost(_ server: APIServer, serviceAccountToken: String) {
        let authorizer = server.currentAuthorizer
        let attributes = AuthorizationAttributes(verb: "get", namespace: "default", resource: "configmaps", name: "target")
        let users: [(String, UserInfo)] = [("admin", .admin), ("ServiceAccount", .serviceAccount(namespace: "bench", name: "reader")),
                                           ("refused", .serviceAccount(namespace: "bench", name: "nobody"))]
        var line = "AUTHORIZE (in process, 100 ClusterRoleBindings):"
        for (name, user) in users {
            let rounds = 200_000
            let start = DispatchTime.now().uptimeNanoseconds
            var allowed = 0
            for _ in 0..<rounds where authorizer.authorize(user, attributes).isAllowed { allowed += 1 }
            let nanoseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / Double(rounds)
            line += String(format: " %@ %.0f ns", name, nanoseconds)
            if allowed == 0 && name != "refused" { line += " (refused!)" }
        }
        print(line)
    }

    /// Runs `clients` loops of requests for `seconds` and returns the completed requests per second.
    static func throughput(clients: Int, seconds: Double, request: @escaping @Sendable (Int, Int) -> URLRequest) -> @Sendable (URLSession) async -> Double {
        { session in
            let deadline = Date().addingTimeInterval(seconds)
            let start = Date()
            let total = await withTaskGroup(of: Int.self) { group in
                for client in 0..<clients {
                    group.addTask {
                        var done = 0
                        while Date() < deadline {
                            guard let (_, response) = try? await session.data(for: request(client, done)),
                                  let http = response as? HTTPURLResponse, http.statusCode < 300 else { continue }
                            done += 1
                        }
                        return done
                    }
                }
                return await group.reduce(0, +)
            }
            return Double(total) / Date().timeIntervalSince(start)
        }
    }

    /// Opens `watchers` watch streams, writes `writes` objects one by one, and reports how
    /// long it took until every watcher had each event.
    static func fanOut(server: APIServer, watchers: Int, writes: Int) {
        let version = server.store.revision
        let arrivals = Mutex<[String: (count: Int, last: Date)]>([:])
        let streams = (0..<watchers).compactMap { _ in
            RawWatch(port: server.port, path: "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(version)", token: server.adminToken) { name in
                arrivals.withLock { table in
                    let entry = table[name] ?? (0, Date())
                    table[name] = (entry.count + 1, Date())
                }
            }
        }
        guard streams.count == watchers else {
            print("watch fan-out: could only open \(streams.count) of \(watchers) streams")
            return
        }
        var latencies: [Double] = []
        for index in 0..<writes {
            let name = "fanout-\(index)"
            let start = Date()
            _ = try? server.storage.create(.configMaps, ["metadata": ["name": .string(name), "namespace": "default"]])
            let deadline = start.addingTimeInterval(10)
            while Date() < deadline {
                if let entry = arrivals.withLock({ $0[name] }), entry.count >= watchers {
                    latencies.append(entry.last.timeIntervalSince(start) * 1000)
                    break
                }
                usleep(50)
            }
        }
        for stream in streams { stream.close() }
        latencies.sort()
        guard !latencies.isEmpty else {
            print("watch fan-out: no event reached every watcher")
            return
        }
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count - 1) * p))] }
        print(String(format: "WATCH fan-out to %d watchers over %d writes: p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                     watchers, latencies.count, percentile(0.5), percentile(0.99), latencies.last ?? 0))
    }
}

/// A watch stream over a raw socket with its own reader thread, reporting each event's object name.
final class RawWatch: Sendable {
    private let fd: Int32

    init?(port: Int, path: String, token: String, onEvent: @escaping @Sendable (String) -> Void) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Glibc.close(fd)
            return nil
        }
        let request = "GET \(path) HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer \(token)\r\n\r\n"
        _ = Array(request.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        let socketFD = self.fd
        let thread = Thread {
            var pending = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(socketFD, $0.baseAddress, $0.count, 0) }
                if count <= 0 { return }
                pending += buffer[0..<count]
                // Event lines are whole JSON objects; chunk-size lines and headers are skipped.
                while let newline = pending.firstIndex(of: 10) {
                    let line = pending[..<newline]
                    pending.removeFirst(newline + 1)
                    guard line.first == UInt8(ascii: "{"), let event = try? JSONValue.parse(Data(line)),
                          let name = event[path: ["object", "metadata", "name"]]?.stringValue else { continue }
                    onEvent(name)
                }
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    func close() { shutdown(fd, Int32(SHUT_RDWR)) }
}
