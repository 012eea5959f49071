import Foundation
import KubeModel

extension APIServer {
    /// The validating admission plugins kube-sim runs after defaulting and validation, in
    /// kube-apiserver's order: PodSecurity, then ResourceQuota (always last).
    ///
    /// - Pods (create): the namespace's `enforce` level refuses with 403
    ///   `pods "x" is forbidden: violates PodSecurity "restricted:latest": ...`; `warn` adds a
    ///   `would violate PodSecurity ...` Warning header to an admitted pod
    ///   (`pod-security-admission/admission/admission.go` `EvaluatePod`); `audit` writes audit
    ///   annotations, which kube-sim has no audit log for. Then ResourceQuota.
    /// - StatefulSets (create, or a changed pod template): only `warn`, on the template, as
    ///   `ValidatePodController` evaluates workload resources (never enforced on them).
    func admit(_ info: ResourceInfo, _ object: JSONValue, old: JSONValue?, name: String, warnings: inout [String]) throws {
        guard info.isBuiltIn, let namespace = object[path: ["metadata", "namespace"]]?.stringValue else { return }
        if info.type == .pods, old == nil {
            let policy = podSecurityPolicy(namespace: namespace)
            if policy.enforce.level != .privileged {
                let violations = PodSecurityEvaluator.evaluate(policy.enforce.level, pod: object)
                if !violations.isEmpty {
                    throw StatusErrors.forbidden(info, name: name, message: "violates PodSecurity \"\(policy.enforce)\": \(PodSecurityEvaluator.forbiddenDetail(violations))")
                }
            }
            warnings += podSecurityWarnings(policy, pod: object)
            try admitQuota(info, object, namespace: namespace, name: name)
        } else if info.type == .statefulSets, old == nil || old?[path: ["spec", "template"]] != object[path: ["spec", "template"]] {
            warnings += podSecurityWarnings(podSecurityPolicy(namespace: namespace), pod: object[path: ["spec", "template"]] ?? [:])
        }
    }

    /// The Pod Security policy the namespace's labels ask for.
    func podSecurityPolicy(namespace: String) -> PodSecurityPolicy {
        let namespaceObject = store.get(ResourceType.namespaces.groupResource, ObjectKey(namespace: nil, name: namespace))
        let labels = (namespaceObject?[path: ["metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        return PodSecurityPolicy(labels: labels)
    }

    /// `would violate PodSecurity "<warn>": ...` when the `warn` level refuses the pod.
    func podSecurityWarnings(_ policy: PodSecurityPolicy, pod: JSONValue) -> [String] {
        guard policy.warn.level != .privileged else { return [] }
        let violations = PodSecurityEvaluator.evaluate(policy.warn.level, pod: pod)
        guard !violations.isEmpty else { return [] }
        return ["would violate PodSecurity \"\(policy.warn)\": \(PodSecurityEvaluator.forbiddenDetail(violations))"]
    }

    /// ResourceQuota admission of a pod create (see `ResourceQuotaEvaluator`).
    func admitQuota(_ info: ResourceInfo, _ pod: JSONValue, namespace: String, name: String) throws {
        let quotas = store.list(ResourceType.resourceQuotas.groupResource, namespace: namespace).items.map(\.object)
        guard !quotas.isEmpty else { return }
        let pods = store.list(ResourceType.pods.groupResource, namespace: namespace).items.map(\.object)
        if let refusal = ResourceQuotaEvaluator.check(pod: pod, quotas: quotas, livePods: pods) {
            throw StatusErrors.forbidden(info, name: name, message: refusal.message)
        }
    }
}

extension APIServer {
    /// The mutating admission plugins kube-sim runs on a create, after defaulting and before
    /// validation, as kube-apiserver orders them: ServiceAccount on pods.
    func mutatingAdmission(_ info: ResourceInfo, _ object: inout JSONValue, name: String) throws {
        guard info.type == .pods, let namespace = object[path: ["metadata", "namespace"]]?.stringValue else { return }
        let accountName = ServiceAccountAdmission.serviceAccountName(of: object)
        let key = ObjectKey(namespace: namespace, name: accountName)
        var account = store.get(ResourceType.serviceAccounts.groupResource, key)
        // `getServiceAccount`: the `default` account is looked up again for a while, since the
        // ServiceAccounts controller creates it right after the namespace. A controller's own
        // create cannot wait for it: that controller runs on the same queue.
        if account == nil, accountName == "default", !ControllerRunner.isOnControllerQueue {
            for _ in 0..<10 where account == nil {
                Thread.sleep(forTimeInterval: 0.1)
                account = store.get(ResourceType.serviceAccounts.groupResource, key)
            }
        }
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        let suffix = String((0..<5).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
        do {
            try ServiceAccountAdmission.admit(&object, namespace: namespace, serviceAccount: account, suffix: suffix)
        } catch {
            throw StatusErrors.forbidden(info, name: name, message: error.message)
        }
    }
}
