import Dispatch
import Flags
import Foundation
import KubeClient
import KubeSim
#if canImport(Glibc)
import Glibc
#endif

/// `kube-sim kubelet --kubeconfig FILE --node NAME`: runs a node agent against any API
/// server until SIGTERM or SIGINT, then stops every pod process it started.
func runKubelet(_ arguments: [String]) {
    var parser = FlagParser(command: "kube-sim kubelet", summary: "Runs a kube-sim node: pods as local processes, registered with any API server.")
    parser.option("kubeconfig", valueName: "FILE", help: "kubeconfig of the API server (default: $KUBECONFIG, then ~/.kube/config)")
    parser.option("node", valueName: "NAME", default: "kube-sim-node", help: "the Node's name")
    parser.option("state-dir", valueName: "DIR", help: "pods, images and volumes (default: /var/lib/kube-sim/<node>)")
    parser.option("host-ip", valueName: "ADDRESS", default: "127.0.0.1", help: "the node's InternalIP, every pod's hostIP")
    parser.option("cpu", valueName: "QUANTITY", default: "64", help: "cpu capacity and allocatable")
    parser.option("memory", valueName: "QUANTITY", default: "256Gi", help: "memory capacity and allocatable")
    parser.option("pods", valueName: "COUNT", default: "250", help: "pod capacity")
    parser.option("heartbeat", valueName: "SECONDS", default: "10", help: "Lease and node status renewal interval")
    parser.option("pod-address-start", valueName: "ADDRESS", default: "127.0.0.2", help: "first pod address (127.x.y.z); pods get the next free ones")
    parser.flag("no-provision", help: "do not provision volumes for pending PersistentVolumeClaims")
    parser.flag("no-bind", help: "do not bind unscheduled pods (leave them to a scheduler)")
    let flags: ParsedFlags
    do {
        flags = try parser.parse(arguments)
    } catch .helpRequested {
        print(parser.usage, terminator: "")
        exit(0)
    } catch {
        fail(error.description, usage: parser.usage)
    }
    guard getuid() == 0 else {
        fail("the kubelet runs pods in mount namespaces and must run as root", usage: parser.usage)
    }
    let node = flags.string("node") ?? "kube-sim-node"
    let client: KubeClient
    do {
        client = try KubeClient.load(kubeconfigPath: flags.string("kubeconfig"))
    } catch {
        fail("cannot load the kubeconfig: \(error)", usage: parser.usage)
    }
    let heartbeat: Double
    do {
        heartbeat = try flags.double("heartbeat") ?? 10
    } catch {
        fail(error.description, usage: parser.usage)
    }
    let state = URL(fileURLWithPath: flags.string("state-dir") ?? "/var/lib/kube-sim/\(node)")
    let configuration = KubeletConfiguration(
        nodeName: node, hostIP: flags.string("host-ip") ?? "127.0.0.1",
        capacity: ["cpu": flags.string("cpu") ?? "64", "memory": flags.string("memory") ?? "256Gi",
                   "pods": flags.string("pods") ?? "250", "ephemeral-storage": "1Ti"],
        stateDirectory: state, heartbeatInterval: .milliseconds(Int(heartbeat * 1000)),
        provisionVolumes: !flags.bool("no-provision"), bindPods: !flags.bool("no-bind"),
        firstPodAddress: flags.string("pod-address-start") ?? "127.0.0.2")
    let kubelet = Kubelet(client: client, configuration: configuration)
    let run = Task {
        do {
            try await kubelet.run()
        } catch {
            FileHandle.standardError.write(Data("kube-sim kubelet: \(error)\n".utf8))
        }
    }
    FileHandle.standardOutput.write(Data("kube-sim kubelet: node \(node), state in \(state.path)\n".utf8))
    let stopped = DispatchSemaphore(value: 0)
    Task {
        await run.value
        stopped.signal()
    }
    DispatchQueue.global().async {
        waitForTermination()
        run.cancel()
    }
    stopped.wait()
}
