import Foundation

/// Header fields in arrival order, looked up case-insensitively (RFC 9110: field names are
/// case-insensitive).
public struct HTTPHeaders: Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ fields: [(String, String)] = []) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }?.value
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        let lowered = name.lowercased()
        return fields.filter { $0.name.lowercased() == lowered }.map(\.value)
    }

    public mutating func add(_ name: String, _ value: String) { fields.append((name: name, value: value)) }

    /// Replaces every value of `name` by `value`.
    public mutating func set(_ name: String, _ value: String) {
        let lowered = name.lowercased()
        fields.removeAll { $0.name.lowercased() == lowered }
        fields.append((name: name, value: value))
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }
}

/// One parsed HTTP/1.1 request with its whole body.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The request target's path, percent-decoded (`/api/v1/namespaces/default/pods`).
    public var path: String
    /// The raw query string, without `?`.
    public var rawQuery: String
    /// Query items in order, decoded as Go's `url.ParseQuery` does (`+` is a space).
    public var queryItems: [(name: String, value: String)]
    public var headers: HTTPHeaders
    public var body: Data

    public init(method: String, target: String, headers: HTTPHeaders = HTTPHeaders(), body: Data = Data()) {
        self.method = method
        self.headers = headers
        self.body = body
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawPath = parts.first.map(String.init) ?? "/"
        self.path = rawPath.removingPercentEncoding ?? rawPath
        self.rawQuery = parts.count > 1 ? String(parts[1]) : ""
        self.queryItems = HTTPRequest.parseQuery(rawQuery)
    }

    /// The first value of query parameter `name`.
    public func query(_ name: String) -> String? { queryItems.first { $0.name == name }?.value }

    /// Every value of query parameter `name`.
    public func queryValues(_ name: String) -> [String] { queryItems.filter { $0.name == name }.map(\.value) }

    static func parseQuery(_ query: String) -> [(name: String, value: String)] {
        query.split(whereSeparator: { $0 == "&" || $0 == ";" }).compactMap { pair in
            let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                let spaced = part.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            guard let key = keyValue.first, !key.isEmpty else { return nil }
            return (name: decode(key), value: keyValue.count > 1 ? decode(keyValue[1]) : "")
        }
    }
}
