import KubeModel

/// Strategic merge patch (`application/strategic-merge-patch+json`) for built-in kinds:
/// lists with merge keys (containers, ports, env, volumes, volumeMounts, ...) merge by key,
/// `$patch` and `$retainKeys` directives, `$setElementOrder` lists.
public enum StrategicMergePatch {
    /// STUB: replaced by the apimachinery branch. `kind` is e.g. "StatefulSet"; unknown kinds
    /// (custom resources) are refused with 415 by the server, as the real one does.
    public static func apply(_ patch: JSONValue, to target: JSONValue, kind: String) throws -> JSONValue { target }
}
