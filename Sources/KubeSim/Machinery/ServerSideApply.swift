import KubeModel

/// Server-side apply (`application/apply-patch+yaml`) with field managers recorded in
/// `metadata.managedFields` (fieldsV1), enough that a field its manager stops applying is
/// removed, other managers' fields survive, and a conflicting apply without force fails.
public enum ServerSideApply {
    /// STUB: replaced by the apimachinery branch.
    /// - Parameters:
    ///   - config: the applied configuration as sent by the client.
    ///   - live: the current object, or nil when the apply creates it.
    ///   - manager: the `fieldManager` query parameter.
    ///   - force: the `force` query parameter.
    ///   - now: the RFC 3339 time recorded in managedFields.
    /// - Returns: the new object, with `metadata.managedFields` updated.
    /// - Throws: `Status` 409 (reason Conflict) when another manager owns a field with a different value and `force` is false.
    public static func apply(_ config: JSONValue, to live: JSONValue?, manager: String, force: Bool, now: String) throws -> JSONValue {
        MergePatch.apply(config, to: live ?? [:])
    }

    /// Records a non-apply write (create, update, patch) by `manager` in managedFields with
    /// operation `Update`, taking ownership of the fields it changed.
    /// STUB: replaced by the apimachinery branch.
    public static func recordUpdate(old: JSONValue?, new: JSONValue, manager: String, now: String) -> JSONValue { new }
}
