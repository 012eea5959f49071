import KubeModel

/// The `Status` bodies kube-apiserver returns, word for word, so kubectl prints what it
/// prints against a real cluster.
public enum APIErrors {
    /// `pods "zk-0" not found` (404, NotFound).
    public static func notFound(resource: ResourceType, name: String) -> Status {
        Status(message: "\(resource.groupResource) \"\(name)\" not found", reason: "NotFound",
               details: .init(name: name, group: resource.group, kind: resource.plural), code: 404)
    }
}
