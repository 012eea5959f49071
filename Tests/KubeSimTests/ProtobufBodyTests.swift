import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeModel
import Testing
@testable import KubeSim

@Suite struct ProtobufBodyTests {
    /// The exact body `kubectl create configmap foo --from-literal=a=b` sent (from `-v=8`).
    static let kubectlConfigMap: [UInt8] = [
        0x6b, 0x38, 0x73, 0x00, 0x0a, 0x0f, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x09, 0x43, 0x6f, 0x6e, 0x66,
        0x69, 0x67, 0x4d, 0x61, 0x70, 0x12, 0x1d, 0x0a, 0x13, 0x0a, 0x03, 0x66, 0x6f, 0x6f, 0x12, 0x00,
        0x1a, 0x00, 0x22, 0x00, 0x2a, 0x00, 0x32, 0x00, 0x38, 0x00, 0x42, 0x00, 0x12, 0x06, 0x0a, 0x01,
        0x61, 0x12, 0x01, 0x62, 0x1a, 0x00, 0x22, 0x00,
    ]

    @Test func decodesKubectlsConfigMap() throws {
        let object = try ProtobufBody.decode(Data(Self.kubectlConfigMap))
        #expect(object == ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "foo"], "data": ["a": "b"]])
    }

    @Test func refusesKindsItCannotDecode() {
        var bytes = Self.kubectlConfigMap
        // Rename the kind to "ConfigMaq".
        bytes[20] = 0x71
        #expect(throws: (any Error).self) { try ProtobufBody.decode(Data(bytes)) }
    }

    @Test func createOverHTTPWithProtobuf() async throws {
        let server = APIServer()
        try server.start()
        defer { server.stop() }
        var request = URLRequest(url: URL(string: server.baseURL.absoluteString + "/api/v1/namespaces/default/configmaps")!)
        request.httpMethod = "POST"
        request.setValue("application/vnd.kubernetes.protobuf", forHTTPHeaderField: "Content-Type")
        request.setValue("application/vnd.kubernetes.protobuf,application/json", forHTTPHeaderField: "Accept")
        request.httpBody = Data(Self.kubectlConfigMap)
        request.setValue("Bearer \(server.adminToken)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 201)
        #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type") == "application/json")
        #expect(try JSONValue.parse(data)["data"] == ["a": "b"])
    }
}
