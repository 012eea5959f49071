import Foundation
import KubeModel

/// Typed verbs: objects of a `KubeObject` type, whose `resourceType` says where they live.
extension KubeClient {
    public func get<T: KubeObject>(_ type: T.Type, namespace: String?, name: String) async throws -> T {
        try decode(try await get(T.resourceType, namespace: namespace, name: name))
    }

    public func list<T: KubeObject>(_ type: T.Type, namespace: String?, options: ListOptions = ListOptions()) async throws -> ObjectList<T> {
        try decode(try await list(T.resourceType, namespace: namespace, options: options))
    }

    /// Every object, following `continue` tokens; the list's resourceVersion comes along.
    public func listAll<T: KubeObject>(_ type: T.Type, namespace: String?, options: ListOptions = ListOptions()) async throws -> ObjectList<T> {
        let (items, resourceVersion) = try await listAll(T.resourceType, namespace: namespace, options: options)
        return ObjectList(apiVersion: T.resourceType.apiVersion, kind: T.resourceType.kind + "List",
                          metadata: ListMeta(resourceVersion: resourceVersion), items: try items.map { try decode($0) })
    }

    public func create<T: KubeObject>(_ object: T) async throws -> T {
        try decode(try await create(T.resourceType, namespace: object.metadata.namespace, object: try encode(object)))
    }

    /// PUT with the object's resourceVersion as precondition: 409 when stale.
    public func update<T: KubeObject>(_ object: T) async throws -> T {
        try decode(try await update(T.resourceType, namespace: object.metadata.namespace, name: try name(of: object), object: try encode(object)))
    }

    /// PUT to the status subresource (spec changes in `object` are ignored by the server).
    public func updateStatus<T: KubeObject>(_ object: T) async throws -> T {
        try decode(try await update(T.resourceType, namespace: object.metadata.namespace, name: try name(of: object),
                                    object: try encode(object), subresource: "status"))
    }

    public func patch<T: KubeObject>(_ type: T.Type, namespace: String?, name: String, patch: Patch, subresource: String? = nil) async throws -> T {
        try decode(try await self.patch(T.resourceType, namespace: namespace, name: name, patch: patch, subresource: subresource))
    }

    /// Server-side apply of `object` as `fieldManager`.
    public func apply<T: KubeObject>(_ object: T, fieldManager: String, force: Bool = true, subresource: String? = nil) async throws -> T {
        var body = try encode(object)
        // An applied configuration states intent; a resourceVersion would make it a precondition.
        body[path: ["metadata", "resourceVersion"]] = nil
        return try decode(try await apply(T.resourceType, namespace: object.metadata.namespace, name: try name(of: object),
                                          object: body, fieldManager: fieldManager, force: force, subresource: subresource))
    }

    public func delete<T: KubeObject>(_ type: T.Type, namespace: String?, name: String, options: DeleteOptions = DeleteOptions()) async throws {
        try await delete(T.resourceType, namespace: namespace, name: name, options: options)
    }

    // MARK: Scale subresource

    public func getScale(_ resource: ResourceType, namespace: String?, name: String) async throws -> Scale {
        try decode(try await get(resource, namespace: namespace, name: name, subresource: "scale"))
    }

    /// PUT to the scale subresource; `scale.metadata.resourceVersion`, when set, is a precondition.
    public func updateScale(_ resource: ResourceType, namespace: String?, name: String, scale: Scale) async throws -> Scale {
        var scale = scale
        if scale.metadata.name == nil { scale.metadata.name = name }
        return try decode(try await update(resource, namespace: namespace, name: name, object: try encode(scale), subresource: "scale"))
    }

    /// Sets `spec.replicas` with a merge patch of the scale subresource.
    public func patchScale(_ resource: ResourceType, namespace: String?, name: String, replicas: Int) async throws -> Scale {
        try decode(try await patch(resource, namespace: namespace, name: name, patch: .merge(["spec": ["replicas": .int(Int64(replicas))]]), subresource: "scale"))
    }

    // MARK: Coding

    func encode<T: Encodable>(_ object: T) throws -> JSONValue {
        do {
            var value = try JSONValue(encoding: object)
            if let kubeObject = object as? any KubeObject {
                let resource = type(of: kubeObject).resourceType
                value["apiVersion"] = .string(resource.apiVersion)
                value["kind"] = .string(resource.kind)
            }
            return value
        } catch {
            throw KubeError.decoding("cannot encode \(T.self): \(error)")
        }
    }

    func decode<T: Decodable>(_ value: JSONValue) throws -> T {
        do {
            return try value.decode(as: T.self)
        } catch {
            throw KubeError.decoding("cannot decode \(T.self): \(error)")
        }
    }

    private func name<T: KubeObject>(of object: T) throws -> String {
        guard let name = object.metadata.name, !name.isEmpty else {
            throw KubeError.configuration("\(T.self) has no metadata.name")
        }
        return name
    }
}
