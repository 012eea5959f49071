/// Who made a request, as an authenticator reports it (k8s.io/apiserver/pkg/authentication/user).
public struct UserInfo: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var uid: String
    public var groups: [String]

    public init(name: String, uid: String = "", groups: [String]) {
        self.name = name
        self.uid = uid
        self.groups = groups
    }

    public var description: String { name }

    /// The well-known groups of user/user.go.
    public enum Group {
        /// `SystemPrivilegedGroup`: allowed everything before any authorizer is asked.
        public static let masters = "system:masters"
        public static let authenticated = "system:authenticated"
        public static let unauthenticated = "system:unauthenticated"
        /// `serviceaccount.AllServiceAccountsGroup`.
        public static let serviceAccounts = "system:serviceaccounts"
    }

    /// kube-sim's administrator: the user of the kubeconfig kube-sim writes.
    public static let admin = UserInfo(name: "kube-sim-admin", groups: [Group.masters, Group.authenticated])

    /// A request without credentials while anonymous authentication is on (the default):
    /// `system:anonymous` in `system:unauthenticated` (authentication/request/anonymous).
    public static let anonymous = UserInfo(name: "system:anonymous", groups: [Group.unauthenticated])

    /// `system:serviceaccount:NS:NAME` in `system:serviceaccounts`, `system:serviceaccounts:NS`
    /// and `system:authenticated` (authentication/serviceaccount/util.go `MakeUsername`,
    /// `MakeGroupNames`; the authenticated group is added by the authenticator chain).
    public static func serviceAccount(namespace: String, name: String, uid: String = "") -> UserInfo {
        UserInfo(name: serviceAccountUsername(namespace: namespace, name: name), uid: uid,
                 groups: [Group.serviceAccounts, "\(Group.serviceAccounts):\(namespace)", Group.authenticated])
    }

    /// `serviceaccount.MakeUsername`.
    public static func serviceAccountUsername(namespace: String, name: String) -> String {
        "system:serviceaccount:\(namespace):\(name)"
    }
}
