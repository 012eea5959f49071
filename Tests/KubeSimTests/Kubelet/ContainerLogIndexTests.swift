import Foundation
import Testing
@testable import KubeSim

/// Log lookups by pod name, over a state directory laid out as the runtime lays it out.
struct ContainerLogIndexTests {
    @Test func currentAndPreviousLogsByPodName() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("kube-sim-logs-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: state) }
        let logs = state.appendingPathComponent("pods/uid-1/containers/zookeeper/logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try Data("first\n".utf8).write(to: logs.appendingPathComponent("0.log"))
        try Data("a\nb\nc\n".utf8).write(to: logs.appendingPathComponent("1.log"))
        let index = ContainerLogIndex(stateDirectory: state)
        #expect(throws: ContainerLogIndex.LookupError.podNotFound("zk-0")) {
            try index.read(namespace: "default", name: "zk-0", container: nil)
        }
        index.record(namespace: "default", name: "zk-0", uid: "uid-1")
        #expect(try index.read(namespace: "default", name: "zk-0", container: nil) == Data("a\nb\nc\n".utf8))
        #expect(try index.read(namespace: "default", name: "zk-0", container: "zookeeper", tailLines: 2) == Data("b\nc\n".utf8))
        #expect(try index.read(namespace: "default", name: "zk-0", container: "zookeeper", previous: true) == Data("first\n".utf8))
        #expect(throws: ContainerLogIndex.LookupError.containerNotFound(pod: "zk-0", container: "sidecar")) {
            try index.read(namespace: "default", name: "zk-0", container: "sidecar")
        }
        index.forget(namespace: "default", name: "zk-0", uid: "uid-1")
        #expect(throws: ContainerLogIndex.LookupError.podNotFound("zk-0")) {
            try index.read(namespace: "default", name: "zk-0", container: nil)
        }
    }
}
