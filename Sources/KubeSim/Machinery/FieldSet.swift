import Foundation
import KubeModel

/// One step of a structured-merge-diff field path: a field name (`f:name`), an
/// associative-list element by its keys (`k:{"name":"zk"}`), a set element by value
/// (`v:"x"`), or a list index (`i:0`).
public enum PathElement: Hashable, Sendable, Comparable {
    case field(String)
    case key([String: JSONValue])
    case value(JSONValue)
    case index(Int)

    /// The fieldsV1 spelling (`f:spec`, `k:{"containerPort":2181,"protocol":"TCP"}`).
    public var fieldsV1Key: String {
        switch self {
        case .field(let name): return "f:" + name
        case .key(let keys): return "k:" + String(decoding: JSONValue.object(keys).serialized(), as: UTF8.self)
        case .value(let value): return "v:" + String(decoding: value.serialized(), as: UTF8.self)
        case .index(let index): return "i:\(index)"
        }
    }

    /// Parses a fieldsV1 key; nil for anything else (including `.`).
    public init?(fieldsV1Key key: String) {
        guard key.count >= 2 else { return nil }
        let body = String(key.dropFirst(2))
        switch key.prefix(2) {
        case "f:": self = .field(body)
        case "k:":
            guard let keys = try? JSONValue.parse(Data(body.utf8)).objectValue else { return nil }
            self = .key(keys)
        case "v:":
            guard let value = try? JSONValue.parse(Data(body.utf8)) else { return nil }
            self = .value(value)
        case "i:":
            guard let index = Int(body) else { return nil }
            self = .index(index)
        default: return nil
        }
    }

    /// How `fieldpath.Path.String()` prints the step: `.name`, `[name="zk"]`, `[=x]`, `[0]`.
    public var pathString: String {
        switch self {
        case .field(let name): return "." + name
        case .key(let keys): return "[" + keys.keys.sorted().map { "\($0)=\(Self.goValue(keys[$0] ?? .null))" }.joined(separator: ",") + "]"
        case .value(let value): return "[=\(Self.goValue(value))]"
        case .index(let index): return "[\(index)]"
        }
    }

    /// structured-merge-diff's `value.ToString`: `%q` strings, `%v` numbers and booleans.
    private static func goValue(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return GoFormat.quote(text)
        case .int, .double, .bool, .null: return GoFormat.badValue(value)
        default: return String(decoding: value.serialized(), as: UTF8.self)
        }
    }

    public static func < (lhs: PathElement, rhs: PathElement) -> Bool { lhs.fieldsV1Key < rhs.fieldsV1Key }
}

/// A set of field paths, the content of one managedFields entry.
public struct FieldSet: Hashable, Sendable {
    public var paths: Set<[PathElement]>

    public init(_ paths: Set<[PathElement]> = []) { self.paths = paths }

    public var isEmpty: Bool { paths.isEmpty }

    /// Decodes a `fieldsV1` object: every leaf `{}` and every `.` marks a member.
    public init(fieldsV1: JSONValue) {
        var paths = Set<[PathElement]>()
        func walk(_ node: JSONValue, _ prefix: [PathElement]) {
            guard let members = node.objectValue else { return }
            if members.isEmpty || members["."] != nil, !prefix.isEmpty { paths.insert(prefix) }
            for (key, child) in members where key != "." {
                guard let element = PathElement(fieldsV1Key: key) else { continue }
                walk(child, prefix + [element])
            }
        }
        walk(fieldsV1, [])
        self.paths = paths
    }

    /// Encodes as `fieldsV1`: nested objects, `{}` for leaves, `".": {}` for members that
    /// also have members below them.
    public var fieldsV1: JSONValue {
        final class Node {
            var children: [PathElement: Node] = [:]
            var isMember = false
        }
        let root = Node()
        for path in paths {
            var node = root
            for element in path {
                if let child = node.children[element] { node = child } else {
                    let child = Node()
                    node.children[element] = child
                    node = child
                }
            }
            node.isMember = true
        }
        func encode(_ node: Node) -> JSONValue {
            var members: [String: JSONValue] = [:]
            if node.isMember && !node.children.isEmpty { members["."] = [:] }
            for (element, child) in node.children { members[element.fieldsV1Key] = encode(child) }
            return .object(members)
        }
        return encode(root)
    }

    public func contains(_ path: [PathElement]) -> Bool { paths.contains(path) }

    /// Whether some member lies strictly below `path`.
    public func hasDescendant(of path: [PathElement]) -> Bool {
        paths.contains { $0.count > path.count && Array($0.prefix(path.count)) == path }
    }

    public func union(_ other: FieldSet) -> FieldSet { FieldSet(paths.union(other.paths)) }
    public func subtracting(_ other: FieldSet) -> FieldSet { FieldSet(paths.subtracting(other.paths)) }
    public func intersection(_ other: FieldSet) -> FieldSet { FieldSet(paths.intersection(other.paths)) }

    /// Removes `path` and everything below it.
    public func removingSubtree(_ path: [PathElement]) -> FieldSet {
        FieldSet(paths.filter { !($0.count >= path.count && Array($0.prefix(path.count)) == path) })
    }

    /// `fieldpath.Path.String()`.
    public static func string(_ path: [PathElement]) -> String {
        path.map(\.pathString).joined()
    }
}
