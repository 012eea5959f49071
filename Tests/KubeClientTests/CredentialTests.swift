import Foundation
import KubeModel
import Testing
@testable import KubeClient

@Suite struct CredentialTests {
    @Test func tokenFileIsReReadWhenItChanges() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("token", "one\n")
        let provider = CredentialProvider(credentials: .tokenFile(file))
        #expect(try await provider.authorizationHeader() == "Bearer one")
        try directory.write("token", "two")
        // Rotation keeps the size; make sure the modification time moves on.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: file)
        #expect(try await provider.authorizationHeader() == "Bearer two")
    }

    @Test func execPluginIsCachedUntilExpiryAndRerunAfterInvalidation() async throws {
        let directory = try TemporaryDirectory()
        let counter = directory.path + "/runs"
        // The plugin counts its runs, checks its input and prints a token that expires in an hour.
        try directory.write("plugin.sh", """
        #!/bin/sh
        echo run >> "\(counter)"
        case "$KUBERNETES_EXEC_INFO" in *'"kind":"ExecCredential"'*) ;; *) echo "no exec info" >&2; exit 3;; esac
        [ "$PLUGIN_GREETING" = hello ] || { echo "env missing" >&2; exit 4; }
        n=$(wc -l < "\(counter)" | tr -d ' ')
        echo "{\\"apiVersion\\":\\"client.authentication.k8s.io/v1\\",\\"kind\\":\\"ExecCredential\\",\\"status\\":{\\"token\\":\\"token-$n\\",\\"expirationTimestamp\\":\\"2999-01-01T00:00:00Z\\"}}"
        """, executable: true)
        let config = ExecConfig(apiVersion: "client.authentication.k8s.io/v1", command: "./plugin.sh", args: ["--flag"],
                                env: ["PLUGIN_GREETING": "hello"], baseDirectory: directory.path)
        let provider = CredentialProvider(credentials: .exec(config))
        #expect(try await provider.authorizationHeader() == "Bearer token-1")
        #expect(try await provider.authorizationHeader() == "Bearer token-1")
        await provider.invalidate()
        #expect(try await provider.authorizationHeader() == "Bearer token-2")
    }

    @Test func execOutputParsing() throws {
        let expired = Data(#"{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"t","expirationTimestamp":"2020-01-01T00:00:00.5Z"}}"#.utf8)
        let parsed = try ExecCredentialPlugin.parseOutput(expired, apiVersion: "client.authentication.k8s.io/v1beta1")
        #expect(parsed.token == "t")
        #expect(parsed.expires == ExecCredentialPlugin.parseTimestamp("2020-01-01T00:00:00.5Z"))
        #expect(parsed.expires != nil)
        #expect(throws: KubeError.self) { try ExecCredentialPlugin.parseOutput(expired, apiVersion: "client.authentication.k8s.io/v1") }
        let certificate = Data(#"{"kind":"ExecCredential","status":{"clientCertificateData":"x","clientKeyData":"y"}}"#.utf8)
        #expect(throws: KubeError.self) { try ExecCredentialPlugin.parseOutput(certificate, apiVersion: "client.authentication.k8s.io/v1") }
    }

    @Test func expiredExecTokenIsRefetched() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("plugin.sh", """
        #!/bin/sh
        echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"short","expirationTimestamp":"2000-01-01T00:00:00Z"}}'
        """, executable: true)
        let plugin = ExecCredentialPlugin(config: ExecConfig(apiVersion: "client.authentication.k8s.io/v1", command: directory.path + "/plugin.sh"))
        #expect(try await plugin.token() == "short")
        // Already expired: the next call runs the plugin again (and gets the same answer).
        #expect(try await plugin.token() == "short")
        let missing = ExecCredentialPlugin(config: ExecConfig(apiVersion: "v1", command: "no-such-plugin-xyz", installHint: "install it"))
        await #expect(throws: KubeError.self) { try await missing.token() }
    }
}
