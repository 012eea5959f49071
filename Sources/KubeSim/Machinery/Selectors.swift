import KubeModel

/// A parsed `labelSelector` query parameter (`a=b,c!=d,e in (f,g),!h,i`).
public struct LabelSelector: Sendable, Hashable {
    /// STUB: replaced by the apimachinery branch. Throws a 400 `Status` for bad syntax.
    public init(parsing text: String) throws {}
    /// STUB: replaced by the apimachinery branch.
    public func matches(_ labels: [String: String]) -> Bool { true }
}

/// A parsed `fieldSelector` query parameter (`metadata.name=x,involvedObject.uid=y,spec.nodeName!=`).
public struct FieldSelector: Sendable, Hashable {
    /// STUB: replaced by the apimachinery branch. Throws a 400 `Status` for bad syntax.
    public init(parsing text: String) throws {}
    /// STUB: replaced by the apimachinery branch. Fields are read from the object's JSON by dotted path.
    public func matches(_ object: JSONValue) -> Bool { true }
}
