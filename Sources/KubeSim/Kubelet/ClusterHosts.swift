/// Renders a pod's `/etc/hosts`: the cluster DNS names it may look up, as a hosts file.
///
/// A real cluster answers these through CoreDNS; kube-sim's pods share the host's resolver,
/// so each pod gets a hosts file with every name it could resolve:
/// - `<hostname>.<subdomain>.<ns>.svc.cluster.local` (and `.svc`, `.<ns>`, and within the
///   namespace `<hostname>.<subdomain>`) for each pod behind a headless Service named by its
///   `subdomain`, ready or (with `publishNotReadyAddresses`) not;
/// - `<svc>`, `<svc>.<ns>`, `<svc>.<ns>.svc`, `<svc>.<ns>.svc.cluster.local` to the address of
///   a ready pod behind the Service (there are no cluster IPs: ports are the pods' own).
public struct ClusterHosts: Sendable, Equatable {
    /// A pod as DNS sees it.
    public struct PodRecord: Sendable, Equatable {
        public var namespace: String
        public var name: String
        public var hostname: String
        public var subdomain: String?
        public var labels: [String: String]
        public var ip: String?
        public var ready: Bool

        public init(namespace: String, name: String, hostname: String? = nil, subdomain: String? = nil,
                    labels: [String: String] = [:], ip: String?, ready: Bool) {
            self.namespace = namespace
            self.name = name
            self.hostname = hostname ?? name
            self.subdomain = subdomain
            self.labels = labels
            self.ip = ip
            self.ready = ready
        }
    }

    /// A Service as DNS sees it.
    public struct ServiceRecord: Sendable, Equatable {
        public var namespace: String
        public var name: String
        /// `spec.selector`; a Service without one has no pods here.
        public var selector: [String: String]
        /// `spec.clusterIP: None`.
        public var headless: Bool
        public var publishNotReadyAddresses: Bool

        public init(namespace: String, name: String, selector: [String: String], headless: Bool, publishNotReadyAddresses: Bool = false) {
            self.namespace = namespace
            self.name = name
            self.selector = selector
            self.headless = headless
            self.publishNotReadyAddresses = publishNotReadyAddresses
        }

        func selects(_ pod: PodRecord) -> Bool {
            !selector.isEmpty && pod.namespace == namespace && selector.allSatisfy { pod.labels[$0.key] == $0.value }
        }
    }

    public var pods: [PodRecord]
    public var services: [ServiceRecord]

    public init(pods: [PodRecord], services: [ServiceRecord]) {
        self.pods = pods
        self.services = services
    }

    /// The hosts file of the pod `namespace/name` whose address is `ip`.
    public func render(namespace: String, hostname: String, fqdn: String, ip: String) -> String {
        var lines = [
            "# Kubernetes-managed hosts file (kube-sim).",
            "127.0.0.1\tlocalhost",
            "::1\tlocalhost ip6-localhost ip6-loopback",
            fqdn == hostname ? "\(ip)\t\(hostname)" : "\(ip)\t\(fqdn)\t\(hostname)",
        ]
        var seen: Set<String> = [fqdn, hostname, "localhost"]
        func add(_ address: String, _ names: [String]) {
            let fresh = names.filter { seen.insert($0).inserted }
            if !fresh.isEmpty { lines.append(([address] + fresh).joined(separator: "\t")) }
        }
        let sortedPods = pods.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
        for service in services.sorted(by: { ($0.namespace, $0.name) < ($1.namespace, $1.name) }) {
            let local = service.namespace == namespace
            let behind = sortedPods.filter { service.selects($0) && $0.ip != nil }
            if service.headless {
                for pod in behind where pod.subdomain == service.name && (pod.ready || service.publishNotReadyAddresses) {
                    guard let podIP = pod.ip else { continue }
                    let base = "\(pod.hostname).\(service.name).\(service.namespace)"
                    add(podIP, ["\(base).svc.cluster.local", "\(base).svc", base] + (local ? ["\(pod.hostname).\(service.name)"] : []))
                }
            }
            let preferred = behind.first { $0.ip == ip && $0.ready } ?? behind.first { $0.ready }
            if let address = preferred?.ip {
                let base = "\(service.name).\(service.namespace)"
                add(address, ["\(base).svc.cluster.local", "\(base).svc", base] + (local ? [service.name] : []))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
