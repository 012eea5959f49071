import Foundation

/// Emulates the official `zookeeper:<version>` image with Debian's ZooKeeper package
/// (`/usr/share/java/zookeeper.jar`, scripts in `/usr/share/zookeeper/bin`) and the host's JRE.
///
/// The container sees what the image has: `/apache-zookeeper-<version>-bin/bin` (first on
/// `PATH`) with `zkServer.sh`, `zkCli.sh` and a `zkEnv.sh` that follows upstream's conventions
/// (`ZOOCFGDIR`, `ZOO_LOG_DIR`, `JVMFLAGS`, `SERVER_JVMFLAGS`, `java.env`), `/conf` seeded with
/// a sample config, `/data`, `/datalog`, `/logs` owned by uid/gid 1000, `/docker-entrypoint.sh`
/// that writes `zoo.cfg` and `myid` from `ZOO_*` variables only when absent, and `nc`.
/// The server's version is Debian's (3.8), whatever the tag says.
public struct ZooKeeperImage: ImageEmulator {
    /// The version a tag without one (`latest`) stands for.
    public static let defaultVersion = "3.9.4"
    /// The image's zookeeper user and group.
    public static let zookeeperUID: UInt32 = 1000

    public var debianScripts: String
    public var jar: String

    public init(debianScripts: String = "/usr/share/zookeeper/bin", jar: String = "/usr/share/java/zookeeper.jar") {
        self.debianScripts = debianScripts
        self.jar = jar
    }

    public func handles(_ reference: ImageName) -> Bool { reference.repository == "zookeeper" }

    /// `3.9.4` from `3.9.4`, `3.9.4-jre-17`, ...; the default version for `latest`.
    public static func version(ofTag tag: String) -> String {
        let version = tag.prefix { $0.isNumber || $0 == "." }
        return version.isEmpty ? defaultVersion : String(version)
    }

    /// The host's `JAVA_HOME` (the JRE that runs `/usr/bin/java`).
    static func hostJavaHome() -> String? {
        let java = URL(fileURLWithPath: "/usr/bin/java").resolvingSymlinksInPath()
        guard FileManager.default.isExecutableFile(atPath: java.path), java.path != "/usr/bin/java" else { return nil }
        return java.deletingLastPathComponent().deletingLastPathComponent().path
    }

    public func emulate(_ reference: ImageName, imagesDirectory: URL) throws(PodRuntimeError) -> EmulatedImage {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: jar), fileManager.fileExists(atPath: "\(debianScripts)/zkServer.sh") else {
            throw .imageNotEmulated(image: reference.original, reason: "Debian's zookeeper package is not installed (run hack/install-deps.sh)")
        }
        guard let javaHome = Self.hostJavaHome() else {
            throw .imageNotEmulated(image: reference.original, reason: "no Java runtime at /usr/bin/java (run hack/install-deps.sh)")
        }
        let version = Self.version(ofTag: reference.tag)
        let distribution = "apache-zookeeper-\(version)-bin"
        let imageDirectory = imagesDirectory.appendingPathComponent("zookeeper-\(version)")
        let home = imageDirectory.appendingPathComponent(distribution)
        do {
            try fileManager.createDirectory(at: home.appendingPathComponent("bin"), withIntermediateDirectories: true)
            try fileManager.createDirectory(at: home.appendingPathComponent("conf"), withIntermediateDirectories: true)
            for script in ["zkServer.sh", "zkCli.sh"] {
                let original = try String(contentsOfFile: "\(debianScripts)/\(script)", encoding: .utf8)
                try Self.install(original, at: home.appendingPathComponent("bin/\(script)"), mode: 0o755)
            }
            try Self.install(ZooKeeperImageScripts.zkEnv(jar: jar), at: home.appendingPathComponent("bin/zkEnv.sh"), mode: 0o755)
            try Self.install(ZooKeeperImageScripts.sampleConfig, at: home.appendingPathComponent("conf/zoo_sample.cfg"), mode: 0o644)
            try Self.install(ZooKeeperImageScripts.entrypoint, at: imageDirectory.appendingPathComponent("docker-entrypoint.sh"), mode: 0o755)
        } catch {
            throw .io("preparing image \(reference.original): \(error)")
        }
        let uid = Self.zookeeperUID
        return EmulatedImage(
            entrypoint: ["/docker-entrypoint.sh"],
            cmd: ["zkServer.sh", "start-foreground"],
            env: [
                RuntimeEnvVar("PATH", "/\(distribution)/bin:\(javaHome)/bin:\(EmulatedImage.standardPath)"),
                RuntimeEnvVar("JAVA_HOME", javaHome),
                RuntimeEnvVar("ZOO_CONF_DIR", "/conf"),
                RuntimeEnvVar("ZOO_DATA_DIR", "/data"),
                RuntimeEnvVar("ZOO_DATA_LOG_DIR", "/datalog"),
                RuntimeEnvVar("ZOO_LOG_DIR", "/logs"),
                RuntimeEnvVar("ZOO_TICK_TIME", "2000"),
                RuntimeEnvVar("ZOO_INIT_LIMIT", "5"),
                RuntimeEnvVar("ZOO_SYNC_LIMIT", "2"),
                RuntimeEnvVar("ZOO_AUTOPURGE_PURGEINTERVAL", "0"),
                RuntimeEnvVar("ZOO_AUTOPURGE_SNAPRETAINCOUNT", "3"),
                RuntimeEnvVar("ZOO_MAX_CLIENT_CNXNS", "60"),
                RuntimeEnvVar("ZOO_STANDALONE_ENABLED", "true"),
                RuntimeEnvVar("ZOO_ADMINSERVER_ENABLED", "true"),
                RuntimeEnvVar("ZOOCFGDIR", "/conf"),
            ],
            workingDir: "/\(distribution)",
            user: nil,
            directories: [
                .init(path: "/conf", uid: uid, gid: uid, seededFrom: home.appendingPathComponent("conf").path),
                .init(path: "/data", uid: uid, gid: uid),
                .init(path: "/datalog", uid: uid, gid: uid),
                .init(path: "/logs", uid: uid, gid: uid),
            ],
            hostPaths: [
                .init(hostPath: home.path, containerPath: "/\(distribution)"),
                .init(hostPath: imageDirectory.appendingPathComponent("docker-entrypoint.sh").path, containerPath: "/docker-entrypoint.sh"),
            ])
    }

    /// Writes `content` unless the file already holds it; atomically, as pods start in parallel.
    private static func install(_ content: String, at url: URL, mode: Int) throws {
        if let existing = try? String(contentsOf: url, encoding: .utf8), existing == content { return }
        try Data(content.utf8).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }
}
