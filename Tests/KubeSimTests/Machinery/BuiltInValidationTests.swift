import Foundation
import KubeModel
import Testing
@testable import KubeSim

/// Each rule of kube-sim's built-in validation against the Go function it copies
/// (kubernetes `pkg/apis/{core,apps,policy}/validation/validation.go`, apimachinery
/// `api/validation/objectmeta.go` and `util/validation/validation.go`).
@Suite struct BuiltInValidationTests {
    static let clientService: JSONValue = [
        "metadata": ["name": "zk-client", "namespace": "default"],
        "spec": ["type": "ClusterIP", "clusterIP": "10.96.0.5", "clusterIPs": ["10.96.0.5"],
                 "ports": [["name": "client", "port": 2181, "protocol": "TCP", "targetPort": 2181]]],
    ]

    static func messages(_ errors: [FieldError]) -> [String] { errors.map(\.description) }

    /// `validateServicePort`: `field.Duplicate(fldPath.Child("name"), sp.Name)`; the issue's
    /// case, kubectl's entry (9999) kept and Keeper's (2181) added by server-side apply.
    @Test func servicePortNamesAreUnique() {
        var service = Self.clientService
        service[path: ["spec", "ports"]] = [["name": "client", "port": 9999, "protocol": "TCP", "targetPort": 2181],
                                             ["name": "client", "port": 2181, "protocol": "TCP", "targetPort": 2181]]
        #expect(Self.messages(ServiceValidation.validate(service, old: Self.clientService)) == [#"spec.ports[1].name: Duplicate value: "client""#])
        let status = APIErrors.invalid(kind: "Service", group: "", name: "zk-client", errors: ServiceValidation.validate(service, old: nil))
        #expect(status.message == #"Service "zk-client" is invalid: spec.ports[1].name: Duplicate value: "client""#)
        #expect(status.code == 422)
        #expect(status.details?.causes?.first?.reason == "FieldValueDuplicate")
        #expect(status.details?.causes?.first?.field == "spec.ports[1].name")
    }

    /// `ValidateService`: "Check for duplicate Ports, considering (protocol,port) pairs",
    /// the key printed as the internal `core.ServicePort` with `%#v`.
    @Test func servicePortProtocolPairsAreUnique() {
        var service = Self.clientService
        service[path: ["spec", "ports"]] = [["name": "a", "port": 2181, "protocol": "TCP"], ["name": "b", "port": 2181, "protocol": "TCP"],
                                             ["name": "c", "port": 2181, "protocol": "UDP"]]
        #expect(Self.messages(ServiceValidation.validate(service, old: nil)) == [
            #"spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:2181, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}"#,
        ])
    }

    /// `validateServicePort`: name required with several ports, DNS-1123 label, `IsValidPortNum`,
    /// protocol required / supported, `ValidatePortNumOrName` for the target port; and
    /// `ValidateService`'s `spec.ports: Required value` for a non-headless Service.
    @Test func servicePortFields() {
        var service = Self.clientService
        service[path: ["spec", "ports"]] = [["port": 0, "protocol": "TCP", "targetPort": 70000], ["name": "Bad", "port": 1, "protocol": "ICMP", "targetPort": "no_name"]]
        #expect(Self.messages(ServiceValidation.validate(service, old: nil)) == [
            "spec.ports[0].name: Required value",
            "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
            "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
            #"spec.ports[1].name: Invalid value: "Bad": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"#,
            #"spec.ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP""#,
            #"spec.ports[1].targetPort: Invalid value: "no_name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"#,
        ])
        service[path: ["spec", "ports"]] = []
        #expect(Self.messages(ServiceValidation.validate(service, old: nil)) == ["spec.ports: Required value"])
        service[path: ["spec", "clusterIP"]] = "None"
        #expect(ServiceValidation.validate(service, old: nil).isEmpty)
    }

    /// `validateUpgradeDowngradeClusterIPs`: `field.Invalid(clusterIPs[i], service.Spec.ClusterIPs, "may not change once set")`.
    @Test func clusterIPIsImmutable() {
        var service = Self.clientService
        service[path: ["spec", "clusterIP"]] = "10.96.0.9"
        service[path: ["spec", "clusterIPs"]] = ["10.96.0.9"]
        #expect(Self.messages(ServiceValidation.validate(service, old: Self.clientService)) == [#"spec.clusterIPs[0]: Invalid value: []string{"10.96.0.9"}: may not change once set"#])
        #expect(ServiceValidation.validate(Self.clientService, old: Self.clientService).isEmpty)
    }

    static let statefulSet: JSONValue = [
        "metadata": ["name": "zk", "namespace": "default"],
        "spec": ["replicas": 3, "serviceName": "zk-headless", "selector": ["matchLabels": ["app": "zk"]],
                 "template": ["metadata": ["labels": ["app": "zk"]],
                              "spec": ["restartPolicy": "Always", "containers": [["name": "zk", "ports": [["name": "client", "containerPort": 2181, "protocol": "TCP"]]]]]],
                 "volumeClaimTemplates": [["metadata": ["name": "data"], "spec": ["resources": ["requests": ["storage": "10Gi"]]]]]],
    ]

    /// `ValidateStatefulSetUpdate`: every field but replicas, ordinals, template, updateStrategy,
    /// revisionHistoryLimit, persistentVolumeClaimRetentionPolicy and minReadySeconds is immutable.
    @Test func statefulSetImmutableFields() {
        var changed = Self.statefulSet
        changed[path: ["spec", "volumeClaimTemplates"]] = [["metadata": ["name": "data"], "spec": ["resources": ["requests": ["storage": "20Gi"]]]]]
        #expect(Self.messages(StatefulSetValidation.validate(changed, old: Self.statefulSet)) == [
            "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ])
        var scaled = Self.statefulSet
        scaled[path: ["spec", "replicas"]] = 5
        scaled[path: ["spec", "updateStrategy"]] = ["type": "OnDelete"]
        scaled[path: ["spec", "template", "metadata", "annotations"]] = ["x": "y"]
        #expect(StatefulSetValidation.validate(scaled, old: Self.statefulSet).isEmpty)
    }

    /// `ValidateStatefulSetSpec`: `ValidateNonnegativeField(replicas)`, selector required /
    /// not empty, and `ValidatePodTemplateSpecForStatefulSet`'s label match.
    @Test func statefulSetSpecRules() {
        var set = Self.statefulSet
        set[path: ["spec", "replicas"]] = -1
        set[path: ["spec", "template", "metadata", "labels"]] = ["app": "other", "b": "c"]
        #expect(Self.messages(StatefulSetValidation.validate(set, old: nil)) == [
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            #"spec.template.metadata.labels: Invalid value: map[string]string{"app":"other", "b":"c"}: `selector` does not match template `labels`"#,
        ])
        set = Self.statefulSet
        set[path: ["spec", "selector"]] = nil
        #expect(Self.messages(StatefulSetValidation.validate(set, old: nil)) == ["spec.selector: Required value"])
    }

    /// `validateContainerPorts`: `field.Duplicate(idxPath.Child("name"), port.Name)` per container,
    /// what an apply that keeps an edited containerPort entry and adds Keeper's runs into.
    @Test func containerPortNamesAreUnique() {
        var set = Self.statefulSet
        set[path: ["spec", "template", "spec", "containers"]] = [["name": "zk", "ports": [
            ["name": "client", "containerPort": 9999, "protocol": "TCP"], ["name": "client", "containerPort": 2181, "protocol": "TCP"]]]]
        #expect(Self.messages(StatefulSetValidation.validate(set, old: Self.statefulSet)) == [#"spec.template.spec.containers[0].ports[1].name: Duplicate value: "client""#])
    }

    /// `ValidateConfigMap`: `IsConfigMapKey` (with `hasChDirPrefix`) and the 1 MiB total.
    @Test func configMapKeysAndSize() {
        let bad: JSONValue = ["metadata": ["name": "c", "namespace": "d"], "data": ["a b": "", "..x": "", "ok.cfg": ""]]
        #expect(Self.messages(BuiltInValidation.validate(bad, old: nil, kind: "ConfigMap", namespaced: true)) == [
            #"data[..x]: Invalid value: "..x": must not start with '..'"#,
            #"data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"#,
        ])
        let big: JSONValue = ["metadata": ["name": "c", "namespace": "d"], "data": ["a": .string(String(repeating: "x", count: 1024 * 1024 + 1))]]
        #expect(Self.messages(BuiltInValidation.validate(big, old: nil, kind: "ConfigMap", namespaced: true)) == [": Too long: may not be more than 1048576 bytes"])
    }

    /// `ValidatePodDisruptionBudgetSpec`: `ValidatePositiveIntOrPercent`, `IsNotMoreThan100Percent`,
    /// and not both minAvailable and maxUnavailable.
    @Test func podDisruptionBudgetSpec() {
        func errors(_ spec: JSONValue) -> [String] {
            Self.messages(BuiltInValidation.validate(["metadata": ["name": "zk", "namespace": "d"], "spec": spec], old: nil, kind: "PodDisruptionBudget", namespaced: true))
        }
        #expect(errors(["maxUnavailable": 1]) == [])
        #expect(errors(["maxUnavailable": -1]) == ["spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"])
        #expect(errors(["minAvailable": "120%"]) == [#"spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"120%"}: must not be greater than 100%"#])
        #expect(errors(["minAvailable": "half"]) == [#"spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"half"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"#])
        #expect(errors(["minAvailable": 1, "maxUnavailable": 1]).first?.hasSuffix("minAvailable and maxUnavailable cannot be both set") == true)
    }

    /// `ValidateObjectMeta` → `ValidateLabels` (`IsQualifiedName`, `IsValidLabelValue`) and
    /// `ValidateAnnotations`' 256 KiB total, on update as on create (`ValidateObjectMetaUpdate`).
    @Test func metadataLabelsAndAnnotations() {
        var object = Self.clientService
        object[path: ["metadata", "labels"]] = ["app": "zk", "bad key": "v", "ok": .string(String(repeating: "v", count: 64))]
        #expect(Self.messages(BuiltInValidation.validate(object, old: Self.clientService, kind: "Service", namespaced: true)).map { String($0.prefix(60)) } == [
            #"metadata.labels: Invalid value: "bad key": name part must co"#,
            #"metadata.labels: Invalid value: "vvvvvvvvvvvvvvvvvvvvvvvvvvv"#,
        ])
        object = Self.clientService
        object[path: ["metadata", "annotations"]] = ["big": .string(String(repeating: "x", count: 256 * 1024))]
        #expect(Self.messages(BuiltInValidation.validate(object, old: nil, kind: "Service", namespaced: true)) == ["metadata.annotations: Too long: may not be more than 262144 bytes"])
        object = Self.clientService
        object[path: ["metadata", "name"]] = "1zk"
        #expect(Self.messages(BuiltInValidation.validate(object, old: nil, kind: "Service", namespaced: true)).first?.hasPrefix(#"metadata.name: Invalid value: "1zk": a DNS-1035 label"#) == true)
    }
}
