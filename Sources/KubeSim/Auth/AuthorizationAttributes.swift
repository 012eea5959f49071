/// What a request asks to do, as `authorizer.AttributesRecord` carries it.
public struct AuthorizationAttributes: Sendable, Hashable {
    public var verb: String
    public var isResourceRequest: Bool
    /// The URL path (non-resource requests are authorized by it).
    public var path: String
    public var namespace: String
    public var apiGroup: String
    public var apiVersion: String
    public var resource: String
    public var subresource: String
    public var name: String

    public init(verb: String, namespace: String = "", apiGroup: String = "", apiVersion: String = "v1", resource: String,
                subresource: String = "", name: String = "") {
        self.verb = verb
        self.isResourceRequest = true
        self.path = ""
        self.namespace = namespace
        self.apiGroup = apiGroup
        self.apiVersion = apiVersion
        self.resource = resource
        self.subresource = subresource
        self.name = name
    }

    public init(verb: String, path: String) {
        self.verb = verb
        self.isResourceRequest = false
        self.path = path
        self.namespace = ""
        self.apiGroup = ""
        self.apiVersion = ""
        self.resource = ""
        self.subresource = ""
        self.name = ""
    }

    /// The attributes of a request as requestinfo.go parsed it.
    init(_ info: RequestInfo) {
        if info.isResourceRequest {
            self.init(verb: info.verb, namespace: info.namespace ?? "", apiGroup: info.group, apiVersion: info.version,
                      resource: info.resource, subresource: info.subresource ?? "", name: info.authorizationName)
        } else {
            self.init(verb: info.verb, path: info.path)
        }
        path = info.path
    }

    /// The same request with another verb (an apply that creates is also authorized as `create`).
    func with(verb: String) -> AuthorizationAttributes {
        var copy = self
        copy.verb = verb
        return copy
    }
}

/// An authorizer's answer: allowed (with the reason, e.g. the binding that allowed it) or no
/// opinion, which at the end of the chain means forbidden.
public enum AuthorizationDecision: Sendable, Hashable {
    case allow(reason: String)
    case noOpinion(reason: String)

    public var isAllowed: Bool {
        if case .allow = self { return true }
        return false
    }

    public var reason: String {
        switch self {
        case .allow(let reason), .noOpinion(let reason): reason
        }
    }
}
