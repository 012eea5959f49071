import KubeModel

/// The StatefulSet fields the API server refuses to change. Keeper keeps the live values
/// (an apply that changes them fails with 422 on every attempt) and says what it could not
/// change.
enum StatefulSetImmutables {
    /// Copies the immutable fields of `live` into `desired`; returns a message for each
    /// change of the spec that therefore does not take effect.
    static func carryOver(from live: StatefulSet, into desired: inout StatefulSet) -> [String] {
        var notes: [String] = []
        let liveClaims = live.spec?.volumeClaimTemplates
        let desiredClaims = desired.spec?.volumeClaimTemplates
        if !claimsMatch(live: liveClaims, desired: desiredClaims) {
            notes.append("StatefulSet \(live.name): storage settings (size, storageClassName, ephemeral) cannot change after creation; delete and recreate the cluster to change them")
            desired.spec?.volumeClaimTemplates = liveClaims
        }
        // When they match, the desired templates stay as built: the live ones carry server
        // defaults (volumeMode, status), which would change the desired hash and cost one
        // more apply (and an "Updated" Event) per new cluster.
        if let selector = live.spec?.selector { desired.spec?.selector = selector }
        if let serviceName = live.spec?.serviceName { desired.spec?.serviceName = serviceName }
        if let policy = live.spec?.podManagementPolicy { desired.spec?.podManagementPolicy = policy }
        return notes
    }

    private static func claimsMatch(live: [PersistentVolumeClaim]?, desired: [PersistentVolumeClaim]?) -> Bool {
        let live = live ?? []
        let desired = desired ?? []
        guard live.count == desired.count else { return false }
        for (liveClaim, desiredClaim) in zip(live, desired) {
            guard let liveJSON = try? JSONValue(encoding: liveClaim.spec), let desiredJSON = try? JSONValue(encoding: desiredClaim.spec),
                  ChildSync.satisfies(live: liveJSON, desired: desiredJSON) else { return false }
        }
        return true
    }
}
