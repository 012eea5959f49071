import Dispatch
import Flags
import Foundation
import KubeSim
#if canImport(Glibc)
import Glibc
#endif

/// kube-sim: the simulated cluster. `apiserver` runs the API server until SIGTERM/SIGINT.
let program = Subcommands(program: "kube-sim", summary: "A simulated Kubernetes cluster for Keeper's tests and playground.", commands: [
    .init(name: "apiserver", summary: "run the in-memory API server on 127.0.0.1"),
    .init(name: "kubelet", summary: "run a node: pods as local processes, against any API server (root)"),
    .init(name: "up", summary: "run the API server and one kubelet together (the playground)"),
])

func fail(_ message: String, usage: String) -> Never {
    FileHandle.standardError.write(Data("kube-sim: \(message)\n\n\(usage)".utf8))
    exit(2)
}

/// Blocks until SIGTERM or SIGINT.
func waitForTermination() {
    signal(SIGTERM, SIG_IGN)
    signal(SIGINT, SIG_IGN)
    let done = DispatchSemaphore(value: 0)
    let sources = [SIGTERM, SIGINT].map { number in
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { done.signal() }
        source.resume()
        return source
    }
    done.wait()
    _ = sources
}

func runAPIServer(_ arguments: [String]) {
    var parser = FlagParser(command: "kube-sim apiserver", summary: "Runs kube-sim's API server until SIGTERM or SIGINT.")
    parser.option("port", valueName: "PORT", default: "0", help: "port on 127.0.0.1; 0 picks a free one")
    parser.option("kubeconfig-out", valueName: "FILE", help: "write the administrator's kubeconfig for kubectl here (through a TLS front, as kubectl sends tokens only over TLS)")
    parser.option("http-kubeconfig-out", valueName: "FILE", help: "write the administrator's plain-HTTP kubeconfig for Keeper and other KubeClient programs here")
    parser.option("bookmark-interval", valueName: "SECONDS", default: "60", help: "how often watches get bookmarks")
    parser.option("history", valueName: "COUNT", default: "10000", help: "changes kept for watches before 410 Gone")
    let flags: ParsedFlags
    do {
        flags = try parser.parse(arguments)
    } catch .helpRequested {
        print(parser.usage, terminator: "")
        exit(0)
    } catch {
        fail(error.description, usage: parser.usage)
    }
    var configuration = APIServer.Configuration()
    do {
        configuration.port = try flags.int("port") ?? 0
        configuration.bookmarkInterval = try flags.double("bookmark-interval") ?? 60
        configuration.historyCapacity = try flags.int("history") ?? 10_000
    } catch {
        fail(error.description, usage: parser.usage)
    }
    let server = APIServer(configuration: configuration)
    do {
        try server.start()
    } catch {
        FileHandle.standardError.write(Data("kube-sim: cannot start the API server: \(error)\n".utf8))
        exit(1)
    }
    for (flag, kubeconfig) in [("kubeconfig-out", { try server.kubectlKubeconfigYAML() }), ("http-kubeconfig-out", { server.kubeconfigYAML() })] {
        guard let path = flags.string(flag) else { continue }
        do {
            try kubeconfig().write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            FileHandle.standardError.write(Data("kube-sim: cannot write \(path): \(error)\n".utf8))
            server.stop()
            exit(1)
        }
    }
    FileHandle.standardOutput.write(Data("kube-sim apiserver listening on \(server.baseURL.absoluteString)\n".utf8))
    waitForTermination()
    server.stop()
    print("kube-sim apiserver stopped")
}

do {
    let (command, arguments) = try program.select(Array(CommandLine.arguments.dropFirst()))
    switch command {
    case "apiserver": runAPIServer(arguments)
    case "kubelet": runKubelet(arguments)
    case "up": UpCommand.run(arguments)
    default: fail("unknown command: \(command)", usage: program.usage)
    }
} catch .helpRequested {
    print(program.usage, terminator: "")
} catch {
    fail(error.description, usage: program.usage)
}
