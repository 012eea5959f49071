import Foundation
import Testing

/// Where a local ZooKeeper and Java are, for tests that run real servers.
///
/// Looked up in order: `ZOOKEEPER_HOME` (a release tarball: `lib/*.jar`),
/// `ZOOKEEPER_CLASSPATH`, then Debian's package (`/usr/share/java/zookeeper.jar`, whose
/// manifest names its dependencies). Java: `JAVA_HOME/bin/java`, then `java` on PATH.
struct ZooKeeperInstallation: Sendable {
    let java: String
    let classpath: String

    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let lookup: Result<ZooKeeperInstallation, InstallationMissing> = locate()
    static var found: ZooKeeperInstallation? { try? lookup.get() }
    /// Real-server tests run when ZooKeeper is installed, and always in CI, where a missing
    /// installation must fail rather than skip.
    static var testsEnabled: Bool { found != nil || isCI }
    static var skipReason: Comment {
        if case .failure(let missing) = lookup { return Comment(rawValue: missing.reason) }
        return "ZooKeeper found"
    }

    struct InstallationMissing: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }

    /// The installation, or an error saying what is missing (the tests call this, so in CI
    /// the absence fails them with that message).
    static func require() throws -> ZooKeeperInstallation { try lookup.get() }

    private static func locate() -> Result<ZooKeeperInstallation, InstallationMissing> {
        let environment = ProcessInfo.processInfo.environment
        let files = FileManager.default
        var classpath: String?
        if let home = environment["ZOOKEEPER_HOME"], files.fileExists(atPath: home + "/lib") {
            classpath = home + "/lib/*"
        } else if let explicit = environment["ZOOKEEPER_CLASSPATH"] {
            classpath = explicit
        } else if files.fileExists(atPath: "/usr/share/java/zookeeper.jar") {
            classpath = "/usr/share/java/zookeeper.jar"
            // Debian ships no logging backend in the manifest: add slf4j-simple for server logs.
            if files.fileExists(atPath: "/usr/share/java/slf4j-simple.jar") {
                classpath? += ":/usr/share/java/slf4j-simple.jar"
            }
        }
        guard let classpath else {
            return .failure(InstallationMissing(reason: "ZooKeeper not found (install Debian's 'zookeeper' package, or set ZOOKEEPER_HOME)"))
        }
        var candidates: [String] = []
        if let javaHome = environment["JAVA_HOME"] { candidates.append(javaHome + "/bin/java") }
        candidates += (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/java" }
        guard let java = candidates.first(where: { files.isExecutableFile(atPath: $0) }) else {
            return .failure(InstallationMissing(reason: "Java not found (install a JRE, e.g. Debian's 'default-jre-headless', or set JAVA_HOME)"))
        }
        return .success(ZooKeeperInstallation(java: java, classpath: classpath))
    }
}
