// swift-tools-version:6.0
import PackageDescription

// Keeper uses no third-party packages: only the toolchain's Foundation, Dispatch, Glibc,
// Synchronization, XCTest and Swift Testing.
let package = Package(
    name: "Keeper",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "keeper", targets: ["keeper"]),
        .executable(name: "kube-sim", targets: ["kube-sim"]),
        .executable(name: "keeper-bench", targets: ["keeper-bench"]),
        .executable(name: "bench-rss-baseline", targets: ["bench-rss-baseline"]),
    ],
    targets: [
        // Codable Kubernetes objects, JSON values, resource descriptors.
        .target(name: "KubeModel"),
        // A YAML subset reader/writer (kubeconfig files, CRD output).
        .target(name: "YAML", dependencies: ["KubeModel"]),
        // Command-line flag parsing for the executables.
        .target(name: "Flags"),
        // A small HTTP/1.1 server: kube-sim's API server, Keeper's health endpoints.
        .target(name: "HTTPServer"),
        // Configuration, transport, typed verbs, watch streams, errors.
        .target(name: "KubeClient", dependencies: ["KubeModel", "YAML"]),
        // Informer caches, work queue, controller loop, leader election.
        .target(name: "Controller", dependencies: ["KubeModel", "KubeClient"]),
        // Four-letter-word probes and the ZooKeeper wire protocol.
        .target(name: "ZooKeeperClient"),
        // The ZookeeperCluster API, builders, planners, reconciler.
        .target(name: "Keeper", dependencies: ["KubeModel", "KubeClient", "Controller", "ZooKeeperClient", "YAML", "HTTPServer"]),
        .executableTarget(name: "keeper", dependencies: ["Keeper", "Flags"]),
        // The simulated cluster: API server, controllers, kubelet.
        .target(name: "KubeSim", dependencies: ["KubeModel", "KubeClient", "HTTPServer", "YAML"]),
        .executableTarget(name: "kube-sim", dependencies: ["KubeSim", "Flags"]),
        // glibc's malloc.h (mallinfo2), which the Glibc module leaves out: a header, no code.
        .systemLibrary(name: "CGlibcMalloc"),
        .executableTarget(name: "keeper-bench", dependencies: ["KubeSim", "KubeClient", "Keeper", "ZooKeeperClient", "Flags", "CGlibcMalloc"]),
        // Foundation + URLSession and nothing else: the RSS floor keeper-bench compares Keeper with.
        .executableTarget(name: "bench-rss-baseline", path: "hack/bench-rss-baseline"),

        // Shared by the test targets: Keeper installed on kube-sim as users install it.
        .target(name: "KeeperTestSupport", dependencies: ["KubeSim", "KubeClient", "KubeModel", "YAML"], path: "Tests/Support/KeeperTestSupport"),
        .testTarget(name: "KubeModelTests", dependencies: ["KubeModel"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML"]),
        .testTarget(name: "FlagsTests", dependencies: ["Flags"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer"]),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "KubeSim"]),
        .testTarget(name: "ControllerTests", dependencies: ["Controller", "KubeSim"]),
        .testTarget(name: "ZooKeeperClientTests", dependencies: ["ZooKeeperClient"]),
        .testTarget(name: "KeeperTests", dependencies: ["Keeper", "KubeSim", "KeeperTestSupport"]),
        .testTarget(name: "KubeSimTests", dependencies: ["KubeSim", "KubeClient", "HTTPServer"]),
        // A real ZooKeeper ensemble run by Keeper on kube-sim (needs root, ZooKeeper, Java).
        .testTarget(name: "EndToEndTests", dependencies: ["Keeper", "KubeSim", "KubeClient", "ZooKeeperClient", "Controller", "KeeperTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
