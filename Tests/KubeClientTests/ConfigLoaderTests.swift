import Foundation
import KubeModel
import Testing
@testable import KubeClient

@Suite struct ConfigLoaderTests {
    static let first = """
    apiVersion: v1
    kind: Config
    current-context: one
    clusters:
    - name: a
      cluster:
        server: http://127.0.0.1:8001
    contexts:
    - name: one
      context: {cluster: a, user: tokened, namespace: zk}
    - name: shared
      context: {cluster: a, user: tokened}
    users:
    - name: tokened
      user:
        token: first-token
    """

    static let second = """
    current-context: two
    clusters:
    - name: a
      cluster:
        server: https://ignored.example
    - name: b
      cluster:
        server: https://[fd00::1]:6443
        insecure-skip-tls-verify: true
    contexts:
    - name: two
      context: {cluster: b, user: filed}
    - name: shared
      context: {cluster: b, user: filed}
    users:
    - name: filed
      user:
        tokenFile: secrets/token
    """

    @Test func explicitPathWinsOverKubeconfigVariable() throws {
        let directory = try TemporaryDirectory()
        let explicit = try directory.write("explicit", Self.first)
        let other = try directory.write("other", Self.second)
        let loader = ConfigLoader(environment: ["KUBECONFIG": other], homeDirectory: directory.path)
        let configuration = try loader.load(kubeconfigPath: explicit)
        #expect(configuration.server.absoluteString == "http://127.0.0.1:8001")
        #expect(configuration.namespace == "zk")
        #expect(configuration.credentials == .token("first-token"))
        #expect(configuration.warnings.isEmpty)
    }

    @Test func kubeconfigListMergesFirstDefinitionWins() throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write("first", Self.first)
        let second = try directory.write("sub/second", Self.second)
        let loader = ConfigLoader(environment: ["KUBECONFIG": "\(directory.path)/missing:\(first):\(second)"], homeDirectory: directory.path)
        // current-context comes from the first file that sets it; cluster "a" from the first too.
        let current = try loader.load()
        #expect(current.server.absoluteString == "http://127.0.0.1:8001")
        // "shared" is defined in both: the first file's definition wins.
        #expect(try loader.load(context: "shared").credentials == .token("first-token"))
        // A context only in the second file, with a tokenFile relative to that file.
        let two = try loader.load(context: "two")
        #expect(two.server.absoluteString == "https://[fd00::1]:6443")
        #expect(two.credentials == .tokenFile(directory.path + "/sub/secrets/token"))
        #expect(two.namespace == "default")
        #expect(two.insecureSkipTLSVerify)
        #expect(two.warnings.contains { $0.contains("insecure-skip-tls-verify") && $0.contains("update-ca-certificates") })
        #expect(throws: KubeError.self) { try loader.load(context: "nope") }
    }

    @Test func inClusterComesBeforeHomeKubeconfig() throws {
        let directory = try TemporaryDirectory()
        try directory.write(".kube/config", Self.first)
        try directory.write("sa/token", "sa-token\n")
        try directory.write("sa/namespace", "keeper-system")
        let environment = ["KUBERNETES_SERVICE_HOST": "fd00::10", "KUBERNETES_SERVICE_PORT": "443"]
        let loader = ConfigLoader(environment: environment, homeDirectory: directory.path, serviceAccountDirectory: directory.path + "/sa")
        let configuration = try loader.load()
        #expect(configuration.server.absoluteString == "https://[fd00::10]:443")
        #expect(configuration.namespace == "keeper-system")
        #expect(configuration.credentials == .tokenFile(directory.path + "/sa/token"))
        #expect(configuration.source == "in-cluster")

        // Without the service environment, ~/.kube/config is used.
        let home = try ConfigLoader(environment: [:], homeDirectory: directory.path, serviceAccountDirectory: directory.path + "/sa").load()
        #expect(home.credentials == .token("first-token"))
        #expect(throws: KubeError.self) {
            try ConfigLoader(environment: [:], homeDirectory: directory.path + "/nowhere", serviceAccountDirectory: directory.path + "/none").load()
        }
    }

    @Test func clientCertificateOnlyFailsWithTheAlternatives() throws {
        let text = """
        current-context: kind
        clusters: [{name: kind, cluster: {server: "https://127.0.0.1:40915"}}]
        contexts: [{name: kind, context: {cluster: kind, user: kind}}]
        users:
        - name: kind
          user:
            client-certificate-data: QUJD
            client-key-data: REVG
        """
        do {
            _ = try Kubeconfig(text: text).configuration()
            Issue.record("expected an error")
        } catch KubeError.configuration(let message) {
            #expect(message.contains("Foundation"))
            #expect(message.contains("client certificates"))
            #expect(message.contains("token"))
            #expect(message.contains("kubectl proxy"))
        }
    }

    @Test func execPluginConfigurationIsRead() throws {
        let text = """
        current-context: eks
        clusters: [{name: eks, cluster: {server: "https://example.eks.amazonaws.com", certificate-authority-data: QUJD}}]
        contexts: [{name: eks, context: {cluster: eks, user: eks}}]
        users:
          - name: eks
            user:
              exec:
                apiVersion: client.authentication.k8s.io/v1beta1
                command: aws
                args: [eks, get-token, --cluster-name, zk]
                env:
                  - name: AWS_PROFILE
                    value: prod
                provideClusterInfo: true
        """
        let configuration = try Kubeconfig(text: text).configuration()
        guard case .exec(let exec) = configuration.credentials else { Issue.record("expected exec"); return }
        #expect(exec.command == "aws")
        #expect(exec.args == ["eks", "get-token", "--cluster-name", "zk"])
        #expect(exec.env == ["AWS_PROFILE": "prod"])
        #expect(exec.apiVersion == "client.authentication.k8s.io/v1beta1")
        let info = try JSONValue.parse(Data(ExecCredentialPlugin.execInfo(for: exec).utf8))
        #expect(info[path: ["spec", "cluster", "server"]] == "https://example.eks.amazonaws.com")
        #expect(info[path: ["spec", "cluster", "certificate-authority-data"]] == "QUJD")
        #expect(info[path: ["spec", "interactive"]] == .bool(false))
    }

    @Test func caNotInTheSystemBundleIsReported() throws {
        let pem = "-----BEGIN CERTIFICATE-----\nTUlJQ2NsdXN0ZXJDQQ==\n-----END CERTIFICATE-----\n"
        var configuration = ClientConfiguration(server: URL(string: "https://10.0.0.1:6443")!, certificateAuthorityPEM: Data(pem.utf8))
        let bundleWithout = Data("-----BEGIN CERTIFICATE-----\nb3RoZXI=\n-----END CERTIFICATE-----\n".utf8)
        let missing = TLSTrust.warnings(for: configuration, bundle: bundleWithout)
        #expect(missing.count == 1)
        #expect(missing.first?.contains("update-ca-certificates") == true)
        let bundleWith = bundleWithout + Data(pem.replacingOccurrences(of: "\n-----END", with: "\n\n-----END").utf8)  // whitespace differs
        #expect(TLSTrust.warnings(for: configuration, bundle: bundleWith).isEmpty)
        configuration.server = URL(string: "http://127.0.0.1:8001")!
        #expect(TLSTrust.warnings(for: configuration, bundle: bundleWithout).isEmpty)
    }
}
