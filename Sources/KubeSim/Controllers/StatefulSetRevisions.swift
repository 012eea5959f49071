import Foundation
import KubeModel

/// ControllerRevisions of a StatefulSet as `pkg/controller/history` and the StatefulSet
/// controller make them: the data is a strategic merge patch that replaces the pod
/// template, the name is `<set>-<hash>` with an FNV-32 hash of that data (and the
/// collision count), safe-encoded like `rand.SafeEncodeString`.
enum StatefulSetRevisions {
    /// `controller.kubernetes.io/hash`, the label every revision carries.
    static let hashLabel = "controller.kubernetes.io/hash"

    /// `getPatch`: `{"spec":{"template":{..., "$patch":"replace"}}}`.
    static func patch(of set: JSONValue) -> JSONValue {
        var template = set[path: ["spec", "template"]] ?? [:]
        template["$patch"] = "replace"
        return ["spec": ["template": template]]
    }

    /// The pod template a revision's data restores (`ApplyRevision` on the template).
    static func template(of revision: JSONValue) -> JSONValue {
        var template = revision[path: ["data", "spec", "template"]] ?? [:]
        template["$patch"] = nil
        return template
    }

    /// `HashControllerRevision`: FNV-32 (not 32a) over the data's bytes and the collision
    /// count in decimal, the decimal sum then safe-encoded.
    static func hash(data: JSONValue, collisionCount: Int64?) -> String {
        var bytes = Array(data.serialized())
        if let collisionCount { bytes += Array(String(collisionCount).utf8) }
        var sum: UInt32 = 2_166_136_261
        for byte in bytes {
            sum = sum &* 16_777_619
            sum ^= UInt32(byte)
        }
        return safeEncode(String(sum))
    }

    /// `rand.SafeEncodeString`: each byte mapped onto consonants and digits, so no word can form.
    static func safeEncode(_ text: String) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String(text.utf8.map { alphabet[Int($0) % alphabet.count] })
    }

    /// `ControllerRevisionName`: the prefix cut to 223 bytes, then `-hash`.
    static func name(set: String, hash: String) -> String { String(set.prefix(223)) + "-" + hash }

    /// A new revision of `set` numbered `revision` (`newRevision`): template labels plus the
    /// hash label, the set's annotations, a controller reference to the set.
    static func newRevision(of set: JSONValue, revision: Int64, collisionCount: Int64?) -> JSONValue {
        let data = patch(of: set)
        let hash = hash(data: data, collisionCount: collisionCount)
        var labels = set[path: ["spec", "template", "metadata", "labels"]]?.objectValue ?? [:]
        labels[hashLabel] = .string(hash)
        var metadata: JSONValue = ["name": .string(name(set: set[path: ["metadata", "name"]]?.stringValue ?? "", hash: hash)),
                                   "namespace": set[path: ["metadata", "namespace"]] ?? "default",
                                   "labels": .object(labels),
                                   "ownerReferences": [StatefulSetPods.controllerRef(to: set, apiVersion: "apps/v1", kind: "StatefulSet")]]
        if let annotations = set[path: ["metadata", "annotations"]], !(annotations.objectValue ?? [:]).isEmpty {
            metadata["annotations"] = annotations
        }
        return ["apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": metadata, "data": data, "revision": .int(revision)]
    }

    static func number(_ revision: JSONValue) -> Int64 { revision["revision"]?.intValue ?? 0 }

    static func name(_ revision: JSONValue) -> String { revision[path: ["metadata", "name"]]?.stringValue ?? "" }

    /// The revisions to delete so that at most `limit` revisions that neither a pod nor the
    /// status uses remain, oldest first (`truncateHistory`).
    static func surplus(_ revisions: [JSONValue], live: Set<String>, limit: Int) -> [String] {
        let idle = revisions.filter { !live.contains(name($0)) }.sorted { number($0) < number($1) }
        guard idle.count > limit else { return [] }
        return idle.prefix(idle.count - limit).map(name)
    }
}
