import Foundation
import HTTPServer
import KubeModel

extension APIServer {
    /// A watch stream: newline-delimited JSON events over chunked encoding.
    func watch(_ info: ResourceInfo, _ context: RequestContext) throws -> HTTPResponse {
        let labelSelector = try context.query("labelSelector").map { try LabelSelector(parsing: $0) }
        let fieldSelector = try context.query("fieldSelector").map { try FieldSelector(parsing: $0) }
        let namespace = context.namespace
        let name = context.info.name
        let wantsTable = context.wantsTable
        let bookmarks = Self.isTrue(context.query("allowWatchBookmarks"))
        let timeout = context.query("timeoutSeconds").flatMap(TimeInterval.init) ?? configuration.defaultWatchTimeout
        let chunkSize = configuration.watchChunkSize
        let bookmarkInterval = configuration.bookmarkInterval
        let includeObject = context.query("includeObject") ?? "Metadata"

        // Subscribe before answering, so that nothing committed after this point is missed.
        var initial: [JSONValue] = []
        let subscription: WatchSubscription
        let requested = context.query("resourceVersion")
        // The streaming list (`sendInitialEvents=true`): current state as ADDED events, then a
        // bookmark annotated `k8s.io/initial-events-end`.
        let sendInitialEvents = context.query("sendInitialEvents") == "true"
        var initialRevision: Int64 = 0
        do {
            if requested == nil || requested == "0" || sendInitialEvents {
                // "Start at most recent": synthetic ADDED events for what exists, then changes.
                let (items, revision) = store.list(info.storageKey, namespace: namespace)
                initial = items.map(\.object).filter { object in
                    (name == nil || object[path: ["metadata", "name"]]?.stringValue == name) && Self.matches(object, labelSelector, fieldSelector)
                }
                initialRevision = revision
                subscription = try store.subscribe(storageKey: info.storageKey, after: revision)
            } else if let text = requested, let revision = Int64(text) {
                subscription = try store.subscribe(storageKey: info.storageKey, after: revision)
            } else {
                throw StatusErrors.badRequest("invalid resource version: \(requested ?? "")")
            }
        } catch let error as StoreError {
            // The real server answers 200 and sends one ERROR event carrying the 410 Status.
            guard case .tooOld(let oldest) = error else { throw storeError(error, info, name: "") }
            let status = StatusErrors.tooOldResourceVersion(requested: Int64(requested ?? "0") ?? 0, oldest: oldest)
            let object = (try? JSONValue(encoding: status)) ?? [:]
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")])) { stream in
                try? stream.write(WatchRecord.line(type: "ERROR", object: object))
            }
        }

        let initialObjects = initial
        let initialEndRevision = initialRevision
        return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "application/json")])) { [self] stream in
            defer { subscription.cancel() }
            var sentHeaders = false
            func send(_ type: String, _ object: JSONValue, record: WatchRecord?) throws {
                var line: Data
                if wantsTable && type != "ERROR" && type != "BOOKMARK" {
                    var table = TableConverter.table(kind: info.type.kind, objects: [present(object, info)], columns: info.printerColumns,
                                                     includeObject: includeObject, listMeta: ListMeta(), now: Self.timestamp())
                    // Like the real server, only the first event carries the column definitions.
                    if sentHeaders { table["columnDefinitions"] = [] }
                    sentHeaders = true
                    line = WatchRecord.line(type: type, object: table)
                } else if let record, record.object == object, record.type == type, info.type.apiVersion == object["apiVersion"]?.stringValue {
                    line = record.encodedLine()
                } else {
                    line = WatchRecord.line(type: type, object: type == "BOOKMARK" || type == "ERROR" ? object : present(object, info))
                }
                if let chunkSize, chunkSize > 0 {
                    while !line.isEmpty {
                        try stream.write(line.prefix(chunkSize))
                        line = line.dropFirst(chunkSize)
                    }
                } else {
                    try stream.write(line)
                }
            }
            do {
                for object in initialObjects { try send("ADDED", object, record: nil) }
                if sendInitialEvents && bookmarks {
                    let bookmark: JSONValue = ["kind": .string(info.type.kind), "apiVersion": .string(info.type.apiVersion),
                                               "metadata": ["resourceVersion": .string(String(initialEndRevision)), "creationTimestamp": nil,
                                                            "annotations": ["k8s.io/initial-events-end": "true"]]]
                    try send("BOOKMARK", bookmark, record: nil)
                }
                let deadline = Date().addingTimeInterval(timeout)
                var nextBookmark = Date().addingTimeInterval(bookmarkInterval)
                var lastRevision = Int64(requested ?? "0") ?? 0
                while stream.isOpen && !subscription.isClosed {
                    let now = Date()
                    if now >= deadline { break }
                    let progress = store.revision
                    let records = subscription.next(timeout: min(0.25, deadline.timeIntervalSince(now), max(0.01, nextBookmark.timeIntervalSince(now))))
                    for record in records {
                        lastRevision = max(lastRevision, record.revision)
                        guard let (type, object) = Self.filter(record, namespace: namespace, name: name, labelSelector, fieldSelector) else { continue }
                        try send(type, object, record: record)
                    }
                    if bookmarks && Date() >= nextBookmark {
                        let revision = max(lastRevision, progress)
                        let bookmark: JSONValue = ["kind": .string(info.type.kind), "apiVersion": .string(info.type.apiVersion),
                                                   "metadata": ["resourceVersion": .string(String(revision)), "creationTimestamp": nil]]
                        try send("BOOKMARK", bookmark, record: nil)
                        nextBookmark = Date().addingTimeInterval(bookmarkInterval)
                    }
                }
            } catch {
                return
            }
        }
    }

    /// How a watcher with these filters sees a change: nil when it does not concern it,
    /// ADDED when the object entered its selection, DELETED when it left it.
    static func filter(_ record: WatchRecord, namespace: String?, name: String?, _ labels: LabelSelector?, _ fields: FieldSelector?) -> (String, JSONValue)? {
        func concerns(_ object: JSONValue?) -> Bool {
            guard let object else { return false }
            if let namespace, object[path: ["metadata", "namespace"]]?.stringValue != namespace { return false }
            if let name, object[path: ["metadata", "name"]]?.stringValue != name { return false }
            return matches(object, labels, fields)
        }
        let now = concerns(record.object)
        switch record.type {
        case "ADDED": return now ? ("ADDED", record.object) : nil
        case "DELETED": return concerns(record.previous) || now ? ("DELETED", record.object) : nil
        default:
            let before = concerns(record.previous)
            switch (before, now) {
            case (true, true): return ("MODIFIED", record.object)
            case (false, true): return ("ADDED", record.object)
            case (true, false): return ("DELETED", record.object)
            case (false, false): return nil
            }
        }
    }
}
