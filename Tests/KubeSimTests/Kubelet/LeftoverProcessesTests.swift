import Foundation
import Testing
@testable import KubeSim

/// A kubelet that restarts after a crash ends what its predecessor left running.
@Suite(.enabled(if: RuntimeTestSupport.canRunPods, "needs root, unshare, nsenter, setpriv and chroot"))
struct LeftoverProcessesTests {
    @Test func processesOfAPreviousRuntimeAreFoundAndKilled() async throws {
        try await RuntimeTestSupport.withRuntime { runtime, directory in
            let spec = PodSandboxSpec(uid: "orphan", namespace: "default", name: "orphan",
                                      containers: [ContainerSpec(name: "main", image: "busybox", command: ["/bin/sh", "-c", "sleep 300 & sleep 300"])],
                                      // Never: a restarted container would be new processes, not leftovers.
                                      restartPolicy: .never)
            try await runtime.startPod(spec, podIP: RuntimeTestSupport.addressPool().allocate(for: "orphan"), hosts: "127.0.0.1\tlocalhost\n")
            let podsDirectory = directory.appendingPathComponent("pods")
            try await RuntimeTestSupport.eventually("both sleeps run in the container's root") {
                LeftoverProcesses.find(under: podsDirectory).count >= 2
            }
            // As if the runtime had crashed: its successor only has the state directory.
            let killed = await LeftoverProcesses.cleanUp(podsDirectory: podsDirectory)
            #expect(killed >= 2)
            // SIGKILL is delivered asynchronously: wait until the processes are gone.
            try await RuntimeTestSupport.eventually("the leftover processes are gone") {
                LeftoverProcesses.find(under: podsDirectory).isEmpty
            }
            #expect(!FileManager.default.fileExists(atPath: podsDirectory.path))
            try await RuntimeTestSupport.eventually("the runtime saw its container die") {
                await runtime.status(of: "orphan")?.containerStatuses.first?.state.exitCode == 137
            }
            await runtime.removePod(uid: "orphan")
        }
    }
}
