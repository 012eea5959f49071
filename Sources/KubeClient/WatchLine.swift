import Foundation
import KubeModel

/// One line of a watch stream, decoded in one pass: the event's type decides how its object
/// is read (`T` for changes, metadata only for bookmarks, a `Status` for errors), so the
/// object is never decoded twice or through an intermediate `JSONValue`.
struct WatchLine<T: KubeObject>: Decodable {
    let input: WatcherStateMachine<T>.WatchInput

    private enum CodingKeys: String, CodingKey {
        case type, object
    }

    /// A bookmark's object: only its resourceVersion matters.
    private struct Bookmark: Decodable {
        struct Metadata: Decodable { var resourceVersion: String? }
        var metadata: Metadata?
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "ADDED", "MODIFIED", "DELETED":
            let object = try container.decode(T.self, forKey: .object)
            let version = object.metadata.resourceVersion
            switch type {
            case "ADDED": input = .added(object, resourceVersion: version)
            case "MODIFIED": input = .modified(object, resourceVersion: version)
            default: input = .deleted(object, resourceVersion: version)
            }
        case "BOOKMARK":
            input = .bookmark(resourceVersion: try container.decodeIfPresent(Bookmark.self, forKey: .object)?.metadata?.resourceVersion)
        case "ERROR":
            input = .error((try? container.decode(Status.self, forKey: .object)) ?? Status(message: "watch ERROR event", code: 500))
        default:
            throw KubeError.decoding("unknown watch event type \(type)")
        }
    }
}
