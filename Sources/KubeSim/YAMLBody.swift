import Foundation
import KubeModel
import YAML

/// Decodes request bodies sent as YAML (`application/apply-patch+yaml`). kubectl and
/// client-go send JSON, which callers try first; this covers hand-written YAML.
enum YAMLBody {
    static func parse(_ data: Data) throws -> JSONValue {
        try YAML.parse(String(decoding: data, as: UTF8.self))
    }
}
