import Foundation
import KubeModel

/// Decodes request bodies sent as YAML (`application/apply-patch+yaml`). kubectl and
/// client-go send JSON, which is YAML, so JSON is tried first by callers; this covers the rest.
enum YAMLBody {
    static func parse(_ data: Data) throws -> JSONValue {
        throw StatusErrors.badRequest("YAML bodies are not supported yet; send JSON")
    }
}
