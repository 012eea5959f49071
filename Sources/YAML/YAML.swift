import KubeModel

/// A reader and writer for the subset of YAML that kubeconfig files, kubectl and cloud CLIs
/// write: block mappings and sequences, comments, quoted and plain scalars with YAML 1.2
/// core-schema types, `|`/`>` block scalars, and simple flow collections.
///
/// Anchors, aliases, tags and complex keys are refused with a `YAMLError` naming the line.
public enum YAML {
    /// Parses one document. Text with several `---` documents is an error; use `parseAll`.
    public static func parse(_ text: String) throws -> JSONValue {
        let documents = try parseAll(text)
        guard documents.count <= 1 else {
            throw YAMLError(line: 1, message: "expected one document, found \(documents.count)")
        }
        return documents.first ?? .null
    }

    /// Parses every document of a `---`-separated stream. Empty documents are skipped.
    public static func parseAll(_ text: String) throws -> [JSONValue] {
        var parser = YAMLParser(text: text)
        return try parser.parseStream()
    }

    /// Renders a value as block-style YAML with keys in sorted order, ending in a newline.
    /// Strings that would read back as another type, or that hold special characters, are quoted.
    public static func render(_ value: JSONValue) -> String {
        YAMLRenderer.render(value)
    }
}

/// A YAML document that this reader cannot read, with the 1-based line where it stopped.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "YAML line \(line): \(message)" }
}
