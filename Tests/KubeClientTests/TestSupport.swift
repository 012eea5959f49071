import Foundation
import KubeModel
@testable import KubeClient

/// A ConfigMap as a typed object, for client tests.
struct TestConfigMap: KubeObject, Equatable {
    static let resourceType = ResourceType.configMaps
    var apiVersion: String?
    var kind: String?
    var metadata: ObjectMeta
    var data: [String: String]?

    init(name: String, namespace: String = "default", labels: [String: String]? = nil, data: [String: String]? = nil) {
        metadata = ObjectMeta(name: name, namespace: namespace, labels: labels)
        self.data = data
    }
}

/// A temporary directory removed when the value goes away.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "keeper-client-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    @discardableResult
    func write(_ name: String, _ text: String, executable: Bool = false) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file) }
        return file
    }
}

/// Polls `condition` until it holds or `seconds` pass.
func eventually(within seconds: Double = 30, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(nanoseconds: 20_000_000)
    }
    return try await condition()
}
