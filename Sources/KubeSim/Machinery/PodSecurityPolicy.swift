import KubeModel

/// The Pod Security Standards a namespace asks for through its labels
/// (`pod-security.kubernetes.io/<mode>` and `<mode>-version`), parsed as
/// `staging/src/k8s.io/pod-security-admission/api/helpers.go` `PolicyToEvaluate` does: a
/// missing level is `privileged`, a missing version `latest`; an unparsable level counts as
/// `restricted` (the most restrictive, as the real helper defaults on error) and an unparsable
/// version as `latest`.
public struct PodSecurityPolicy: Hashable, Sendable {
    /// A Pod Security Standard (`api.Level`).
    public enum Level: String, Hashable, Sendable, CaseIterable {
        case privileged, baseline, restricted
    }

    /// A level at a version (`api.LevelVersion`); `description` is its `String()`:
    /// `restricted:latest`, `baseline:v1.32`.
    public struct LevelVersion: Hashable, Sendable, CustomStringConvertible {
        public var level: Level
        /// `latest` or `v1.<minor>`.
        public var version: String

        public init(_ level: Level, version: String = "latest") {
            self.level = level
            self.version = version
        }

        public var description: String { "\(level.rawValue):\(version)" }
    }

    /// The label prefix of every mode (`api.labelPrefix`).
    public static let labelPrefix = "pod-security.kubernetes.io/"

    public var enforce: LevelVersion
    public var warn: LevelVersion
    public var audit: LevelVersion

    public init(enforce: LevelVersion = LevelVersion(.privileged), warn: LevelVersion = LevelVersion(.privileged),
                audit: LevelVersion = LevelVersion(.privileged)) {
        self.enforce = enforce
        self.warn = warn
        self.audit = audit
    }

    /// The policy of a namespace with `labels`.
    public init(labels: [String: String]) {
        func mode(_ name: String) -> LevelVersion {
            var result = LevelVersion(.privileged)
            if let text = labels[Self.labelPrefix + name] {
                result.level = Level(rawValue: text) ?? .restricted
            }
            if let text = labels[Self.labelPrefix + name + "-version"], Self.isVersion(text) {
                result.version = text
            }
            return result
        }
        self.init(enforce: mode("enforce"), warn: mode("warn"), audit: mode("audit"))
    }

    /// Whether every mode is `privileged` (`Policy.FullyPrivileged`): nothing to evaluate.
    public var isFullyPrivileged: Bool {
        enforce.level == .privileged && warn.level == .privileged && audit.level == .privileged
    }

    /// `latest` or `v1.<minor>` (`api.ParseVersion`).
    static func isVersion(_ text: String) -> Bool {
        if text == "latest" { return true }
        guard text.hasPrefix("v1."), let minor = Int(text.dropFirst(3)), minor >= 0 else { return false }
        return true
    }
}
