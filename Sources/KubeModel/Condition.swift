/// `metav1.Condition`.
public struct Condition: Codable, Hashable, Sendable {
    public var type: String
    public var status: String
    public var reason: String
    public var message: String
    public var lastTransitionTime: String
    public var observedGeneration: Int64?

    public init(type: String, status: String, reason: String, message: String, lastTransitionTime: String, observedGeneration: Int64? = nil) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
        self.observedGeneration = observedGeneration
    }
}
