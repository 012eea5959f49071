import Foundation
import KubeModel
import ZooKeeperClient

/// The per-cluster ZooKeeper superuser Keeper reconfigures the ensemble as.
///
/// `reconfig` needs write access to `/zookeeper/config`, which only the superuser has unless
/// `skipACL=yes` turns off every ACL check (Keeper refuses that). Keeper generates a random
/// password once, keeps it in the Secret `<name>-superuser` (owned by the cluster, so it goes
/// with it), and passes the members only its digest (`KEEPER_SUPER_DIGEST`, turned into
/// `-Dzookeeper.DigestAuthenticationProvider.superDigest` by the start script). The password
/// is never logged and never leaves the Secret but for the `addauth` of a reconfig.
public enum SuperuserSecret {
    /// The digest scheme's user name.
    public static let user = "super"
    public static let passwordKey = "password"
    public static let digestKey = "digest"

    /// A new Secret with a fresh random password (Keeper creates it once; it never changes).
    public static func build(_ cluster: ZookeeperCluster, password: String = randomPassword()) -> Secret {
        let names = ClusterNames(cluster)
        let credentials = DigestCredentials(user: user, password: password)
        return Secret(
            metadata: ObjectMeta(name: names.superuserSecret, namespace: names.namespace, labels: names.objectLabels,
                                 ownerReferences: [cluster.controllerReference]),
            type: "Opaque",
            data: [
                passwordKey: Data(password.utf8).base64EncodedString(),
                digestKey: Data(credentials.digest.utf8).base64EncodedString(),
            ]
        )
    }

    /// The credentials a Secret holds; nil when it lacks a password.
    public static func credentials(from secret: Secret) -> DigestCredentials? {
        guard let encoded = secret.data?[passwordKey], let data = Data(base64Encoded: encoded),
              let password = String(data: data, encoding: .utf8), !password.isEmpty else { return nil }
        return DigestCredentials(user: user, password: password)
    }

    /// 32 random bytes as hex, from the system's CSPRNG (`SystemRandomNumberGenerator` is
    /// `getrandom(2)` on Linux).
    public static func randomPassword() -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef")
        return String((0..<32).flatMap { _ -> [Character] in
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            return [digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]]
        })
    }
}
