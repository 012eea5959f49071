import Foundation
import HTTPServer
import KubeModel

extension APIServer {
    func get(_ info: ResourceInfo, _ context: RequestContext) throws -> HTTPResponse {
        guard let name = context.info.name else { throw StatusErrors.pathNotFound() }
        let object = present(try live(info, namespace: context.namespace, name: name), info)
        if context.wantsTable {
            return Self.jsonResponse(200, table(info, [object], context: context, listMeta: ListMeta(resourceVersion: object[path: ["metadata", "resourceVersion"]]?.stringValue)))
        }
        return Self.jsonResponse(200, object)
    }

    func list(_ info: ResourceInfo, _ context: RequestContext) throws -> HTTPResponse {
        let labelSelector = try context.query("labelSelector").map { try LabelSelector(parsing: $0) }
        let fieldSelector = try context.query("fieldSelector").map { try FieldSelector(parsing: $0) }
        var startAfter: String?
        var snapshotRevision: Int64?
        if let token = context.query("continue") {
            let decoded = try ContinueToken.decode(token)
            do { try store.checkNotCompacted(decoded.revision) } catch { throw StatusErrors.expiredContinue() }
            startAfter = decoded.startAfter
            snapshotRevision = decoded.revision
        } else if context.query("resourceVersionMatch") == "Exact", let text = context.query("resourceVersion"), let revision = Int64(text) {
            do { try store.checkNotCompacted(revision) } catch {
                throw StatusErrors.tooOldResourceVersion(requested: revision, oldest: store.compactedRevision + 1)
            }
        }
        let (items, revision) = store.list(info.storageKey, namespace: context.namespace)
        var matching = items.filter { item in
            if let startAfter, item.key.description <= startAfter { return false }
            return Self.matches(item.object, labelSelector, fieldSelector)
        }
        var listMeta = ListMeta(resourceVersion: String(snapshotRevision ?? revision))
        // resourceVersion=0 is served "from the cache" by the real server, which ignores limit.
        if let limitText = context.query("limit"), let limit = Int(limitText), limit > 0,
           context.query("resourceVersion") != "0" || context.query("continue") != nil, matching.count > limit {
            let remaining = matching.count - limit
            matching = Array(matching.prefix(limit))
            if let last = matching.last {
                listMeta.continue = ContinueToken(revision: snapshotRevision ?? revision, startAfter: last.key.description).encoded
                if labelSelector == nil && fieldSelector == nil { listMeta.remainingItemCount = Int64(remaining) }
            }
        }
        let objects = matching.map { present($0.object, info) }
        if context.wantsTable {
            return Self.jsonResponse(200, table(info, objects, context: context, listMeta: listMeta))
        }
        var meta: JSONValue = ["resourceVersion": .string(listMeta.resourceVersion ?? "")]
        if let token = listMeta.continue { meta["continue"] = .string(token) }
        if let remaining = listMeta.remainingItemCount { meta["remainingItemCount"] = .int(remaining) }
        let body: JSONValue = ["kind": .string(info.listKind), "apiVersion": .string(info.type.apiVersion), "metadata": meta, "items": .array(objects)]
        return Self.jsonResponse(200, body)
    }

    static func matches(_ object: JSONValue, _ labels: LabelSelector?, _ fields: FieldSelector?) -> Bool {
        if let labels {
            let values = object[path: ["metadata", "labels"]]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
            if !labels.matches(values) { return false }
        }
        if let fields, !fields.matches(object) { return false }
        return true
    }

    /// A `meta.k8s.io/v1` Table of `objects` with the resource's printer columns.
    func table(_ info: ResourceInfo, _ objects: [JSONValue], context: RequestContext, listMeta: ListMeta) -> JSONValue {
        TableConverter.table(kind: info.type.kind, objects: objects, columns: info.printerColumns,
                             includeObject: context.query("includeObject") ?? "Metadata", listMeta: listMeta, now: Self.timestamp())
    }
}

/// The opaque `continue` token: the snapshot revision and the last key returned, like the
/// real server's base64 JSON `{"v":"meta.k8s.io/v1","rv":N,"start":"..."}`.
struct ContinueToken {
    var revision: Int64
    var startAfter: String

    var encoded: String {
        let value: JSONValue = ["v": "meta.k8s.io/v1", "rv": .int(revision), "start": .string(startAfter + "\u{0}")]
        return value.serialized().base64EncodedString()
    }

    static func decode(_ token: String) throws -> ContinueToken {
        guard let data = Data(base64Encoded: token), let value = try? JSONValue.parse(data),
              let revision = value["rv"]?.intValue, let start = value["start"]?.stringValue else {
            throw StatusErrors.badRequest("continue key is not valid: illegal base64 data at input byte 0")
        }
        return ContinueToken(revision: revision, startAfter: start.hasSuffix("\u{0}") ? String(start.dropLast()) : start)
    }
}
