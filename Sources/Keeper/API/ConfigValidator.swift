/// Checks `spec.config` the way ZooKeeper will read it: Keeper writes each entry as a
/// `key=value` line of zoo.cfg, which `QuorumPeerConfig.parse` loads with Java's
/// `Properties.load` and `QuorumPeerConfig.parseProperties` interprets. Every rule below is
/// something that would otherwise stop members at start, or quietly change what Keeper relies on.
public enum ConfigValidator {
    /// zoo.cfg keys Keeper writes itself; a user value would break the ensemble or Keeper.
    public static let ownedKeys: Set<String> = [
        "dataDir", "dataLogDir", "clientPort", "clientPortAddress", "dynamicConfigFile",
        "reconfigEnabled", "standaloneEnabled", "4lw.commands.whitelist", "quorumListenOnAllIPs",
    ]
    /// Prefixes of owned keys: the membership lines.
    public static let ownedPrefixes = ["server.", "group.", "weight."]

    /// Keys refused outright, with why. `skipACL` is no zoo.cfg setting: `parseProperties`
    /// turns every key it does not know into the system property `zookeeper.<key>`, and
    /// `ZooKeeperServer` skips every ACL check when `zookeeper.skipACL` is "yes", including the
    /// digest ACL that keeps `reconfig` to Keeper.
    public static let refusedKeys: [String: String] = [
        "skipACL": "ZooKeeper turns it into the system property zookeeper.skipACL, which switches off every ACL check (ZooKeeperServer), including the one that keeps reconfig to Keeper",
    ]

    /// Settings `parseProperties` (or the class reading their system property) parses with
    /// `Integer.parseInt`: a whole number that fits a Java `int`.
    public static let integerKeys: Set<String> = [
        "tickTime", "initLimit", "syncLimit", "maxClientCnxns", "minSessionTimeout", "maxSessionTimeout",
        "autopurge.snapRetainCount", "autopurge.purgeInterval", "globalOutstandingLimit", "preAllocSize",
        "snapCount", "connectToLearnerMasterLimit", "admin.serverPort", "electionPortBindRetry",
        "secureClientPort", "observerMasterPort", "clientPortListenBacklog", "quorum.cnxn.threads.size",
        "multiAddress.reachabilityCheckTimeoutMs",
    ]
    /// Settings `parseProperties` reads with its `parseBoolean`: "true" or "false" in any case,
    /// anything else is a `ConfigException` ("Invalid option ... for ...").
    public static let booleanKeys: Set<String> = [
        "localSessionsEnabled", "localSessionsUpgradingEnabled", "syncEnabled", "sslQuorum", "portUnification",
        "sslQuorumReloadCertFiles", "quorum.auth.enableSasl", "quorum.auth.serverRequireSasl",
        "quorum.auth.learnerRequireSasl", "jvm.pause.monitor", "multiAddress.enabled", "multiAddress.reachabilityCheckEnabled",
    ]
    /// Settings that are ports another socket binds.
    public static let portKeys: Set<String> = ["admin.serverPort", "secureClientPort", "observerMasterPort"]
    /// Settings that must be at least 1: `checkValidity` refuses `initLimit`/`syncLimit` of 0
    /// ("initLimit is not set"), `parseProperties` a `tickTime` of 0 ("tickTime is not set"),
    /// and a negative one makes a negative socket timeout (`tickTime * initLimit`).
    public static let positiveKeys: Set<String> = ["tickTime", "initLimit", "syncLimit", "connectToLearnerMasterLimit"]

    /// Every problem of `config`, in key order, then those between keys.
    public static func validate(_ config: [String: String]) -> [String] {
        var problems: [String] = []
        for key in config.keys.sorted() {
            if let problem = problem(key: key, value: config[key] ?? "") { problems.append(problem) }
        }
        return problems + crossKeyProblems(config)
    }

    /// The first problem of one entry, if any.
    static func problem(key: String, value: String) -> String? {
        if let owned = ownedKey(key) {
            return owned == key
                ? "spec.config: key \"\(key)\" is managed by Keeper and cannot be set"
                : "spec.config: key \"\(key)\" is the system-property form of \"\(owned)\" (ZooKeeper prefixes zoo.cfg keys it does not know with \"zookeeper.\"), which Keeper manages"
        }
        if let refused = refusedKey(key), let reason = refusedKeys[refused] {
            return refused == key
                ? "spec.config: key \"\(key)\" is refused: \(reason)"
                : "spec.config: key \"\(key)\" is the system-property form of \"\(refused)\", which is refused: \(reason)"
        }
        // `Properties.load` ends a key at the first unescaped '=', ':' or whitespace, reads
        // '\' as an escape, and skips lines starting with '#' or '!'.
        if key.isEmpty || key.first == "!" || key.contains(where: { $0 == "=" || $0 == ":" || $0 == "\\" || $0 == "#" || $0.isWhitespace }) {
            return "spec.config: key \"\(key)\" is not a valid zoo.cfg key"
        }
        if value.contains(where: \.isNewline) {
            return "spec.config: value of \"\(key)\" contains a line break"
        }
        if value.contains("\\") {
            return "spec.config: value of \"\(key)\" contains a backslash, which Java's Properties.load reads as an escape (a trailing one joins the next line)"
        }
        if integerKeys.contains(key) {
            guard let number = Int(value), number >= -ZooKeeperLimits.javaIntMaximum - 1, number <= ZooKeeperLimits.javaIntMaximum else {
                return "spec.config: \"\(key)\" must be a whole number (a Java int), not \"\(value)\""
            }
            if positiveKeys.contains(key), number < 1 {
                return "spec.config: \"\(key)\" must be at least 1, not \(number)"
            }
            if portKeys.contains(key) {
                if !ZooKeeperLimits.portRange.contains(number) {
                    return "spec.config: \"\(key)\" must be a port between 1 and 65535, not \(number)"
                }
                if ZooKeeperLimits.keeperPorts.contains(number) {
                    return "spec.config: \"\(key)\" is \(number), a port members already listen on (client 2181, quorum 2888, election 3888)"
                }
            }
        }
        if booleanKeys.contains(key), value.lowercased() != "true", value.lowercased() != "false" {
            return "spec.config: \"\(key)\" must be true or false, not \"\(value)\""
        }
        if key == "electionAlg", value != ZooKeeperLimits.electionAlgorithm {
            return "spec.config: \"electionAlg\" must be 3, the only leader election ZooKeeper has (\"\(value)\" stops it at start)"
        }
        return nil
    }

    /// The owned key `key` is, or whose system property it names.
    static func ownedKey(_ key: String) -> String? {
        for candidate in [key, systemPropertyBase(key)].compactMap({ $0 })
        where ownedKeys.contains(candidate) || ownedPrefixes.contains(where: { candidate.hasPrefix($0) }) {
            return candidate
        }
        return nil
    }

    static func refusedKey(_ key: String) -> String? {
        [key, systemPropertyBase(key)].compactMap { $0 }.first { refusedKeys[$0] != nil }
    }

    /// `zookeeper.x` → `x`: the zoo.cfg key whose system property `key` names.
    static func systemPropertyBase(_ key: String) -> String? {
        let prefix = "zookeeper."
        return key.hasPrefix(prefix) && key.count > prefix.count ? String(key.dropFirst(prefix.count)) : nil
    }

    /// Rules between settings, on the values ZooKeeper will use (Keeper's defaults included).
    static func crossKeyProblems(_ userConfig: [String: String]) -> [String] {
        let config = ResolvedSpec.Defaults.config.merging(userConfig) { _, user in user }
        func number(_ key: String) -> Int? { config[key].flatMap { Int($0) } }
        guard let tickTime = number("tickTime"), tickTime >= 1 else { return [] }
        var problems: [String] = []
        // Learners and the leader use `tickTime * initLimit` (and syncLimit) as socket
        // timeouts in Java `int` arithmetic: past Integer.MAX_VALUE it turns negative and
        // `Socket.setSoTimeout` throws "timeout can't be negative".
        for limit in ["initLimit", "syncLimit", "connectToLearnerMasterLimit"] {
            if let ticks = number(limit), ticks >= 1, tickTime.multipliedReportingOverflow(by: ticks).partialValue > ZooKeeperLimits.javaIntMaximum {
                problems.append("spec.config: tickTime × \(limit) (\(tickTime) × \(ticks) ms) exceeds \(ZooKeeperLimits.javaIntMaximum), the largest socket timeout ZooKeeper can set")
            }
        }
        // `parseProperties`: the session timeouts default to 2 and 20 ticks, and "minSessionTimeout
        // must not be larger than maxSessionTimeout", in `int` arithmetic as Java does it.
        let minimum = number("minSessionTimeout").flatMap { $0 == -1 ? nil : $0 } ?? Int(Int32(truncatingIfNeeded: tickTime * 2))
        let maximum = number("maxSessionTimeout").flatMap { $0 == -1 ? nil : $0 } ?? Int(Int32(truncatingIfNeeded: tickTime * 20))
        if minimum > maximum {
            problems.append("spec.config: minSessionTimeout (\(minimum) ms) is larger than maxSessionTimeout (\(maximum) ms); the defaults are 2 and 20 × tickTime")
        }
        return problems
    }

    /// The transaction log's preallocation block in bytes (`preAllocSize` is in KiB).
    static func preAllocBytes(_ config: [String: String]) -> Int {
        let kibibytes = config["preAllocSize"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } ?? ZooKeeperLimits.defaultPreAllocKibibytes
        return kibibytes * 1024
    }
}
