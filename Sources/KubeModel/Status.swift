/// `metav1.Status`: what the API server returns for a failed request (and some deletes).
public struct Status: Codable, Hashable, Sendable, Error {
    public var kind: String? = "Status"
    public var apiVersion: String? = "v1"
    public var metadata: ListMeta? = ListMeta()
    public var status: String?
    public var message: String?
    public var reason: String?
    public var details: Details?
    public var code: Int?

    public init(status: String? = "Failure", message: String? = nil, reason: String? = nil, details: Details? = nil, code: Int? = nil) {
        self.status = status
        self.message = message
        self.reason = reason
        self.details = details
        self.code = code
    }

    public struct Details: Codable, Hashable, Sendable {
        public var name: String?
        public var group: String?
        public var kind: String?
        public var uid: String?
        public var causes: [Cause]?
        public var retryAfterSeconds: Int?

        public init(name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil, causes: [Cause]? = nil, retryAfterSeconds: Int? = nil) {
            self.name = name
            self.group = group
            self.kind = kind
            self.uid = uid
            self.causes = causes
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    public struct Cause: Codable, Hashable, Sendable {
        public var reason: String?
        public var message: String?
        public var field: String?

        public init(reason: String? = nil, message: String? = nil, field: String? = nil) {
            self.reason = reason
            self.message = message
            self.field = field
        }
    }
}
