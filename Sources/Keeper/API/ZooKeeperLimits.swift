/// What ZooKeeper and the JVM can run, with where each limit comes from. `SpecValidator`
/// and `ConfigValidator` refuse specs outside them; the CRD schema repeats the static ones
/// (`maximumReplicas`) so `kubectl apply` answers with a 422.
public enum ZooKeeperLimits {
    /// The largest ensemble: Keeper's member id is ordinal + 1, and ZooKeeper's server ids are
    /// 1-255. The admin guide ("The id must be unique within the ensemble and should have a
    /// value between 1 and 255"), and `SessionTrackerImpl.initializeNextSessionId`, which puts
    /// the id in the top byte of every session id (`nextSid | (id << 56)`): id 256 would hand
    /// out the same session ids as id 0.
    public static let maximumReplicas = 255

    /// Integer settings are read with `Integer.parseInt` (`QuorumPeerConfig.parseProperties`):
    /// a value outside a Java `int` stops the server at start.
    public static let javaIntMaximum = Int(Int32.max)

    /// Ports are `InetSocketAddress` ports: 1-65535 (0 means "any free port", which no peer
    /// or client could find).
    public static let portRange = 1...65535

    /// The ports Keeper's members listen on (client, quorum, election): a user port setting
    /// equal to one of them fails to bind.
    public static let keeperPorts: Set<Int> = [Ports.client, Ports.quorum, Ports.election]

    /// The smallest heap Keeper lets a member start with, in MiB. Measured with the JVM the
    /// images use (OpenJDK 17): `-Xmx1m` stops with "Too small maximum heap", `-Xmx2m` with
    /// "GC triggered before VM initialization completed"; an empty standalone ZooKeeper 3.8
    /// runs out of heap at start with 6 MiB and serves with 8 MiB. 16 MiB leaves room for
    /// sessions and data.
    public static let minimumHeapMebibytes = 16

    /// What a member needs beyond its heap, in MiB (metaspace, thread stacks, code cache,
    /// direct buffers): the same ZooKeeper at `-Xmx8m`/`-Xmx16m` had 56-65 MB resident, so a
    /// memory limit below heap + this gets the container OOM-killed at start.
    public static let nonHeapMebibytes = 64

    /// ZooKeeper preallocates its transaction log in blocks of `preAllocSize` KiB, 64 MiB by
    /// default (`FilePadding.preAllocSize = 65536 * 1024`, overridden by the `preAllocSize`
    /// setting, which `parseProperties` turns into the `zookeeper.preAllocSize` property that
    /// `FileTxnLog` reads): a volume no larger than one block fails at the first write.
    public static let defaultPreAllocKibibytes = 65536

    /// The only leader election ZooKeeper still has (`parseProperties`: "Invalid electionAlg
    /// value. Only 3 is supported.").
    public static let electionAlgorithm = "3"
}
