import Foundation
import HTTPServer
import KubeModel

extension APIServer {
    /// In-process access to the objects, through the same code paths as HTTP requests
    /// (defaults, validation, resourceVersions, watches) but without a socket, request
    /// counting or injected faults. For tests and kube-sim's controllers.
    public var storage: Storage { Storage(server: self) }

    /// See `APIServer.storage`. Failures throw the `Status` the HTTP API would return.
    public struct Storage: Sendable {
        let server: APIServer

        public func get(_ type: ResourceType, namespace: String? = nil, name: String, subresource: String? = nil) throws -> JSONValue {
            try call("GET", type.path(namespace: namespace, name: name, subresource: subresource))
        }

        /// Items of a list, optionally filtered by a label selector.
        public func list(_ type: ResourceType, namespace: String? = nil, labelSelector: String? = nil, fieldSelector: String? = nil) throws -> [JSONValue] {
            var query: [String] = []
            if let labelSelector { query.append("labelSelector=" + Self.escape(labelSelector)) }
            if let fieldSelector { query.append("fieldSelector=" + Self.escape(fieldSelector)) }
            let list = try call("GET", type.path(namespace: namespace) + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
            return list["items"]?.arrayValue ?? []
        }

        /// Creates `object` in the namespace its metadata names.
        public func create(_ type: ResourceType, _ object: JSONValue, fieldManager: String = "kube-sim") throws -> JSONValue {
            let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? (type.namespaced ? "default" : nil)
            return try call("POST", type.path(namespace: namespace) + "?fieldManager=\(fieldManager)", body: object)
        }

        /// Replaces `object` (its resourceVersion, when set, is a precondition).
        public func update(_ type: ResourceType, _ object: JSONValue, subresource: String? = nil, fieldManager: String = "kube-sim") throws -> JSONValue {
            let namespace = object[path: ["metadata", "namespace"]]?.stringValue ?? (type.namespaced ? "default" : nil)
            let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
            return try call("PUT", type.path(namespace: namespace, name: name, subresource: subresource) + "?fieldManager=\(fieldManager)", body: object)
        }

        /// A JSON merge patch.
        public func patch(_ type: ResourceType, namespace: String? = nil, name: String, mergePatch: JSONValue, subresource: String? = nil, fieldManager: String = "kube-sim") throws -> JSONValue {
            try call("PATCH", type.path(namespace: namespace, name: name, subresource: subresource) + "?fieldManager=\(fieldManager)",
                     body: mergePatch, contentType: "application/merge-patch+json")
        }

        /// Deletes an object; `propagationPolicy` is Background (default), Foreground or Orphan.
        @discardableResult
        public func delete(_ type: ResourceType, namespace: String? = nil, name: String, propagationPolicy: String? = nil, gracePeriodSeconds: Int64? = nil) throws -> JSONValue {
            var options: JSONValue = ["kind": "DeleteOptions", "apiVersion": "v1"]
            if let propagationPolicy { options["propagationPolicy"] = .string(propagationPolicy) }
            if let gracePeriodSeconds { options["gracePeriodSeconds"] = .int(gracePeriodSeconds) }
            return try call("DELETE", type.path(namespace: namespace, name: name), body: options)
        }

        private func call(_ method: String, _ target: String, body: JSONValue? = nil, contentType: String = "application/json") throws -> JSONValue {
            let request = HTTPRequest(method: method, target: target, headers: HTTPHeaders([("Content-Type", contentType), ("User-Agent", "kube-sim")]),
                                      body: body?.serialized() ?? Data())
            let response = server.handleInternal(request)
            guard case .bytes(let data) = response.body else { throw StatusErrors.internalError("unexpected stream") }
            if response.status >= 300 {
                throw (try? JSONValue.parse(data).decode(as: Status.self)) ?? StatusErrors.internalError("status \(response.status)")
            }
            return try JSONValue.parse(data)
        }

        private static func escape(_ text: String) -> String {
            var allowed = CharacterSet.alphanumerics
            allowed.insert(charactersIn: "-._~")
            return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
        }
    }
}
