import KeeperTestSupport
import KubeSim
import Testing

/// Removing any one verb of `deploy/01-rbac.yaml` breaks Keeper, and this shows the 403 it
/// gets: the requests Keeper made in `KeeperPermissionsEndToEndTests` (one of each kind,
/// `KeeperRBAC.recordedRequests`, which that test keeps equal to what it recorded) replayed
/// against the RBAC authorizer with the ClusterRole less that verb. Pure and fast: one case
/// per verb, each with the 403 of one request it refuses, worded as kube-apiserver words it.
@Suite struct KeeperRBACReplayTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var granted: KeeperRBAC.GrantedVerb
        var forbidden: String
        var testDescription: String { "without \(granted)" }

        init(_ verb: String, _ resource: String, group: String = "", _ forbidden: String) {
            granted = KeeperRBAC.GrantedVerb(apiGroup: group, resource: resource, verb: verb)
            self.forbidden = forbidden
        }
    }

    static let keeper = "User \"\(KeeperRBAC.user.name)\""
    /// Each verb of `deploy/01-rbac.yaml`, in its order, and the 403 of one recorded request.
    static let cases: [Case] = [
        Case("create", "configmaps",
             "configmaps \"zp-config\" is forbidden: \(keeper) cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\""),
        Case("list", "configmaps",
             "configmaps is forbidden: \(keeper) cannot list resource \"configmaps\" in API group \"\" at the cluster scope"),
        Case("patch", "configmaps",
             "configmaps \"zp-config\" is forbidden: \(keeper) cannot patch resource \"configmaps\" in API group \"\" in the namespace \"default\""),
        Case("watch", "configmaps",
             "configmaps is forbidden: \(keeper) cannot watch resource \"configmaps\" in API group \"\" at the cluster scope"),
        Case("create", "events",
             "events is forbidden: \(keeper) cannot create resource \"events\" in API group \"\" in the namespace \"default\""),
        Case("list", "events",
             "events is forbidden: \(keeper) cannot list resource \"events\" in API group \"\" in the namespace \"default\""),
        Case("patch", "events",
             "events \"zp.18ed779ad7679b00\" is forbidden: \(keeper) cannot patch resource \"events\" in API group \"\" in the namespace \"default\""),
        Case("list", "pods",
             "pods is forbidden: \(keeper) cannot list resource \"pods\" in API group \"\" at the cluster scope"),
        Case("watch", "pods",
             "pods is forbidden: \(keeper) cannot watch resource \"pods\" in API group \"\" at the cluster scope"),
        Case("create", "pods/eviction",
             "pods \"zp-1\" is forbidden: \(keeper) cannot create resource \"pods/eviction\" in API group \"\" in the namespace \"default\""),
        Case("create", "secrets",
             "secrets is forbidden: \(keeper) cannot create resource \"secrets\" in API group \"\" in the namespace \"default\""),
        Case("get", "secrets",
             "secrets \"zp-superuser\" is forbidden: \(keeper) cannot get resource \"secrets\" in API group \"\" in the namespace \"default\""),
        Case("create", "services",
             "services \"zp-headless\" is forbidden: \(keeper) cannot create resource \"services\" in API group \"\" in the namespace \"default\""),
        Case("list", "services",
             "services is forbidden: \(keeper) cannot list resource \"services\" in API group \"\" at the cluster scope"),
        Case("patch", "services",
             "services \"zp-headless\" is forbidden: \(keeper) cannot patch resource \"services\" in API group \"\" in the namespace \"default\""),
        Case("watch", "services",
             "services is forbidden: \(keeper) cannot watch resource \"services\" in API group \"\" at the cluster scope"),
        Case("create", "statefulsets", group: "apps",
             "statefulsets.apps \"zp\" is forbidden: \(keeper) cannot create resource \"statefulsets\" in API group \"apps\" in the namespace \"default\""),
        Case("list", "statefulsets", group: "apps",
             "statefulsets.apps is forbidden: \(keeper) cannot list resource \"statefulsets\" in API group \"apps\" at the cluster scope"),
        Case("patch", "statefulsets", group: "apps",
             "statefulsets.apps \"zp\" is forbidden: \(keeper) cannot patch resource \"statefulsets\" in API group \"apps\" in the namespace \"default\""),
        Case("watch", "statefulsets", group: "apps",
             "statefulsets.apps is forbidden: \(keeper) cannot watch resource \"statefulsets\" in API group \"apps\" at the cluster scope"),
        Case("create", "leases", group: "coordination.k8s.io",
             "leases.coordination.k8s.io is forbidden: \(keeper) cannot create resource \"leases\" in API group \"coordination.k8s.io\" in the namespace \"keeper-system\""),
        Case("get", "leases", group: "coordination.k8s.io",
             "leases.coordination.k8s.io \"keeper\" is forbidden: \(keeper) cannot get resource \"leases\" in API group \"coordination.k8s.io\" in the namespace \"keeper-system\""),
        Case("update", "leases", group: "coordination.k8s.io",
             "leases.coordination.k8s.io \"keeper\" is forbidden: \(keeper) cannot update resource \"leases\" in API group \"coordination.k8s.io\" in the namespace \"keeper-system\""),
        Case("list", "zookeeperclusters", group: "keeper.dev",
             "zookeeperclusters.keeper.dev is forbidden: \(keeper) cannot list resource \"zookeeperclusters\" in API group \"keeper.dev\" at the cluster scope"),
        Case("watch", "zookeeperclusters", group: "keeper.dev",
             "zookeeperclusters.keeper.dev is forbidden: \(keeper) cannot watch resource \"zookeeperclusters\" in API group \"keeper.dev\" at the cluster scope"),
        Case("update", "zookeeperclusters/status", group: "keeper.dev",
             "zookeeperclusters.keeper.dev \"zp\" is forbidden: \(keeper) cannot update resource \"zookeeperclusters/status\" in API group \"keeper.dev\" in the namespace \"default\""),
        Case("create", "poddisruptionbudgets", group: "policy",
             "poddisruptionbudgets.policy \"zp\" is forbidden: \(keeper) cannot create resource \"poddisruptionbudgets\" in API group \"policy\" in the namespace \"default\""),
        Case("list", "poddisruptionbudgets", group: "policy",
             "poddisruptionbudgets.policy is forbidden: \(keeper) cannot list resource \"poddisruptionbudgets\" in API group \"policy\" at the cluster scope"),
        Case("patch", "poddisruptionbudgets", group: "policy",
             "poddisruptionbudgets.policy \"zp\" is forbidden: \(keeper) cannot patch resource \"poddisruptionbudgets\" in API group \"policy\" in the namespace \"default\""),
        Case("watch", "poddisruptionbudgets", group: "policy",
             "poddisruptionbudgets.policy is forbidden: \(keeper) cannot watch resource \"poddisruptionbudgets\" in API group \"policy\" at the cluster scope"),
    ]

    @Test func theCasesAreExactlyTheManifestsVerbs() throws {
        #expect(Set(Self.cases.map(\.granted)) == Set(try KeeperRBAC.grantedVerbs()))
        #expect(Set(Self.cases.map(\.granted)).count == Self.cases.count)
    }

    @Test func theManifestAllowsEveryRecordedRequest() throws {
        #expect(!KeeperRBAC.recordedRequests.isEmpty)
        #expect(KeeperRBAC.refusals(of: KeeperRBAC.recordedRequests, by: try KeeperRBAC.authorizer()) == [])
    }

    @Test(arguments: cases) func withoutOneVerbKeeperIsRefused(_ row: Case) throws {
        let refusals = KeeperRBAC.refusals(of: KeeperRBAC.recordedRequests, by: try KeeperRBAC.authorizer(editing: KeeperRBAC.removing(row.granted)))
        // Only the requests that used the verb are refused (nothing else in the role changed).
        #expect(refusals.count == KeeperRBAC.recordedRequests.filter { KeeperRBAC.uses($0, row.granted) }.count)
        #expect(refusals.contains(row.forbidden), "refused: \(refusals)")
    }
}
