import Foundation
import KubeModel
import Testing
@testable import KubeSim

@Suite struct APIErrorsTests {
    /// The exact JSON the real server sends for `kubectl get configmap x` on a missing object.
    @Test func notFoundBody() throws {
        let status = APIErrors.notFound(resource: .configMaps, name: "x")
        let json = try JSONValue(encoding: status)
        #expect(json == (try parse(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \"x\" not found","reason":"NotFound","details":{"name":"x","kind":"configmaps"},"code":404}"#)))
        let sts = APIErrors.notFound(resource: .statefulSets, name: "zk")
        #expect(sts.message == #"statefulsets.apps "zk" not found"#)
        #expect(sts.details?.group == "apps")
    }

    @Test func conflictAndAlreadyExists() {
        #expect(APIErrors.alreadyExists(resource: .configMaps, name: "x").message == #"configmaps "x" already exists"#)
        #expect(APIErrors.alreadyExists(resource: .configMaps, name: "x").code == 409)
        let conflict = APIErrors.conflict(resource: .configMaps, name: "x")
        #expect(conflict.message == #"Operation cannot be fulfilled on configmaps "x": the object has been modified; please apply your changes to the latest version and try again"#)
        #expect(conflict.reason == "Conflict")
    }

    @Test func expiredAndGone() {
        let expired = APIErrors.expired(requested: 5, oldest: 10)
        #expect(expired.message == "too old resource version: 5 (10)")
        #expect(expired.code == 410 && expired.reason == "Expired")
        #expect(APIErrors.gone("gone").reason == "Gone")
    }

    @Test func evictionBlocked() throws {
        let status = APIErrors.evictionBlocked(pdbName: "zk", desiredHealthy: 3, currentHealthy: 2)
        #expect(status.code == 429 && status.reason == "TooManyRequests")
        #expect(status.message == "Cannot evict pod as it would violate the pod's disruption budget.")
        #expect(status.details?.causes == [Status.Cause(reason: "DisruptionBudget", message: "The disruption budget zk needs 3 healthy pods and has 2 currently")])
        #expect(status.details?.retryAfterSeconds == nil)
    }

    @Test func otherBodies() {
        #expect(APIErrors.methodNotAllowed(resource: .nodes, verb: "create").message == #"create is not supported on resources of kind "nodes""#)
        let media = APIErrors.unsupportedMediaType(accepted: APIErrors.customResourcePatchTypes)
        #expect(media.code == 415 && media.reason == "UnsupportedMediaType")
        #expect(media.message == "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
        #expect(APIErrors.internalError("boom").message == "Internal error occurred: boom")
        #expect(APIErrors.badRequest("bad").code == 400)
        #expect(APIErrors.tooManyRequests("slow", retryAfterSeconds: 2).details?.retryAfterSeconds == 2)
    }

    @Test func invalidOneCause() {
        let cause = Status.Cause(reason: "FieldValueInvalid", message: "Invalid value: 0: spec.replicas in body should be greater than or equal to 1", field: "spec.replicas")
        let status = APIErrors.invalid(kind: "ZookeeperCluster", group: "keeper.dev", name: "bad", causes: [cause])
        #expect(status.code == 422 && status.reason == "Invalid")
        #expect(status.message == #"ZookeeperCluster.keeper.dev "bad" is invalid: spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1"#)
        #expect(status.details == Status.Details(name: "bad", group: "keeper.dev", kind: "ZookeeperCluster", causes: [cause]))
        #expect(APIErrors.kubectlMessage(status) == #"The ZookeeperCluster "bad" is invalid: spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1"#)
    }

    @Test func invalidManyCauses() {
        let causes = [
            Status.Cause(reason: "FieldValueRequired", message: "Required value", field: "spec.image"),
            Status.Cause(reason: "FieldValueInvalid", message: "Invalid value: 0: spec.replicas in body should be greater than or equal to 1", field: "spec.replicas"),
        ]
        let status = APIErrors.invalid(kind: "Pod", group: "", name: "p", causes: causes)
        #expect(status.message == #"Pod "p" is invalid: [spec.image: Required value, spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1]"#)
        #expect(status.details?.group == nil)
        #expect(APIErrors.kubectlMessage(status) == "The Pod \"p\" is invalid: \n* spec.image: Required value\n* spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1")
    }
}

@Suite struct RequestErrorsTests {
    @Test func requestErrors() throws {
        #expect(APIErrors.uidPreconditionFailed(resource: .pods, name: "zk-0", precondition: "a", actual: "b").message
                == #"Operation cannot be fulfilled on pods "zk-0": Precondition failed: UID in precondition: a, UID in object meta: b"#)
        #expect(APIErrors.nameMismatch(bodyName: "a", urlName: "b").message == "the name of the object (a) does not match the name on the URL (b)")
        let terminating = APIErrors.namespaceTerminating(resource: .configMaps, name: "c", namespace: "zk")
        #expect(terminating.code == 403)
        #expect(terminating.message == #"configmaps "c" is forbidden: unable to create new content in namespace zk because it is being terminated"#)
        #expect(try JSONValue(encoding: APIErrors.pathNotFound) == (try parse(#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}"#)))
        let tooLarge = APIErrors.resourceVersionTooLarge(requested: 20, current: 10)
        #expect(tooLarge.code == 504 && tooLarge.details?.retryAfterSeconds == 1)
    }
}
