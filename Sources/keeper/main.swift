import Controller
import Dispatch
import Flags
import Foundation
import HTTPServer
import Keeper
import KubeClient
#if canImport(Glibc)
import Glibc
#endif

/// keeper: the operator. `keeper [flags]` runs it until SIGTERM; `keeper crd` prints the CRD.
func fail(_ message: String, usage: String) -> Never {
    FileHandle.standardError.write(Data("keeper: \(message)\n\n\(usage)".utf8))
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "crd" {
    print(CustomResourceDefinition.rendered(), terminator: "")
    exit(0)
}

var parser = FlagParser(command: "keeper", summary: """
    Keeper, a Kubernetes operator for Apache ZooKeeper. Runs until SIGTERM or SIGINT.
    `keeper crd` prints the ZookeeperCluster CustomResourceDefinition.
    """)
parser.option("kubeconfig", valueName: "FILE", help: "kubeconfig to use; default $KUBECONFIG, in-cluster, then ~/.kube/config")
parser.option("context", valueName: "NAME", help: "kubeconfig context; default its current context")
parser.option("namespace", valueName: "NAME", repeatable: true, help: "namespace to watch; default all")
parser.option("concurrency", valueName: "N", default: "4", help: "clusters reconciled at once")
parser.option("health-addr", valueName: "[HOST]:PORT", default: ":8081", help: "serve /healthz and /readyz here; empty disables")
parser.option("log-format", valueName: "text|json", default: "text", help: "log line format")
parser.option("cluster-domain", valueName: "DOMAIN", default: "cluster.local", help: "the cluster's DNS domain, for member addresses")
parser.option("resync", valueName: "SECONDS", default: "300", help: "how often every cluster is reconciled without an event")
parser.flag("leader-elect", help: "hold the Lease keeper in --leader-election-namespace while reconciling")
parser.option("leader-election-namespace", valueName: "NAME", help: "namespace of the Lease; default the pod's namespace, else keeper-system")

let flags: ParsedFlags
do {
    flags = try parser.parse(arguments)
} catch .helpRequested {
    print(parser.usage, terminator: "")
    exit(0)
} catch {
    fail(error.description, usage: parser.usage)
}

let concurrency: Int
let resyncSeconds: Int
do {
    concurrency = try flags.int("concurrency") ?? 4
    resyncSeconds = try flags.int("resync") ?? 300
} catch {
    fail(error.description, usage: parser.usage)
}
let logFormat = flags.string("log-format") ?? "text"
guard logFormat == "text" || logFormat == "json" else { fail("--log-format must be text or json", usage: parser.usage) }
let logger = LogWriter(json: logFormat == "json")
let log: ControllerLog = { message in logger.write(message) }

let client: KubeClient
do {
    client = try KubeClient.load(kubeconfigPath: flags.string("kubeconfig"), context: flags.string("context"))
} catch {
    logger.write("cannot configure the Kubernetes client: \(error)", level: "error")
    exit(1)
}

var options = KeeperOperator.Options(namespaces: flags.strings("namespace"), concurrency: concurrency,
                                     resyncPeriod: .seconds(resyncSeconds), clusterDomain: flags.string("cluster-domain") ?? "cluster.local")
if flags.bool("leader-elect") {
    let namespace = flags.string("leader-election-namespace") ?? ProcessInfo.processInfo.environment["POD_NAMESPACE"]
        ?? (try? String(contentsOfFile: "/var/run/secrets/kubernetes.io/serviceaccount/namespace", encoding: .utf8))
        ?? "keeper-system"
    let identity = (ProcessInfo.processInfo.environment["POD_NAME"] ?? ProcessInfo.processInfo.hostName) + "-" + UUID().uuidString.prefix(8).lowercased()
    options.leaderElection = LeaderElector.Configuration(leaseName: "keeper", namespace: namespace.trimmingCharacters(in: .whitespacesAndNewlines), identity: identity)
}
let keeperOperator = KeeperOperator(client: client, options: options, log: log)

var healthServer: HTTPServer?
if let address = flags.string("health-addr"), !address.isEmpty {
    guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else {
        fail("--health-addr must be [HOST]:PORT", usage: parser.usage)
    }
    let host = address[..<colon].isEmpty ? "0.0.0.0" : String(address[..<colon])
    let server = HTTPServer(host: host, port: port) { request in
        switch request.path {
        case "/healthz": return HTTPResponse(status: 200, body: Data("ok\n".utf8))
        case "/readyz":
            return keeperOperator.isReady ? HTTPResponse(status: 200, body: Data("ok\n".utf8)) : HTTPResponse(status: 503, body: Data("caches not synced\n".utf8))
        default: return HTTPResponse(status: 404, body: Data("not found\n".utf8))
        }
    }
    do {
        try server.start()
    } catch {
        logger.write("cannot serve health endpoints on \(address): \(error)", level: "error")
        exit(1)
    }
    healthServer = server
    logger.write("health endpoints on \(host):\(server.port)")
}

// SIGTERM/SIGINT cancel the run: watches stop, in-flight reconciles finish, exit 0.
let running = Task { await keeperOperator.run() }
signal(SIGTERM, SIG_IGN)
signal(SIGINT, SIG_IGN)
// On the main queue: this handler belongs to top-level code, which runs on the main actor
// (a handler on a global queue fails the runtime's isolation check and crashes).
let signalSources = [SIGTERM, SIGINT].map { number in
    let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
    source.setEventHandler {
        logger.write("signal \(number): shutting down")
        running.cancel()
    }
    source.resume()
    return source
}
logger.write("keeper started (namespaces: \(options.namespaces.isEmpty ? "all" : options.namespaces.joined(separator: ",")), concurrency \(concurrency))")
let keptLeadership = await running.value
healthServer?.stop()
_ = signalSources
logger.write(keptLeadership ? "keeper stopped" : "keeper lost its leadership", level: keptLeadership ? "info" : "error")
exit(keptLeadership ? 0 : 1)
