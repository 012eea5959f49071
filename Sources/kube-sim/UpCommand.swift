import Dispatch
import Flags
import Foundation
import KubeClient
import KubeSim
#if canImport(Glibc)
import Glibc
#endif

/// `kube-sim up --dir DIR [--node NAME]`: the whole simulated cluster in one process.
///
/// It runs the API server and one kubelet; the kubelet talks to the server over HTTP through
/// `KubeClient` with the kubeconfig written to `DIR/kubeconfig`, exactly as a kubelet on
/// another machine would. SIGTERM or SIGINT stops the kubelet first (every pod process is
/// stopped within its grace period), then the server.
enum UpCommand {
    static func run(_ arguments: [String]) {
        var parser = FlagParser(command: "kube-sim up", summary: """
            Runs kube-sim's API server and one kubelet until SIGTERM or SIGINT, writing DIR/kubeconfig.
            Pods run as local processes (real ZooKeeper for zookeeper:* images); this needs root.
            """)
        parser.option("dir", valueName: "DIR", help: "state directory: kubeconfig, node state, volumes (required)")
        parser.option("node", valueName: "NAME", default: "kube-sim-node", help: "the kubelet's node name")
        parser.option("port", valueName: "PORT", default: "0", help: "API server port on 127.0.0.1; 0 picks a free one")
        parser.option("tls-port", valueName: "PORT", default: "0",
                      help: "port of the API server's TLS front (socat) on 127.0.0.1, which pods reach as KUBERNETES_SERVICE_HOST/PORT; 0 picks a free one")
        parser.option("keeper-binary", valueName: "FILE",
                      help: "the keeper binary keeper:* images run; default $KUBE_SIM_KEEPER_BINARY, else the keeper next to kube-sim")
        let flags: ParsedFlags
        do {
            flags = try parser.parse(arguments)
        } catch .helpRequested {
            print(parser.usage, terminator: "")
            exit(0)
        } catch {
            fail(error.description, usage: parser.usage)
        }
        guard let directory = flags.string("dir"), !directory.isEmpty else { fail("--dir is required", usage: parser.usage) }
        let nodeName = flags.string("node") ?? "kube-sim-node"
        var configuration = APIServer.Configuration()
        let tlsPort: Int
        do {
            configuration.port = try flags.int("port") ?? 0
            tlsPort = try flags.int("tls-port") ?? 0
        } catch {
            fail(error.description, usage: parser.usage)
        }

        let root = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        let kubeconfigPath = root.appendingPathComponent("kubeconfig").path
        do {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        } catch {
            die("cannot create \(root.path): \(error)")
        }

        let certificates: ClusterCertificates
        do {
            certificates = try ClusterCertificates.load(orCreateIn: root.appendingPathComponent("pki", isDirectory: true))
        } catch {
            die("cannot make the cluster's certificates: \(error)")
        }
        configuration.certificates = certificates
        let server = APIServer(configuration: configuration)
        let front: TLSFront
        do {
            try server.start()
            front = try server.startTLSFront(port: tlsPort, logPath: root.appendingPathComponent("tls-front.log").path)
        } catch {
            server.stop()
            die("cannot start the API server: \(error)")
        }
        let kubeconfig = server.kubeconfigYAML()
        let httpKubeconfigPath = root.appendingPathComponent("kubeconfig-http").path
        let client: KubeClient
        do {
            // kubectl's goes through the TLS front (kubectl sends tokens only over TLS); the
            // plain-HTTP one is for KubeClient programs (Keeper run outside the cluster).
            try server.kubectlKubeconfigYAML().write(toFile: kubeconfigPath, atomically: true, encoding: .utf8)
            try kubeconfig.write(toFile: httpKubeconfigPath, atomically: true, encoding: .utf8)
            client = try KubeClient.fromKubeconfig(kubeconfig)
        } catch {
            server.stop()
            die("cannot write or read \(kubeconfigPath): \(error)")
        }

        let kubelet = Kubelet(client: client, configuration: KubeletConfiguration(
            nodeName: nodeName, stateDirectory: root.appendingPathComponent("nodes/\(nodeName)", isDirectory: true),
            images: .standard(keeperBinary: flags.string("keeper-binary")),
            kubernetesService: KubernetesServiceEndpoint(host: "127.0.0.1", port: front.port)))
        let stopped = DispatchSemaphore(value: 0)
        let kubeletTask = Task {
            do {
                try await kubelet.run()
            } catch is CancellationError {
            } catch {
                FileHandle.standardError.write(Data("kube-sim: kubelet failed: \(error)\n".utf8))
            }
            stopped.signal()
        }

        say("""
            kube-sim up: API server \(server.baseURL.absoluteString), TLS front \(front.baseURL.absoluteString) (CA \(certificates.caCertificatePath)), node \(nodeName)
            kube-sim up: kubeconfig \(kubeconfigPath)  (export KUBECONFIG=\(kubeconfigPath)), plain HTTP for KubeClient: \(httpKubeconfigPath)
            kube-sim up: running until SIGTERM or Ctrl-C
            """)
        waitForTermination()
        say("kube-sim up: stopping the kubelet and its pods")
        kubeletTask.cancel()
        stopped.wait()
        server.stop()
        say("kube-sim up: stopped")
    }

    /// Unbuffered, so a script reading our output through a pipe sees each line at once.
    private static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    private static func die(_ message: String) -> Never {
        FileHandle.standardError.write(Data("kube-sim: \(message)\n".utf8))
        exit(1)
    }
}
