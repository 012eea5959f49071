import KubeModel
import Testing
@testable import KubeSim

/// The checks against the messages of `pod-security-admission/policy/check_*.go` and their tests.
@Suite struct PodSecurityEvaluatorTests {
    static func pod(_ spec: JSONValue) -> JSONValue { ["metadata": ["name": "p"], "spec": spec] }

    /// Keeper's default member pod: what `restricted` must admit.
    static let restrictedPod = pod([
        "securityContext": ["runAsUser": 1000, "runAsNonRoot": true, "fsGroup": 1000, "seccompProfile": ["type": "RuntimeDefault"]],
        "containers": [["name": "zookeeper", "securityContext": ["allowPrivilegeEscalation": false, "capabilities": ["drop": ["ALL"]]],
                        "ports": [["containerPort": 2181]]]],
        "volumes": [["name": "config", "configMap": ["name": "zk-config"]], ["name": "logs", "emptyDir": [:]],
                    ["name": "data", "persistentVolumeClaim": ["claimName": "data-zk-0"]]],
    ])

    @Test func aRestrictedPodPassesEveryLevel() {
        for level in PodSecurityPolicy.Level.allCases {
            #expect(PodSecurityEvaluator.evaluate(level, pod: Self.restrictedPod).isEmpty, "\(level)")
        }
    }

    @Test func aBarePodFailsRestrictedWithTheRealServersWording() {
        let violations = PodSecurityEvaluator.evaluate(.restricted, pod: Self.pod(["containers": [["name": "app", "image": "x"]]]))
        #expect(PodSecurityEvaluator.forbiddenDetail(violations) == #"""
            allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), \#
            unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), \#
            runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), \#
            seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")
            """#)
        #expect(PodSecurityEvaluator.evaluate(.baseline, pod: Self.pod(["containers": [["name": "app", "image": "x"]]])).isEmpty)
    }

    @Test func explicitBadValuesAreNamed() {
        let spec: JSONValue = [
            "hostNetwork": true, "hostPID": true,
            "securityContext": ["runAsUser": 0, "runAsNonRoot": false, "seccompProfile": ["type": "Unconfined"]],
            "initContainers": [["name": "init", "securityContext": ["privileged": true, "allowPrivilegeEscalation": false,
                                                                    "capabilities": ["drop": ["ALL"], "add": ["NET_ADMIN", "NET_BIND_SERVICE"]]]]],
            "containers": [["name": "a", "ports": [["containerPort": 80, "hostPort": 8080], ["containerPort": 81, "hostPort": 8081]],
                            "securityContext": ["allowPrivilegeEscalation": false, "capabilities": ["drop": ["ALL"], "add": ["SYS_ADMIN"]], "runAsUser": 0]]],
            "volumes": [["name": "host", "hostPath": ["path": "/"]], ["name": "nfs", "nfs": ["server": "s", "path": "/"]]],
        ]
        let restricted = PodSecurityEvaluator.evaluate(.restricted, pod: Self.pod(spec))
        let byCheck = Dictionary(uniqueKeysWithValues: restricted.map { ($0.check, "\($0.reason) (\($0.detail))") })
        #expect(restricted.map(\.check) == [.hostNamespaces, .hostPorts, .privileged, .capabilitiesRestricted, .restrictedVolumes,
                                            .runAsNonRoot, .runAsUser, .seccompProfileRestricted])
        #expect(byCheck[.hostNamespaces] == "host namespaces (hostNetwork, hostPID)")
        #expect(byCheck[.hostPorts] == "hostPort (container \"a\" uses hostPorts 8080, 8081)")
        #expect(byCheck[.privileged] == "privileged (container \"init\" must not set securityContext.privileged=true)")
        #expect(byCheck[.capabilitiesRestricted] == #"unrestricted capabilities (containers "init", "a" must not include "NET_ADMIN", "SYS_ADMIN" in securityContext.capabilities.add)"#)
        #expect(byCheck[.restrictedVolumes] == #"restricted volume types (volumes "host", "nfs" use restricted volume types "hostPath", "nfs")"#)
        #expect(byCheck[.runAsNonRoot] == "runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)")
        #expect(byCheck[.runAsUser] == "runAsUser=0 (pod and container \"a\" must not set runAsUser=0)")
        #expect(byCheck[.seccompProfileRestricted] == #"seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")"#)

        let baseline = PodSecurityEvaluator.evaluate(.baseline, pod: Self.pod(spec))
        #expect(baseline.map(\.check) == [.hostNamespaces, .hostPorts, .privileged, .capabilitiesBaseline, .hostPathVolumes, .seccompProfileBaseline])
        #expect(baseline.first { $0.check == .capabilitiesBaseline }?.detail
            == #"containers "init", "a" must not include "NET_ADMIN", "SYS_ADMIN" in securityContext.capabilities.add"#)
        #expect(baseline.first { $0.check == .hostPathVolumes }?.detail == #"volume "host""#)
    }

    @Test func containerSettingsCoverAMissingPodLevel() {
        let spec: JSONValue = ["containers": [["name": "a", "securityContext": [
            "runAsNonRoot": true, "seccompProfile": ["type": "Localhost", "localhostProfile": "p.json"],
            "allowPrivilegeEscalation": false, "capabilities": ["drop": ["ALL"]],
        ]]]]
        #expect(PodSecurityEvaluator.evaluate(.restricted, pod: Self.pod(spec)).isEmpty)
        #expect(PodSecurityEvaluator.evaluate(.privileged, pod: Self.pod(["hostNetwork": true])).isEmpty)
    }

    @Test func namespaceLabelsGiveThePolicy() {
        let policy = PodSecurityPolicy(labels: ["pod-security.kubernetes.io/enforce": "restricted",
                                                "pod-security.kubernetes.io/warn": "baseline", "pod-security.kubernetes.io/warn-version": "v1.32",
                                                "pod-security.kubernetes.io/audit": "nonsense", "pod-security.kubernetes.io/audit-version": "1.32"])
        #expect(policy.enforce.description == "restricted:latest")
        #expect(policy.warn.description == "baseline:v1.32")
        #expect(policy.audit.description == "restricted:latest", "an unparsable level is the most restrictive")
        #expect(PodSecurityPolicy(labels: [:]).isFullyPrivileged)
    }
}
