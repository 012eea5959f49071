import KubeClient
import KubeModel

/// Decides whether Keeper must write a child object: the heart of "a converged cluster
/// costs zero writes".
///
/// The scheme: Keeper builds the desired object with only the fields it cares about and
/// stamps it with `keeper.dev/desired-hash`, a hash of that desired object. It sends a
/// server-side apply (field manager `keeper`) only when the live object does not *satisfy*
/// the stamped desired object, i.e. when some desired field is missing from the live object
/// or differs there. Because the stamp is part of the desired object, a change of anything
/// Keeper wants (including a field Keeper stopped setting, which no comparison of present
/// fields could notice) changes the hash and triggers one apply; server-side apply then
/// removes the fields Keeper's manager owned and no longer sends. Fields that other actors or
/// the server set (defaults inside objects, extra labels and annotations) are ignored by the
/// comparison and kept by server-side apply. Lists Keeper sets are Keeper's: an entry someone
/// else added or re-keyed (a Service port edited from 2181 to 9999) makes the object
/// unsatisfied, and since server-side apply keeps entries owned by another manager, the
/// reconciler follows up with a JSON merge patch, which replaces lists whole. When the merged
/// result breaks a validation rule (two Service ports named `client`), the server refuses the
/// apply with 422 Invalid and the reconciler sends the merge patch instead.
public enum ChildSync {
    /// Whether `error` is the server's 422 Invalid, the answer to an apply whose merge with
    /// another manager's entries is not a valid object.
    public static func isInvalid(_ error: any Error) -> Bool {
        if let error = error as? KubeError { return error.isInvalid }
        if let status = error as? Status { return status.code == 422 }
        return false
    }

    /// Returns `object` with `keeper.dev/desired-hash` set to the hash of its other content.
    public static func stamped<T: KubeObject>(_ object: T) throws -> T {
        var unstamped = object
        unstamped.metadata.annotations?[Labels.desiredHashAnnotation] = nil
        if unstamped.metadata.annotations?.isEmpty == true { unstamped.metadata.annotations = nil }
        let hash = ContentHash.of(try JSONValue(encoding: unstamped))
        var result = unstamped
        result.metadata.annotations = (result.metadata.annotations ?? [:]).merging([Labels.desiredHashAnnotation: hash]) { _, new in new }
        return result
    }

    /// True when Keeper must apply `desired` (already stamped) given the `live` object (nil
    /// when absent).
    public static func needsApply<T: KubeObject>(live: T?, desired: T) throws -> Bool {
        guard let live else { return true }
        return !satisfies(live: try JSONValue(encoding: live), desired: try JSONValue(encoding: desired))
    }

    /// Whether every field of `desired` is present with an equal value in `live`.
    ///
    /// Objects: each desired member must be satisfied by the live one (extra live members
    /// are fine). Lists: the same number of entries, each satisfying the desired one at the
    /// same position (the server defaults fields inside entries but never adds entries to
    /// the lists Keeper sets). Numbers compare by value; quantities under
    /// `requests`/`limits`/`capacity`/`sizeLimit` compare by amount, since the API server
    /// canonicalises them (`1024Mi` is returned as `1Gi`).
    public static func satisfies(live: JSONValue, desired: JSONValue, key: String? = nil, parentKey: String? = nil) -> Bool {
        switch (desired, live) {
        case (.object(let desiredMembers), .object(let liveMembers)):
            for (name, desiredValue) in desiredMembers {
                guard let liveValue = liveMembers[name] else {
                    // An explicitly empty desired value is satisfied by its absence.
                    if isEmpty(desiredValue) { continue }
                    return false
                }
                if !satisfies(live: liveValue, desired: desiredValue, key: name, parentKey: key) { return false }
            }
            return true
        case (.array(let desiredElements), .array(let liveElements)):
            guard desiredElements.count == liveElements.count else { return false }
            return zip(desiredElements, liveElements).allSatisfy { satisfies(live: $1, desired: $0, key: key, parentKey: parentKey) }
        case (.string(let desiredText), .string(let liveText)):
            if desiredText == liveText { return true }
            if isQuantityField(key: key, parentKey: parentKey), let a = ParsedQuantity(desiredText), let b = ParsedQuantity(liveText) {
                return a == b
            }
            return false
        case (.int, _), (.double, _):
            guard let a = desired.doubleValue, let b = live.doubleValue else { return false }
            return a == b
        default:
            if isEmpty(desired), live.isNull { return true }
            return desired == live
        }
    }

    private static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let members): return members.isEmpty
        case .array(let elements): return elements.isEmpty
        case .null: return true
        default: return false
        }
    }

    private static func isQuantityField(key: String?, parentKey: String?) -> Bool {
        if key == "sizeLimit" || key == "divisor" { return true }
        return ["requests", "limits", "capacity", "allocatable"].contains(parentKey ?? "")
    }
}
