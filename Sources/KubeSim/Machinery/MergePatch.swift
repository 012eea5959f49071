import KubeModel

/// RFC 7386 JSON merge patch (`application/merge-patch+json`).
///
/// A `null` member deletes the key, objects merge recursively, and anything else (arrays
/// included) replaces the target value: this is also what kube-apiserver does for custom
/// resources, whose lists are never merged by key.
public enum MergePatch {
    /// Applies `patch` to `target` as RFC 7386 section 2 describes.
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var result: [String: JSONValue]
        if case .object(let targetMembers) = target { result = targetMembers } else { result = [:] }
        for (key, value) in patchMembers {
            if value == .null {
                result[key] = nil
            } else {
                result[key] = apply(value, to: result[key] ?? .null)
            }
        }
        return .object(result)
    }

    /// The merge patch that turns `original` into `modified` (RFC 7386 section 3's
    /// inverse): changed members, `null` for removed ones; arrays are replaced whole.
    public static func diff(from original: JSONValue, to modified: JSONValue) -> JSONValue {
        guard case .object(let old) = original, case .object(let new) = modified else { return modified }
        var patch: [String: JSONValue] = [:]
        for (key, oldValue) in old where new[key] == nil { patch[key] = .null; _ = oldValue }
        for (key, newValue) in new {
            guard let oldValue = old[key] else { patch[key] = newValue; continue }
            if oldValue == newValue { continue }
            if case .object = oldValue, case .object = newValue {
                patch[key] = diff(from: oldValue, to: newValue)
            } else {
                patch[key] = newValue
            }
        }
        return .object(patch)
    }
}
