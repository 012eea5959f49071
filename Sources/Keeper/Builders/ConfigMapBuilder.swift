import KubeModel

/// Builds `<name>-config`: the static zoo.cfg, the initial membership, and the scripts.
public enum ConfigMapBuilder {
    /// The four-letter words Keeper and the probes use.
    public static let fourLetterWords = "srvr,mntr,ruok,conf"

    /// The static zoo.cfg: user settings over Keeper's defaults, then the settings Keeper
    /// owns. `dataDir` and `dynamicConfigFile` are appended by the start script.
    public static func staticConfig(_ spec: ResolvedSpec) -> String {
        var lines = ["# Static settings, written by Keeper and rewritten on every member start."]
        for key in spec.config.keys.sorted() {
            lines.append("\(key)=\(spec.config[key] ?? "")")
        }
        lines.append("# Owned by Keeper:")
        lines.append("reconfigEnabled=true")
        lines.append("standaloneEnabled=false")
        lines.append("4lw.commands.whitelist=\(fourLetterWords)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The membership a member without a membership file starts from, one line per id:
    /// `server.<id>=<pod DNS name>:2888:3888:participant;<pod DNS name>:2181` (id = ordinal + 1).
    /// The client port binds to the member's own address (not 0.0.0.0) so that members can
    /// share one host's port space, as kube-sim's pods do.
    public static func membership(names: ClusterNames, ids: [Int], clusterDomain: String) -> String {
        ids.map { id in
            let host = names.memberHost(ordinal: id - 1, clusterDomain: clusterDomain)
            return "server.\(id)=\(host):\(Ports.quorum):\(Ports.election):participant;\(host):\(Ports.client)"
        }.joined(separator: "\n") + "\n"
    }

    /// The membership of a new ensemble of `replicas` members.
    public static func initialMembership(names: ClusterNames, replicas: Int, clusterDomain: String) -> String {
        membership(names: names, ids: Array(stride(from: 1, through: replicas, by: 1)), clusterDomain: clusterDomain)
    }

    /// The ids a rendered membership lists (to keep the live seed while the committed one is unknown).
    public static func memberIDs(ofMembership text: String) -> [Int] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            guard line.hasPrefix("server."), let equals = line.firstIndex(of: "=") else { return nil }
            return Int(line[line.index(line.startIndex, offsetBy: "server.".count)..<equals])
        }
    }

    /// The hash of everything that needs a restart to take effect (static settings and
    /// scripts, not the membership seed): the pod template carries it, so a change of it is a
    /// new StatefulSet revision.
    public static func configHash(_ spec: ResolvedSpec) -> String {
        ContentHash.of([staticConfig(spec), MemberScripts.start, MemberScripts.ready, MemberScripts.live].joined(separator: "\u{0}"))
    }

    /// The key holding the membership seed.
    public static let membershipKey = "zoo.cfg.dynamic"

    public static func build(_ cluster: ZookeeperCluster, clusterDomain: String = "cluster.local", shape: EnsembleShape? = nil) -> ConfigMap {
        let names = ClusterNames(cluster)
        let spec = ResolvedSpec(cluster.spec)
        let shape = shape ?? EnsembleShape.initial(replicas: spec.replicas)
        return ConfigMap(
            metadata: ObjectMeta(name: names.configMap, namespace: names.namespace, labels: names.objectLabels, ownerReferences: [cluster.controllerReference]),
            data: [
                "zoo.cfg": staticConfig(spec),
                membershipKey: membership(names: names, ids: shape.seedMemberIDs, clusterDomain: clusterDomain),
                "start.sh": MemberScripts.start,
                "ready.sh": MemberScripts.ready,
                "live.sh": MemberScripts.live,
            ]
        )
    }
}
