import KubeModel
import Testing
@testable import KubeSim

/// ResourceQuota admission of pods, against the messages of the apiserver's resourcequota plugin.
@Suite struct ResourceQuotaEvaluatorTests {
    static func quota(_ name: String, _ hard: JSONValue) -> JSONValue { ["metadata": ["name": .string(name)], "spec": ["hard": hard]] }

    static func pod(cpu: String? = nil, memory: String? = nil, limitsMemory: String? = nil, phase: String = "Running") -> JSONValue {
        var resources: JSONValue = [:]
        if let cpu { resources[path: ["requests", "cpu"]] = .string(cpu) }
        if let memory { resources[path: ["requests", "memory"]] = .string(memory) }
        if let limitsMemory { resources[path: ["limits", "memory"]] = .string(limitsMemory) }
        return ["metadata": ["name": "p"], "spec": ["containers": [["name": "zookeeper", "resources": resources]]], "status": ["phase": .string(phase)]]
    }

    @Test func theThirdPodExceedsACountOfTwo() {
        let quotas = [Self.quota("pods", ["count/pods": "2"])]
        #expect(ResourceQuotaEvaluator.check(pod: Self.pod(), quotas: quotas, livePods: [Self.pod()]) == nil)
        let refusal = ResourceQuotaEvaluator.check(pod: Self.pod(), quotas: quotas, livePods: [Self.pod(), Self.pod()])
        #expect(refusal?.message == "exceeded quota: pods, requested: count/pods=1, used: count/pods=2, limited: count/pods=2")
        // Finished pods no longer count.
        #expect(ResourceQuotaEvaluator.check(pod: Self.pod(), quotas: quotas, livePods: [Self.pod(), Self.pod(phase: "Succeeded")]) == nil)
    }

    @Test func requestsAreSummedAndOnlyTheExceededOnesNamed() {
        let quotas = [Self.quota("compute", ["pods": "10", "requests.cpu": "1", "requests.memory": "1Gi"])]
        let live = [Self.pod(cpu: "500m", memory: "512Mi"), Self.pod(cpu: "250m", memory: "256Mi")]
        let refusal = ResourceQuotaEvaluator.check(pod: Self.pod(cpu: "500m", memory: "256Mi"), quotas: quotas, livePods: live)
        #expect(refusal?.message == "exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=750m, limited: requests.cpu=1")
        let both = ResourceQuotaEvaluator.check(pod: Self.pod(cpu: "1", memory: "1Gi"), quotas: quotas, livePods: live)
        #expect(both?.message == "exceeded quota: compute, requested: requests.cpu=1,requests.memory=1Gi, used: requests.cpu=750m,requests.memory=768Mi, limited: requests.cpu=1,requests.memory=1Gi")
    }

    @Test func aTrackedResourceMustBeNamedByEveryContainer() {
        let quotas = [Self.quota("compute", ["limits.memory": "2Gi", "requests.cpu": "2"])]
        let refusal = ResourceQuotaEvaluator.check(pod: Self.pod(memory: "1Gi"), quotas: quotas, livePods: [])
        #expect(refusal?.message == "failed quota: compute: must specify limits.memory,requests.cpu")
        #expect(ResourceQuotaEvaluator.check(pod: Self.pod(cpu: "1", limitsMemory: "1Gi"), quotas: quotas, livePods: []) == nil)
    }
}
