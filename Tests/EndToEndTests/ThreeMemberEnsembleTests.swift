import Foundation
import Keeper
import KubeClient
import KubeModel
import Testing
import ZooKeeperClient
#if canImport(Glibc)
import Glibc
#endif

/// Keeper running a real 3-member ZooKeeper ensemble on kube-sim (issue 4, "Done when").
/// One ensemble goes through every step, in order: forming it is the slow part (tens of
/// seconds on a busy machine), and each step starts from what the previous one left.
@Suite(.serialized) struct ThreeMemberEnsembleTests {
    static let name = "zk"
    static let manifest: JSONValue = ["apiVersion": "keeper.dev/v1alpha1", "kind": "ZookeeperCluster",
                                      "metadata": ["name": .string(name), "namespace": "default"], "spec": ["replicas": 3]]
    static let members = ["zk-0", "zk-1", "zk-2"]

    @Test(.enabled(if: Prerequisites.shouldRun, Prerequisites.skipReason), .timeLimit(.minutes(10)))
    func aClusterFormsServesSurvivesAKilledMemberAndKeepsDataAcrossPodDeletion() async throws {
        try Prerequisites.require()
        try await EndToEndHarness.run { harness in
            do {
                try await becomesAvailableWithOneLeader(harness)
                try await writesThroughTheServiceAreReadFromEveryMember(harness)
                try await aKilledMemberIsRestartedWhileWritesContinue(harness)
                try await aDeletedPodComesBackWithItsData(harness)
                try await kubectlWorksAgainstTheCluster(harness)
            } catch {
                Issue.record("Keeper's last log lines:\n\(harness.operatorLog.tail)")
                throw error
            }
        }
    }

    /// Available, three real servers, exactly one of them leading, and the status says which.
    func becomesAvailableWithOneLeader(_ harness: EndToEndHarness) async throws {
        _ = try await harness.client.create(.zookeeperClusters, namespace: "default", object: Self.manifest)
        try await waitUntil("zk is Available with 3 ready members and a leader", timeout: .seconds(180)) {
            let cluster = try await harness.cluster(Self.name)
            return EndToEndHarness.condition(cluster, "Available") == "True" && cluster.status?.readyReplicas == 3
                && cluster.status?.leader != nil && cluster.status?.members?.filter(\.ready).count == 3
        }
        let status = try #require(try await harness.cluster(Self.name).status)
        let members = try #require(status.members)
        #expect(members.map(\.name).sorted() == Self.members)
        #expect(members.filter { $0.role == "leader" }.map(\.name) == [try #require(status.leader)])
        #expect(members.filter { $0.role == "follower" }.count == 2)

        // Ask the servers themselves, each on its own pod address.
        var modes: [String: ZooKeeperRole] = [:]
        var addresses: Set<String> = []
        for member in Self.members {
            let ip = try #require(try await harness.pod(member).status?.podIP)
            addresses.insert(ip)
            modes[member] = try await FourLetterWords.serverStatus(host: ip).role
        }
        #expect(addresses.count == 3, "each member has its own address: \(addresses)")
        #expect(modes.values.filter { $0 == .leader }.count == 1, "modes: \(modes)")
        #expect(modes.filter { $0.value == .leader }.map(\.key) == [status.leader], "modes: \(modes)")
    }

    /// A znode written through the client Service is on every member.
    func writesThroughTheServiceAreReadFromEveryMember(_ harness: EndToEndHarness) async throws {
        #expect(try await harness.clientServiceAddresses(Self.name).count == 3)
        let writer = try await harness.clientThroughService(Self.name)
        _ = try await writer.create("/e2e", data: Array("written through zk-client".utf8))
        await writer.close()
        for member in Self.members {
            let reader = try await harness.clientOfMember(member)
            try await reader.sync("/e2e")
            let (data, _) = try await reader.getData("/e2e")
            #expect(String(decoding: data, as: UTF8.self) == "written through zk-client", "read from \(member)")
            await reader.close()
        }
    }

    /// SIGKILL a follower's ZooKeeper: the kubelet restarts the container, writes keep
    /// succeeding meanwhile, and the status shows the member unready, then ready again.
    func aKilledMemberIsRestartedWhileWritesContinue(_ harness: EndToEndHarness) async throws {
        let leader = try #require(try await harness.cluster(Self.name).status?.leader)
        let victim = try #require(Self.members.first { $0 != leader })
        let restartsBefore = try await harness.pod(victim).status?.containerStatuses?.first?.restartCount ?? 0
        let pid = try await harness.zooKeeperProcess(victim)
        #expect(kill(pid, SIGKILL) == 0)

        // A session with the two members that stay up: each write is tried once, and every
        // failure is counted and reported (none is retried away).
        var survivors: [String] = []
        for name in Self.members where name != victim {
            if let ip = try await harness.pod(name).status?.podIP { survivors.append("\(ip):2181") }
        }
        let writer = try await ZooKeeperClient.connect(survivors.joined(separator: ","))
        var acknowledged: [String] = []
        var failed: [String] = []
        func writeOnce() async {
            let path = "/e2e-during-restart-\(acknowledged.count + failed.count)"
            do {
                _ = try await writer.create(path, data: [])
                acknowledged.append(path)
            } catch {
                failed.append("\(path): \(error)")
            }
        }
        do {
            try await waitUntil("\(victim) is unready in status.members", timeout: .seconds(60)) {
                await writeOnce()
                let member = try await harness.cluster(Self.name).status?.members?.first { $0.name == victim }
                return member?.ready == false
            }
        } catch {
            // What a failure needs to be read: did the process die, and what did the kubelet say?
            let status = try? await harness.pod(victim).status
            Issue.record("""
                killed pid \(pid) \(kill(pid, 0) == 0 ? "still exists" : "is gone"); the container's pid now: \
                \(String(describing: try? await harness.zooKeeperProcess(victim))); \(victim)'s conditions: \
                \(status?.conditions?.map { "\($0.type)=\($0.status)" } ?? []), container: \
                \(String(describing: status?.containerStatuses?.first))
                """)
            throw error
        }
        try await waitUntil("\(victim) is ready again in status.members", timeout: .seconds(120)) {
            await writeOnce()
            let cluster = try await harness.cluster(Self.name)
            return cluster.status?.members?.first { $0.name == victim }?.ready == true && cluster.status?.readyReplicas == 3
        }
        let children = Set(try await writer.getChildren("/"))
        await writer.close()
        #expect(acknowledged.count >= 2, "writes went on during the restart")
        #expect(failed.isEmpty, "\(failed.count) of \(acknowledged.count + failed.count) writes failed during the restart: \(failed.prefix(5))")
        let lost = acknowledged.filter { !children.contains(String($0.dropFirst())) }
        #expect(lost.isEmpty, "acknowledged writes missing afterwards: \(lost)")
        let pod = try await harness.pod(victim)
        #expect((pod.status?.containerStatuses?.first?.restartCount ?? 0) == restartsBefore + 1)
        #expect(try await harness.zooKeeperProcess(victim) != pid)
        #expect(EndToEndHarness.condition(try await harness.cluster(Self.name), "Available") == "True")
    }

    /// Deleting a pod: the StatefulSet recreates it with the same claim, and the transaction
    /// log the member wrote before is still on that claim's volume, byte for byte, for the
    /// new pod's ZooKeeper to load (a rejoining follower also gets the leader's data, so
    /// reading the znode alone would not tell).
    func aDeletedPodComesBackWithItsData(_ harness: EndToEndHarness) async throws {
        let member = "zk-0"
        let before = try await harness.pod(member)
        let claimBefore = try await harness.client.get(PersistentVolumeClaim.self, namespace: "default", name: "data-\(member)")
        let writer = try await harness.clientThroughService(Self.name)
        _ = try await writer.create("/e2e-before-delete", data: Array("kept".utf8))
        await writer.close()
        // Make sure this member has it on disk before it goes.
        let check = try await harness.clientOfMember(member)
        try await check.sync("/e2e-before-delete")
        #expect(try await check.exists("/e2e-before-delete") != nil)
        await check.close()
        let logged = try await Self.transactionLogs(containing: "/e2e-before-delete", claim: claimBefore, harness)
        try #require(!logged.isEmpty, "no transaction log on the claim's volume holds the write")

        try await harness.client.delete(Pod.self, namespace: "default", name: member)
        try await waitUntil("\(member) is recreated and ready", timeout: .seconds(150)) {
            let pod = try await harness.pod(member)
            return pod.metadata.uid != before.metadata.uid && EndToEndHarness.isReady(pod)
        }
        let after = try await harness.pod(member)
        let claimName = after.spec?.volumes?.compactMap { $0.persistentVolumeClaim?.claimName }.first
        #expect(claimName == "data-\(member)")
        let claimAfter = try await harness.client.get(PersistentVolumeClaim.self, namespace: "default", name: "data-\(member)")
        #expect(claimAfter.metadata.uid == claimBefore.metadata.uid, "the same claim, not a new one")
        #expect(claimAfter.spec?.volumeName == claimBefore.spec?.volumeName)

        // The files on the claim: the same log, its bytes up to the write unchanged.
        let directory = try #require(try await Self.volumeDirectory(of: claimAfter, harness))
        for (path, prefix) in logged {
            let now = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + path))
            #expect(now.starts(with: prefix), "\(path) on the claim still holds what the member wrote before")
        }
        let reader = try await harness.clientOfMember(member)
        let (data, _) = try await reader.getData("/e2e-before-delete")
        #expect(String(decoding: data, as: UTF8.self) == "kept")
        await reader.close()
    }

    /// The host directory behind a claim (its PersistentVolume's path).
    static func volumeDirectory(of claim: PersistentVolumeClaim, _ harness: EndToEndHarness) async throws -> String? {
        guard let volumeName = claim.spec?.volumeName, !volumeName.isEmpty else { return nil }
        let volume = try await harness.client.get(PersistentVolume.self, namespace: nil, name: volumeName)
        return volume.spec?.hostPath?.path ?? volume.spec?.local?.path
    }

    /// ZooKeeper's transaction logs (`version-2/log.*`) on the claim's volume that hold
    /// `text`, each with its bytes up to the end of the last occurrence.
    static func transactionLogs(containing text: String, claim: PersistentVolumeClaim, _ harness: EndToEndHarness) async throws -> [String: Data] {
        let directory = try #require(try await volumeDirectory(of: claim, harness), "the claim is not bound")
        let needle = Data(text.utf8)
        var found: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory + "/version-2") where name.hasPrefix("log.") {
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/version-2/" + name))
            if let range = data.range(of: needle, options: .backwards) {
                found["version-2/" + name] = data.prefix(upTo: range.upperBound)
            }
        }
        return found
    }

    /// The real kubectl: pods with their addresses, the cluster described, a member's logs.
    func kubectlWorksAgainstTheCluster(_ harness: EndToEndHarness) async throws {
        let pods = try await harness.kubectl("get", "pods", "-o", "wide")
        #expect(pods.status == 0, "\(pods.output)")
        for member in Self.members {
            let ip = try #require(try await harness.pod(member).status?.podIP)
            #expect(pods.output.contains(member) && pods.output.contains(ip), "kubectl get pods -o wide:\n\(pods.output)")
        }
        #expect(pods.output.contains("e2e-node"))

        let leader = try #require(try await harness.cluster(Self.name).status?.leader)
        let described = try await harness.kubectl("describe", "zk", Self.name)
        #expect(described.status == 0, "\(described.output)")
        #expect(described.output.contains("Leader:") && described.output.contains(leader), "kubectl describe zk:\n\(described.output)")
        #expect(described.output.contains("Available"))

        // The API server proxies pods/log to the node's kubelet endpoint.
        let node = try await harness.client.get(Node.self, namespace: nil, name: "e2e-node")
        #expect((node.status?.daemonEndpoints?[path: ["kubeletEndpoint", "Port"]]?.intValue ?? 0) > 0)
        let logs = try await harness.kubectl("logs", leader, "--tail", "200")
        #expect(logs.status == 0, "kubectl logs \(leader):\n\(logs.output)")
        #expect(logs.output.contains("LEADING"), "a leader's log says so:\n\(logs.output.suffix(2000))")
    }
}
