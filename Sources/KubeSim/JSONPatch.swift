import KubeModel

/// RFC 6902 JSON Patch (`application/json-patch+json`): add, remove, replace, move, copy, test.
enum JSONPatch {
    static func apply(_ patch: JSONValue, to document: JSONValue) throws -> JSONValue {
        guard let operations = patch.arrayValue else { throw StatusErrors.badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch") }
        var document = document
        for operation in operations {
            guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue else {
                throw StatusErrors.badRequest("the server rejected our request due to an error in our request")
            }
            let pointer = try parsePointer(path)
            switch op {
            case "add":
                guard let value = operation["value"] else { throw missingValue(op) }
                try insert(value, at: pointer, in: &document, replacing: false)
            case "replace":
                guard let value = operation["value"] else { throw missingValue(op) }
                _ = try remove(at: pointer, from: &document)
                try insert(value, at: pointer, in: &document, replacing: false)
            case "remove":
                _ = try remove(at: pointer, from: &document)
            case "move", "copy":
                guard let from = operation["from"]?.stringValue else { throw missingValue(op) }
                let source = try parsePointer(from)
                let value = op == "move" ? try remove(at: source, from: &document) : try read(source, in: document)
                try insert(value, at: pointer, in: &document, replacing: false)
            case "test":
                guard let value = operation["value"] else { throw missingValue(op) }
                if try read(pointer, in: document) != value {
                    throw Status(message: "the server rejected our request due to an error in our request", reason: "Invalid", code: 422)
                }
            default:
                throw StatusErrors.badRequest("Unexpected kind: \(op)")
            }
        }
        return document
    }

    private static func missingValue(_ op: String) -> Status {
        StatusErrors.badRequest("the server rejected our request due to an error in our request")
    }

    private static func parsePointer(_ path: String) throws -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw StatusErrors.badRequest("the server rejected our request due to an error in our request") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    private static func notFound(_ pointer: [String]) -> Status {
        Status(message: "the server rejected our request due to an error in our request", reason: "Invalid",
               details: .init(causes: [.init(reason: "FieldValueInvalid", message: "doc is missing path: \"/\(pointer.joined(separator: "/"))\"")]), code: 422)
    }

    private static func read(_ pointer: [String], in document: JSONValue) throws -> JSONValue {
        var current = document
        for token in pointer {
            switch current {
            case .object(let members):
                guard let next = members[token] else { throw notFound(pointer) }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { throw notFound(pointer) }
                current = items[index]
            default:
                throw notFound(pointer)
            }
        }
        return current
    }

    private static func insert(_ value: JSONValue, at pointer: [String], in document: inout JSONValue, replacing: Bool) throws {
        guard let last = pointer.last else {
            document = value
            return
        }
        try modify(Array(pointer.dropLast()), in: &document, full: pointer) { parent in
            switch parent {
            case .object(var members):
                members[last] = value
                parent = .object(members)
            case .array(var items):
                if last == "-" { items.append(value) }
                else if let index = Int(last), index >= 0, index <= items.count { items.insert(value, at: index) }
                else { throw notFound(pointer) }
                parent = .array(items)
            default:
                throw notFound(pointer)
            }
        }
    }

    private static func remove(at pointer: [String], from document: inout JSONValue) throws -> JSONValue {
        guard let last = pointer.last else { throw notFound(pointer) }
        var removed: JSONValue = .null
        try modify(Array(pointer.dropLast()), in: &document, full: pointer) { parent in
            switch parent {
            case .object(var members):
                guard let value = members.removeValue(forKey: last) else { throw notFound(pointer) }
                removed = value
                parent = .object(members)
            case .array(var items):
                guard let index = Int(last), items.indices.contains(index) else { throw notFound(pointer) }
                removed = items.remove(at: index)
                parent = .array(items)
            default:
                throw notFound(pointer)
            }
        }
        return removed
    }

    private static func modify(_ path: [String], in document: inout JSONValue, full: [String], _ body: (inout JSONValue) throws -> Void) throws {
        guard let first = path.first else {
            try body(&document)
            return
        }
        let rest = Array(path.dropFirst())
        switch document {
        case .object(var members):
            guard var child = members[first] else { throw notFound(full) }
            try modify(rest, in: &child, full: full, body)
            members[first] = child
            document = .object(members)
        case .array(var items):
            guard let index = Int(first), items.indices.contains(index) else { throw notFound(full) }
            var child = items[index]
            try modify(rest, in: &child, full: full, body)
            items[index] = child
            document = .array(items)
        default:
            throw notFound(full)
        }
    }
}
