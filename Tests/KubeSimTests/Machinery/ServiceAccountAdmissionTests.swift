import Foundation
import KubeModel
import Testing
@testable import KubeSim

/// The ServiceAccount admission plugin (pure) and through the API server, with the
/// controllers that give every namespace its `default` account and `kube-root-ca.crt`.
@Suite struct ServiceAccountAdmissionTests {
    static let pod: JSONValue = ["metadata": ["name": "p", "namespace": "ns"],
                                 "spec": ["initContainers": [["name": "init", "image": "busybox"]],
                                          "containers": [["name": "main", "image": "busybox"]]]]

    @Test func everyContainerMountsOneKubeAPIAccessVolume() throws {
        var pod = Self.pod
        try ServiceAccountAdmission.admit(&pod, namespace: "ns", serviceAccount: ["metadata": ["name": "default"]], suffix: "abcde")
        #expect(pod[path: ["spec", "serviceAccountName"]] == "default")
        let volumes = pod[path: ["spec", "volumes"]]?.arrayValue ?? []
        #expect(volumes.count == 1)
        #expect(volumes.first?["name"] == "kube-api-access-abcde")
        #expect(volumes.first?[path: ["projected", "defaultMode"]] == 420)
        let sources = volumes.first?[path: ["projected", "sources"]]?.arrayValue ?? []
        #expect(sources.map { $0.objectValue?.keys.first } == ["serviceAccountToken", "configMap", "downwardAPI"])
        #expect(sources.first?[path: ["serviceAccountToken", "expirationSeconds"]] == 3607)
        for field in ["initContainers", "containers"] {
            let mounts = pod[path: ["spec", field]]?.arrayValue?.first?["volumeMounts"]?.arrayValue ?? []
            #expect(mounts == [["name": "kube-api-access-abcde", "readOnly": true, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"]])
        }
    }

    @Test func thePodThenTheAccountCanTurnTheMountOff() throws {
        var pod = Self.pod
        try ServiceAccountAdmission.admit(&pod, namespace: "ns", serviceAccount: ["automountServiceAccountToken": false], suffix: "x")
        #expect(pod[path: ["spec", "volumes"]] == nil)
        var insisting = Self.pod
        insisting[path: ["spec", "automountServiceAccountToken"]] = true
        try ServiceAccountAdmission.admit(&insisting, namespace: "ns", serviceAccount: ["automountServiceAccountToken": false], suffix: "x")
        #expect(insisting[path: ["spec", "volumes"]]?.arrayValue?.count == 1)
    }

    @Test func aMissingAccountIsRefusedWithTheRealMessage() async throws {
        let server = APIServer()
        _ = try server.storage.create(.namespaces, ["metadata": ["name": "apps"]])
        var pod = Self.pod
        pod[path: ["metadata"]] = ["generateName": "web-5d59d67564-", "namespace": "apps"]
        pod[path: ["spec", "serviceAccountName"]] = "robot"
        #expect {
            _ = try server.storage.create(.pods, pod)
        } throws: { error in
            (error as? Status)?.message == "pods \"web-5d59d67564-\" is forbidden: error looking up service account apps/robot: serviceaccount \"robot\" not found"
                && (error as? Status)?.code == 403
        }
        // The namespace's default account and CA bundle come from the controllers.
        #expect(await eventually(timeout: 10) {
            (try? server.storage.get(.serviceAccounts, namespace: "apps", name: "default")) != nil
                && (try? server.storage.get(.configMaps, namespace: "apps", name: "kube-root-ca.crt"))?[path: ["data", "ca.crt"]]?.stringValue?
                .hasPrefix("-----BEGIN CERTIFICATE-----") == true
        })
        pod[path: ["spec", "serviceAccountName"]] = nil
        let created = try server.storage.create(.pods, pod)
        #expect(created[path: ["spec", "serviceAccountName"]] == "default")
        #expect(created[path: ["spec", "volumes"]]?.arrayValue?.first?["name"]?.stringValue?.hasPrefix("kube-api-access-") == true)
        // An edited CA bundle is put back.
        _ = try server.storage.patch(.configMaps, namespace: "apps", name: "kube-root-ca.crt", mergePatch: ["data": ["ca.crt": "forged"]])
        #expect(await eventually(timeout: 10) {
            (try? server.storage.get(.configMaps, namespace: "apps", name: "kube-root-ca.crt"))?[path: ["data", "ca.crt"]]?.stringValue == server.certificates?.caPEM
        })
    }

    @Test func tokensAreRefreshedInTheLastFifthOfTheirLifetime() {
        let expiration = Date(timeIntervalSince1970: 10_000)
        let issued = ServiceAccountTokens.Issued(token: "t", expiration: expiration, expirationSeconds: 1000)
        #expect(!ServiceAccountTokens.requiresRefresh(issued, now: expiration.addingTimeInterval(-201)))
        #expect(ServiceAccountTokens.requiresRefresh(issued, now: expiration.addingTimeInterval(-199)))
    }

    @Test func theKubernetesServiceVariablesAreTheRealNames() {
        let names = KubernetesServiceEndpoint(host: "127.0.0.1", port: 6443).environment.map { "\($0.name)=\($0.value)" }
        #expect(names.contains("KUBERNETES_SERVICE_HOST=127.0.0.1"))
        #expect(names.contains("KUBERNETES_SERVICE_PORT=6443"))
        #expect(names.contains("KUBERNETES_PORT_6443_TCP=tcp://127.0.0.1:6443"))
    }
}
