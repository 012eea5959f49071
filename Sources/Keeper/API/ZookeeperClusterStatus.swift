import KubeModel

/// What Keeper observed, written once at the end of each reconcile when it changed.
public struct ZookeeperClusterStatus: Codable, Hashable, Sendable {
    /// The `metadata.generation` this status describes.
    public var observedGeneration: Int64?
    /// Member pods that exist (the scale subresource's `.status.replicas`).
    public var replicas: Int?
    public var readyReplicas: Int?
    /// Label selector of the member pods, as a string (the scale subresource's selector).
    public var selector: String?
    /// The pod that `srvr` reports as leader, when exactly one does.
    public var leader: String?
    public var members: [MemberStatus]?
    /// `<name>-client.<namespace>.svc:2181`.
    public var clientEndpoint: String?
    /// The ZooKeeper version (the image tag).
    public var version: String?
    /// `Available`, `Progressing`, `Degraded`.
    public var conditions: [Condition]?
    /// The member restart Keeper is waiting on, if any (see `RestartRecord`).
    public var restart: RestartRecord?
    /// Participants in the committed ZooKeeper configuration (nil when it could not be read).
    public var voters: Int?

    public init(observedGeneration: Int64? = nil, replicas: Int? = nil, readyReplicas: Int? = nil, selector: String? = nil,
                leader: String? = nil, members: [MemberStatus]? = nil, clientEndpoint: String? = nil, version: String? = nil,
                conditions: [Condition]? = nil, restart: RestartRecord? = nil) {
        self.observedGeneration = observedGeneration
        self.replicas = replicas
        self.readyReplicas = readyReplicas
        self.selector = selector
        self.leader = leader
        self.members = members
        self.clientEndpoint = clientEndpoint
        self.version = version
        self.conditions = conditions
        self.restart = restart
    }

    /// The condition of `type`, if present.
    public func condition(_ type: String) -> Condition? { conditions?.first { $0.type == type } }
}

/// One member of the ensemble, as Keeper sees it.
public struct MemberStatus: Codable, Hashable, Sendable {
    /// The pod name, e.g. `zk-0`.
    public var name: String
    /// ZooKeeper's server id (`myid`): pod ordinal + 1.
    public var id: Int
    /// What its `srvr` says: `leader`, `follower`, `observer` or `unknown` (unreachable or
    /// not serving). A non-voting follower says `follower` too: see `membership`.
    public var role: String
    /// The pod's Ready condition.
    public var ready: Bool
    /// The pod runs the desired revision and configuration.
    public var upToDate: Bool
    /// `participant` (votes), `observer`, or `none` (runs, but the committed configuration does
    /// not list it); nil when the committed configuration is unknown.
    public var membership: String?

    public init(name: String, id: Int, role: String, ready: Bool, upToDate: Bool, membership: String? = nil) {
        self.name = name
        self.id = id
        self.role = role
        self.ready = ready
        self.upToDate = upToDate
        self.membership = membership
    }
}

/// The last member restart of a rollout and what Keeper saw just before it. Written to the
/// status before the eviction, so the next reconcile (of this Keeper or of another after a
/// crash) knows which member must be back in sync before anything else restarts.
public struct RestartRecord: Codable, Hashable, Sendable {
    /// The member's pod name.
    public var member: String
    /// The uid of the pod that was evicted: the member is back only on another pod.
    public var podUID: String
    /// The StatefulSet's update revision at the restart: a newer one (the spec changed)
    /// ends the wait on this record.
    public var revision: String?
    /// The leader's zxid just before the restart: the member is back only once it has seen at
    /// least this (nil when the member restarted was the leader or there was none).
    public var leaderZxid: Int64?
    /// When the restart was asked for (RFC 3339): how long the member has been away.
    public var startedAt: String

    public init(member: String, podUID: String, revision: String?, leaderZxid: Int64?, startedAt: String) {
        self.member = member
        self.podUID = podUID
        self.revision = revision
        self.leaderZxid = leaderZxid
        self.startedAt = startedAt
    }
}
