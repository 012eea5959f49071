import KubeModel

/// RFC 7386 JSON merge patch (`application/merge-patch+json`).
public enum MergePatch {
    /// STUB: replaced by the apimachinery branch.
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue { target }
}
