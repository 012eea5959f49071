import Foundation
import Testing
@testable import KubeSim

/// The runtime's pure parts: no processes, no files.
struct RuntimeLogicTests {
    @Test func backoffIsImmediateThenDoublesToTheCapAndResets() {
        var backoff = RestartBackoff(initial: .seconds(10), maximum: .seconds(40), resetAfter: .seconds(600))
        let delays = (0..<5).map { _ in backoff.next(afterRunningFor: .seconds(1)) }
        #expect(delays == [.zero, .seconds(10), .seconds(20), .seconds(40), .seconds(40)])
        #expect(backoff.next(afterRunningFor: .seconds(601)) == .zero)
        #expect(backoff.next(afterRunningFor: .seconds(1)) == .seconds(10))
    }

    @Test func probeTrackerNeedsConsecutiveResults() {
        var tracker = ProbeTracker(successThreshold: 2, failureThreshold: 3)
        #expect(tracker.record(success: true) == nil)
        #expect(tracker.record(success: false) == nil)
        #expect(tracker.record(success: true) == nil)
        #expect(tracker.record(success: true) == .success)
        #expect(tracker.record(success: true) == nil)
        #expect(tracker.record(success: false) == nil)
        #expect(tracker.record(success: false) == nil)
        #expect(tracker.record(success: false) == .failure)
        #expect(tracker.verdict == .failure)
    }

    /// The kubelet's probe worker waits on a `time.Ticker`: a probe shorter than the period
    /// is followed at the next tick, one that ran past a tick at once, and ticks it ran past
    /// are dropped but one.
    @Test func probesFollowTheTickerNotThePreviousProbesEnd() {
        let start = ContinuousClock.now
        var ticker = ProbeTicker(period: .seconds(1), start: start)
        // A quick probe: the next one at the first tick.
        #expect(ticker.take(now: start + .milliseconds(50)) == start + .seconds(1))
        // A probe that waited 0.9 s of its period: the next 0.1 s later, not a second later.
        #expect(ticker.take(now: start + .milliseconds(1900)) == start + .seconds(2))
        // A probe that ran past the tick at 3 s: the next at once, then back on the grid.
        #expect(ticker.take(now: start + .milliseconds(3200)) == start + .milliseconds(3200))
        #expect(ticker.take(now: start + .milliseconds(3300)) == start + .seconds(4))
        // Past three ticks (5, 6, 7 s): one probe at once, the next at 8 s.
        #expect(ticker.take(now: start + .milliseconds(7500)) == start + .milliseconds(7500))
        #expect(ticker.take(now: start + .milliseconds(7600)) == start + .seconds(8))
        // Ending exactly on a tick takes it; the next is a period later.
        #expect(ticker.take(now: start + .seconds(9)) == start + .seconds(9))
        #expect(ticker.take(now: start + .milliseconds(9100)) == start + .seconds(10))
    }

    @Test func hostsResolvePodsBehindHeadlessServicesAndServiceNames() {
        let labels = ["app": "zk"]
        let hosts = ClusterHosts(
            pods: [
                .init(namespace: "default", name: "zk-0", subdomain: "zk-hs", labels: labels, ip: "127.0.0.2", ready: true),
                .init(namespace: "default", name: "zk-1", subdomain: "zk-hs", labels: labels, ip: "127.0.0.3", ready: false),
                .init(namespace: "other", name: "zk-0", subdomain: "zk-hs", labels: labels, ip: "127.0.0.9", ready: true),
            ],
            services: [
                .init(namespace: "default", name: "zk-hs", selector: labels, headless: true, publishNotReadyAddresses: true),
                .init(namespace: "default", name: "zk-client", selector: labels, headless: false),
                .init(namespace: "default", name: "quiet", selector: labels, headless: true),
            ]).render(namespace: "default", hostname: "zk-1", fqdn: "zk-1.zk-hs.default.svc.cluster.local", ip: "127.0.0.3")
        let lines = Set(hosts.split(separator: "\n").map(String.init))
        #expect(lines.contains("127.0.0.3\tzk-1.zk-hs.default.svc.cluster.local\tzk-1"))
        #expect(lines.contains("127.0.0.2\tzk-0.zk-hs.default.svc.cluster.local\tzk-0.zk-hs.default.svc\tzk-0.zk-hs.default\tzk-0.zk-hs"))
        // zk-1's own long name is on its own line already; its shorter forms follow.
        #expect(lines.contains("127.0.0.3\tzk-1.zk-hs.default.svc\tzk-1.zk-hs.default\tzk-1.zk-hs"))
        // A Service name goes to a ready pod; the not-ready zk-1 is not chosen.
        #expect(lines.contains("127.0.0.2\tzk-client.default.svc.cluster.local\tzk-client.default.svc\tzk-client.default\tzk-client"))
        // Another namespace's pod is not selected by this namespace's Service.
        #expect(!hosts.contains("127.0.0.9"))
        // Without publishNotReadyAddresses only ready pods get records (and none has subdomain "quiet").
        #expect(!hosts.contains("zk-1.quiet"))
        #expect(lines.contains("127.0.0.2\tquiet.default.svc.cluster.local\tquiet.default.svc\tquiet.default\tquiet"))
    }

    @Test func environmentExpansionFollowsKubernetes() {
        let env = EnvironmentExpansion.expand([RuntimeEnvVar("A", "x"), RuntimeEnvVar("B", "$(A)-$(C)-$$(A)"), RuntimeEnvVar("C", "late")])
        #expect(env.map(\.value) == ["x", "x-$(C)-$(A)", "late"])
        #expect(EnvironmentExpansion.expand("server=$(POD_IP):2181", with: ["POD_IP": "127.0.0.2"]) == "server=127.0.0.2:2181")
    }

    @Test func imageReferencesAndVersions() {
        let reference = ImageName("docker.io/library/zookeeper:3.9.4")
        #expect(reference.repository == "zookeeper")
        #expect(reference.tag == "3.9.4")
        #expect(ImageName("zookeeper").tag == "latest")
        #expect(ImageName("localhost:5000/kube-sim/shell:1@sha256:abc").repository == "kube-sim/shell")
        #expect(ZooKeeperImage.version(ofTag: "3.8.4-jre-17") == "3.8.4")
        #expect(ZooKeeperImage.version(ofTag: "latest") == ZooKeeperImage.defaultVersion)
        #expect(throws: PodRuntimeError.self) {
            try ImageCatalog.standard.resolve("nginx:1.27", imagesDirectory: FileManager.default.temporaryDirectory)
        }
    }

    @Test func configMapKeysBecomeFilesWithModes() {
        let data = ["zoo.cfg": Data("a".utf8), "start.sh": Data("b".utf8)]
        let all = VolumeFiles.project(data: data, items: nil, defaultMode: 0o755)
        #expect(all.files.map(\.path) == ["start.sh", "zoo.cfg"])
        #expect(all.files.allSatisfy { $0.mode == 0o755 })
        let some = VolumeFiles.project(data: data, items: [.init(key: "start.sh", path: "bin/start", mode: 0o700), .init(key: "gone", path: "x")],
                                       defaultMode: nil)
        #expect(some.files == [ProjectedFile(path: "bin/start", content: Data("b".utf8), mode: 0o700)])
        #expect(some.missingKeys == ["gone"])
    }

    @Test func addressesAreRecycledLowestFirst() {
        let pool = PodAddressPool()
        #expect(pool.allocate(for: "a") == "127.0.0.2")
        #expect(pool.allocate(for: "b") == "127.0.0.3")
        #expect(pool.allocate(for: "a") == "127.0.0.2")
        pool.release("a")
        #expect(pool.allocate(for: "c") == "127.0.0.2")
        #expect(!pool.reserve("127.0.0.3", for: "d"))
        #expect(pool.reserve("127.0.0.7", for: "d"))
        #expect(pool.address(of: "d") == "127.0.0.7")
    }

    @Test func phaseFollowsContainerStates() {
        var running = ContainerRuntimeStatus(name: "c", image: "busybox")
        var status = PodRuntimeStatus(uid: "u", podIP: "127.0.0.2", startTime: Date(), restartPolicy: .always,
                                      initContainerStatuses: [], containerStatuses: [running], terminating: false)
        #expect(status.phase == .pending)
        running.state = .running(startedAt: Date())
        status.containerStatuses = [running]
        #expect(status.phase == .running)
        running.state = .terminated(exitCode: 0, signal: nil, reason: "Completed", message: nil, startedAt: Date(), finishedAt: Date())
        status.containerStatuses = [running]
        status.restartPolicy = .never
        #expect(status.phase == .succeeded)
        status.restartPolicy = .onFailure
        #expect(status.phase == .succeeded)
    }

    @Test func viewScriptDropsPrivilegesAndMountsDeeperPathsLast() throws {
        let script = ContainerViewScript(
            rootfs: "/state/root", hostname: "zk-0", hostsFile: "/state/hosts",
            hostEntries: [.symlink(name: "bin", target: "usr/bin"), .directory(name: "usr")],
            imageDirectories: [], imageHostPaths: [],
            mounts: [.init(hostPath: "/v/conf", containerPath: "/data/conf", readOnly: true),
                     .init(hostPath: "/v/data", containerPath: "/data", readOnly: false)],
            fsGroupDirectories: [], fsGroup: nil, workingDir: "/", user: (1000, 1000, [2000]))
        let text = script.text
        #expect(script.dropPrivileges == ["/usr/bin/setpriv", "--reuid=1000", "--regid=1000", "--groups=2000", "--"])
        let data = text.range(of: "mount --bind /v/data /state/root/data\n")
        let conf = text.range(of: "mount --bind -o ro /v/conf /state/root/data/conf\n")
        #expect(data != nil && conf != nil)
        if let data, let conf { #expect(data.lowerBound < conf.lowerBound) }
        #expect(text.contains("ln -sfn usr/bin /state/root/bin"))
        #expect(text.contains("mount --bind /state/hosts /state/root/etc/hosts"))
    }
}
