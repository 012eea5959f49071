import Foundation
import KubeModel

/// Decodes the protobuf request bodies that kubectl's typed clients send
/// (`application/vnd.kubernetes.protobuf`: `k8s\0` + `runtime.Unknown`) for the few kinds
/// `kubectl create` makes: Namespace, ConfigMap, Secret, ServiceAccount, and the reviews and
/// TokenRequest of `kubectl auth can-i`, `kubectl auth whoami`, `kubectl create token`. Other kinds are
/// refused with 415, as a server without that serializer would.
enum ProtobufBody {
    enum DecodeError: Error { case malformed, unsupportedKind(String) }

    private indirect enum Field {
        case string, int, bool, bytes, time
        case message(String)
        case stringMap, bytesMap
        case repeatedString
        case repeatedMessage(String)
    }

    /// Field numbers from k8s.io/api and apimachinery's generated.proto files.
    private static let schemas: [String: [Int: (String, Field)]] = [
        "ObjectMeta": [1: ("name", .string), 2: ("generateName", .string), 3: ("namespace", .string), 5: ("uid", .string),
                       6: ("resourceVersion", .string), 7: ("generation", .int), 8: ("creationTimestamp", .time),
                       9: ("deletionTimestamp", .time), 10: ("deletionGracePeriodSeconds", .int), 11: ("labels", .stringMap),
                       12: ("annotations", .stringMap), 13: ("ownerReferences", .repeatedMessage("OwnerReference")),
                       14: ("finalizers", .repeatedString)],
        "OwnerReference": [1: ("kind", .string), 3: ("name", .string), 4: ("uid", .string), 5: ("apiVersion", .string),
                           6: ("controller", .bool), 7: ("blockOwnerDeletion", .bool)],
        "ConfigMap": [1: ("metadata", .message("ObjectMeta")), 2: ("data", .stringMap), 3: ("binaryData", .bytesMap), 4: ("immutable", .bool)],
        "Secret": [1: ("metadata", .message("ObjectMeta")), 2: ("data", .bytesMap), 3: ("type", .string), 4: ("stringData", .stringMap), 5: ("immutable", .bool)],
        "Namespace": [1: ("metadata", .message("ObjectMeta")), 2: ("spec", .message("NamespaceSpec")), 3: ("status", .message("NamespaceStatus"))],
        "NamespaceSpec": [1: ("finalizers", .repeatedString)],
        "NamespaceStatus": [1: ("phase", .string)],
        "ServiceAccount": [1: ("metadata", .message("ObjectMeta")), 2: ("secrets", .repeatedMessage("ObjectReference")),
                           3: ("imagePullSecrets", .repeatedMessage("LocalObjectReference")), 4: ("automountServiceAccountToken", .bool)],
        "ObjectReference": [1: ("kind", .string), 2: ("namespace", .string), 3: ("name", .string), 4: ("uid", .string), 5: ("apiVersion", .string)],
        "LocalObjectReference": [1: ("name", .string)],
        "TokenRequest": [1: ("metadata", .message("ObjectMeta")), 2: ("spec", .message("TokenRequestSpec"))],
        "TokenRequestSpec": [1: ("audiences", .repeatedString), 3: ("boundObjectRef", .message("BoundObjectReference")), 4: ("expirationSeconds", .int)],
        "BoundObjectReference": [1: ("kind", .string), 2: ("apiVersion", .string), 3: ("name", .string), 4: ("uid", .string)],
        "SelfSubjectAccessReview": [1: ("metadata", .message("ObjectMeta")), 2: ("spec", .message("SelfSubjectAccessReviewSpec"))],
        "SelfSubjectAccessReviewSpec": [1: ("resourceAttributes", .message("ResourceAttributes")), 2: ("nonResourceAttributes", .message("NonResourceAttributes"))],
        "ResourceAttributes": [1: ("namespace", .string), 2: ("verb", .string), 3: ("group", .string), 4: ("version", .string),
                               5: ("resource", .string), 6: ("subresource", .string), 7: ("name", .string)],
        "NonResourceAttributes": [1: ("path", .string), 2: ("verb", .string)],
        "SelfSubjectReview": [1: ("metadata", .message("ObjectMeta"))],
    ]

    static func decode(_ data: Data) throws -> JSONValue {
        let bytes = [UInt8](data)
        guard bytes.count > 4, bytes[0..<4] == [0x6b, 0x38, 0x73, 0x00] else { throw DecodeError.malformed }
        var apiVersion = "", kind = ""
        var raw: [UInt8] = []
        for (number, value) in try fields(bytes[4...]) {
            guard case .bytes(let payload) = value else { continue }
            if number == 1 {
                for (inner, innerValue) in try fields(payload[...]) {
                    guard case .bytes(let text) = innerValue else { continue }
                    if inner == 1 { apiVersion = String(decoding: text, as: UTF8.self) }
                    if inner == 2 { kind = String(decoding: text, as: UTF8.self) }
                }
            } else if number == 2 {
                raw = payload
            }
        }
        guard schemas[kind] != nil else { throw DecodeError.unsupportedKind(kind) }
        var object = try message(raw[...], type: kind)
        object["apiVersion"] = .string(apiVersion)
        object["kind"] = .string(kind)
        return object
    }

    private enum WireValue {
        case varint(UInt64)
        case bytes([UInt8])
    }

    private static func fields(_ bytes: ArraySlice<UInt8>) throws -> [(Int, WireValue)] {
        var result: [(Int, WireValue)] = []
        var index = bytes.startIndex
        func varint() throws -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard index < bytes.endIndex, shift < 64 else { throw DecodeError.malformed }
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
        }
        while index < bytes.endIndex {
            let key = try varint()
            let number = Int(key >> 3)
            switch key & 7 {
            case 0: result.append((number, .varint(try varint())))
            case 2:
                let length = Int(try varint())
                guard length >= 0, index + length <= bytes.endIndex else { throw DecodeError.malformed }
                result.append((number, .bytes(Array(bytes[index..<(index + length)]))))
                index += length
            case 1: index += 8
            case 5: index += 4
            default: throw DecodeError.malformed
            }
        }
        return result
    }

    private static func message(_ bytes: ArraySlice<UInt8>, type: String) throws -> JSONValue {
        guard let schema = schemas[type] else { return [:] }
        var object: [String: JSONValue] = [:]
        for (number, value) in try fields(bytes) {
            guard let (name, field) = schema[number] else { continue }
            switch (field, value) {
            case (.string, .bytes(let text)):
                // proto2 writes unset strings as empty; JSON omits them.
                if !text.isEmpty { object[name] = .string(String(decoding: text, as: UTF8.self)) }
            case (.int, .varint(let number)):
                if number != 0 { object[name] = .int(Int64(bitPattern: number)) }
            case (.bool, .varint(let number)):
                if number != 0 { object[name] = .bool(true) }
            case (.bytes, .bytes(let data)):
                object[name] = .string(Data(data).base64EncodedString())
            case (.time, .bytes(let data)):
                let parts = try fields(data[...])
                if case .varint(let seconds)? = parts.first(where: { $0.0 == 1 })?.1, seconds != 0 {
                    object[name] = .string(APIServer.timestamp(Date(timeIntervalSince1970: TimeInterval(seconds))))
                }
            case (.message(let inner), .bytes(let data)):
                object[name] = try message(data[...], type: inner)
            case (.stringMap, .bytes(let entry)), (.bytesMap, .bytes(let entry)):
                var key = "", entryValue: [UInt8] = []
                for (entryNumber, part) in try fields(entry[...]) {
                    guard case .bytes(let text) = part else { continue }
                    if entryNumber == 1 { key = String(decoding: text, as: UTF8.self) } else if entryNumber == 2 { entryValue = text }
                }
                var map = object[name]?.objectValue ?? [:]
                if case .bytesMap = field {
                    map[key] = .string(Data(entryValue).base64EncodedString())
                } else {
                    map[key] = .string(String(decoding: entryValue, as: UTF8.self))
                }
                object[name] = .object(map)
            case (.repeatedString, .bytes(let text)):
                object[name] = .array((object[name]?.arrayValue ?? []) + [.string(String(decoding: text, as: UTF8.self))])
            case (.repeatedMessage(let inner), .bytes(let data)):
                object[name] = .array((object[name]?.arrayValue ?? []) + [try message(data[...], type: inner)])
            default:
                throw DecodeError.malformed
            }
        }
        return .object(object)
    }
}
