/// The znode operations and dynamic reconfiguration. Versions are the `version` field of a
/// `ZooKeeperStat`; -1 means "any version".
extension ZooKeeperClient {
    /// The znode that holds the ensemble's dynamic configuration.
    public static let configPath = "/zookeeper/config"

    /// Creates a znode and returns its path (with the sequence suffix for sequential modes).
    /// Throws NodeExists, NoNode (parent missing), NoChildrenForEphemerals, NoAuth.
    @discardableResult
    public func create(_ path: String, data: [UInt8] = [], acl: [ZooKeeperACL] = ZooKeeperACL.openUnsafe,
                       mode: CreateMode = .persistent) async throws -> String {
        try await createWithStat(path, data: data, acl: acl, mode: mode).path
    }

    /// Creates a znode and returns its path and stat (`create2`).
    public func createWithStat(_ path: String, data: [UInt8] = [], acl: [ZooKeeperACL] = ZooKeeperACL.openUnsafe,
                               mode: CreateMode = .persistent) async throws -> (path: String, stat: ZooKeeperStat) {
        var reply = try await call(.create2, CreateRequest(path: path, data: data, acl: acl, mode: mode), path: path)
        let response = try reply.read(Create2Response.self)
        return (response.path, response.stat)
    }

    /// The znode's data and stat. Throws NoNode.
    public func getData(_ path: String) async throws -> (data: [UInt8], stat: ZooKeeperStat) {
        var reply = try await callRetrying(.getData, PathWatchRequest(path: path), path: path)
        let response = try reply.read(GetDataResponse.self)
        return (response.data, response.stat)
    }

    /// Replaces the data if the version matches (-1: any). Throws NoNode, BadVersion.
    @discardableResult
    public func setData(_ path: String, data: [UInt8], version: Int32 = -1) async throws -> ZooKeeperStat {
        var reply = try await call(.setData, SetDataRequest(path: path, data: data, version: version), path: path)
        return try reply.read(StatResponse.self).stat
    }

    /// The znode's stat, or nil when there is none.
    public func exists(_ path: String) async throws -> ZooKeeperStat? {
        do {
            var reply = try await callRetrying(.exists, PathWatchRequest(path: path), path: path)
            return try reply.read(StatResponse.self).stat
        } catch let error as ZooKeeperError where error.isNoNode {
            return nil
        }
    }

    /// The names (not paths) of the znode's children, unordered. Throws NoNode.
    public func getChildren(_ path: String) async throws -> [String] {
        try await getChildrenWithStat(path).children
    }

    /// The children's names and the parent's stat. Throws NoNode.
    public func getChildrenWithStat(_ path: String) async throws -> (children: [String], stat: ZooKeeperStat) {
        var reply = try await callRetrying(.getChildren2, PathWatchRequest(path: path), path: path)
        let response = try reply.read(GetChildren2Response.self)
        return (response.children, response.stat)
    }

    /// Deletes the znode if the version matches (-1: any). Throws NoNode, BadVersion, NotEmpty.
    public func delete(_ path: String, version: Int32 = -1) async throws {
        _ = try await call(.delete, DeleteRequest(path: path, version: version), path: path)
    }

    /// Brings the connected server up to date with the leader, so that the next read sees
    /// every write committed before.
    public func sync(_ path: String = "/") async throws {
        _ = try await callRetrying(.sync, PathRecord(path: path), path: path)
    }

    /// The ensemble's membership as the connected server knows it (call `sync()` first for
    /// the latest committed one) and the stat of `/zookeeper/config`.
    public func getConfig() async throws -> (config: EnsembleConfig, stat: ZooKeeperStat) {
        let (data, stat) = try await getData(Self.configPath)
        return (EnsembleConfig(text: String(decoding: data, as: UTF8.self)), stat)
    }

    /// Changes the membership with dynamic reconfiguration (opcode 16) and returns the new
    /// configuration.
    ///
    /// Incremental: `joining` takes "server.N=host:quorum:election[:role];[clientHost:]clientPort"
    /// lines (or "N=..."), `leaving` takes ids. Bulk: `newMembers` is the whole new membership
    /// (then `joining`/`leaving` must be empty). `fromConfig` is the version the change is based
    /// on (`EnsembleConfig.version`), -1 for none: a stale one fails with BadVersion.
    ///
    /// Needs `reconfigEnabled=true` on the servers (else ReconfigDisabled) and write access to
    /// `/zookeeper/config` (else NoAuth): the superuser, or `skipACL=yes`. NewConfigNoQuorum
    /// means a quorum of the new configuration is not connected and synced with the leader
    /// yet (retry later); ReconfigInProgress means another change is still running.
    @discardableResult
    public func reconfig(joining: [String] = [], leaving: [String] = [], newMembers: [String]? = nil,
                         fromConfig: Int64 = -1) async throws -> (config: EnsembleConfig, stat: ZooKeeperStat) {
        let request = ReconfigRequest(
            joiningServers: joining.isEmpty ? nil : joining.joined(separator: ","),
            leavingServers: leaving.isEmpty ? nil : leaving.joined(separator: ","),
            newMembers: newMembers?.joined(separator: ","),
            currentConfigId: fromConfig)
        var reply = try await call(.reconfig, request, path: Self.configPath)
        let response = try reply.read(GetDataResponse.self)
        return (EnsembleConfig(text: String(decoding: response.data, as: UTF8.self)), response.stat)
    }

    /// Adds one member (incremental reconfig).
    @discardableResult
    public func addMember(_ member: EnsembleConfig.Member, fromConfig: Int64 = -1) async throws -> EnsembleConfig {
        try await reconfig(joining: [member.configLine], fromConfig: fromConfig).config
    }

    /// Removes one member by id (incremental reconfig).
    @discardableResult
    public func removeMember(id: Int, fromConfig: Int64 = -1) async throws -> EnsembleConfig {
        try await reconfig(leaving: [String(id)], fromConfig: fromConfig).config
    }
}
