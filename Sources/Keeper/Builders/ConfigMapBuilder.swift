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

    /// The membership a new ensemble starts from: `server.<ordinal+1>=<pod DNS name>:2888:3888:participant;<pod DNS name>:2181`.
    /// The client port binds to the member's own address (not 0.0.0.0) so that members can
    /// share one host's port space, as kube-sim's pods do.
    public static func initialMembership(names: ClusterNames, replicas: Int, clusterDomain: String) -> String {
        (0..<max(replicas, 0)).map { ordinal in
            let host = names.memberHost(ordinal: ordinal, clusterDomain: clusterDomain)
            return "server.\(ordinal + 1)=\(host):\(Ports.quorum):\(Ports.election):participant;\(host):\(Ports.client)"
        }.joined(separator: "\n") + "\n"
    }

    /// The hash of everything that needs a restart to take effect (static settings and
    /// scripts, not the membership seed): the pod template carries it, so a change of it is a
    /// new StatefulSet revision.
    public static func configHash(_ spec: ResolvedSpec) -> String {
        ContentHash.of([staticConfig(spec), MemberScripts.start, MemberScripts.ready, MemberScripts.live].joined(separator: "\u{0}"))
    }

    public static func build(_ cluster: ZookeeperCluster, clusterDomain: String = "cluster.local") -> ConfigMap {
        let names = ClusterNames(cluster)
        let spec = ResolvedSpec(cluster.spec)
        return ConfigMap(
            metadata: ObjectMeta(name: names.configMap, namespace: names.namespace, labels: names.objectLabels, ownerReferences: [cluster.controllerReference]),
            data: [
                "zoo.cfg": staticConfig(spec),
                "zoo.cfg.dynamic": initialMembership(names: names, replicas: spec.replicas, clusterDomain: clusterDomain),
                "start.sh": MemberScripts.start,
                "ready.sh": MemberScripts.ready,
                "live.sh": MemberScripts.live,
            ]
        )
    }
}
