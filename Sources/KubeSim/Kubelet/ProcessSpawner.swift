import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// How a process ended, as `waitpid` tells it.
public enum ProcessExit: Sendable, Equatable {
    case exited(Int32)
    case signaled(Int32)

    /// The exit code Kubernetes reports: the code, or 128 + the signal.
    public var exitCode: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }
}

/// Errors of the pod runtime.
public enum PodRuntimeError: Error, Sendable, Equatable, CustomStringConvertible {
    case spawnFailed(command: String, errno: Int32)
    case imageNotEmulated(image: String, reason: String)
    case podNotFound(uid: String)
    case invalidSpec(String)
    case io(String)

    public var description: String {
        switch self {
        case .spawnFailed(let command, let code): "cannot start \(command): \(String(cString: strerror(code)))"
        case .imageNotEmulated(let image, let reason): "image \(image) cannot be run by kube-sim: \(reason)"
        case .podNotFound(let uid): "no pod with uid \(uid) in the runtime"
        case .invalidSpec(let message): "invalid pod: \(message)"
        case .io(let message): message
        }
    }
}

/// Starts host processes with `posix_spawn`: a new session (so the whole group can be
/// signalled), default signal handling, no inherited descriptors, output to a file; and,
/// through `KubeletLifeline`, a process tree that dies when this process dies.
enum ProcessSpawner {
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which Swift does not import:
    /// without it the runtime's own descriptors would leak into every container.
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            return nil
        }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    /// glibc's `POSIX_SPAWN_SETSID`, not imported into Swift either.
    private static let spawnSetSID: Int32 = 0x80

    /// Spawns `argv` with exactly `environment`; stdout and stderr append to `outputPath`
    /// (or go to /dev/null), stdin is /dev/null. Returns the pid, which leads a new session.
    /// With a `lifeline` (this process's, unless told otherwise) everything in that session
    /// is killed once the lifeline breaks, that is when this process dies.
    static func spawn(argv: [String], environment: [String], outputPath: String?,
                      lifeline: KubeletLifeline? = KubeletLifeline.process) throws(PodRuntimeError) -> pid_t {
        guard let executable = argv.first else { throw .invalidSpec("empty command") }
        // Guarded, the command is exec'd by the wrapper shell: report what would keep it from
        // starting here, as `posix_spawn` would, rather than as the shell's exit 127.
        if lifeline != nil, access(executable, X_OK) != 0 { throw .spawnFailed(command: executable, errno: errno) }
        let spawned = lifeline == nil ? argv : KubeletLifeline.guarded(argv)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let output = outputPath ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o640)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let lifeline {
            posix_spawn_file_actions_adddup2(&actions, lifeline.readEnd, KubeletLifeline.childDescriptor)
            if let addCloseFrom { _ = addCloseFrom(&actions, KubeletLifeline.childDescriptor + 1) }
        } else if let addCloseFrom {
            _ = addCloseFrom(&actions, 3)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | spawnSetSID))

        var cArgs = spawned.map { strdup($0) } + [nil]
        var cEnv = environment.map { strdup($0) } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, spawned[0], &actions, &attributes, &cArgs, &cEnv)
        guard result == 0 else { throw .spawnFailed(command: executable, errno: result) }
        return pid
    }

    /// Waits for a child to end on a thread of its own, so no Swift concurrency thread blocks.
    static func waitForExit(_ pid: pid_t) async -> ProcessExit {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                var status: Int32 = 0
                while true {
                    let result = waitpid(pid, &status, 0)
                    if result == pid { break }
                    if result == -1 && errno == EINTR { continue }
                    // Not our child (an adopted process): poll until it is gone.
                    while kill(pid, 0) == 0 { usleep(200_000) }
                    continuation.resume(returning: .signaled(SIGKILL))
                    return
                }
                // WIFEXITED / WEXITSTATUS / WTERMSIG are macros Swift does not import.
                let signal = status & 0x7f
                if signal == 0 {
                    continuation.resume(returning: .exited((status >> 8) & 0xff))
                } else {
                    continuation.resume(returning: .signaled(signal))
                }
            }
            thread.name = "kube-sim wait \(pid)"
            thread.start()
        }
    }

    /// Runs a short helper command to completion and returns its exit and output (e.g. `mount`).
    static func run(_ argv: [String], environment: [String] = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
                    outputPath: String? = nil) async throws(PodRuntimeError) -> ProcessExit {
        let pid = try spawn(argv: argv, environment: environment, outputPath: outputPath)
        return await waitForExit(pid)
    }

    /// Sends `signal` to every process of the session/group led by `pid`, and to `pid` itself.
    static func signalGroup(_ pid: pid_t, _ signal: Int32) {
        _ = kill(-pid, signal)
        _ = kill(pid, signal)
    }

    /// Every live process whose mount namespace is `namespace` (as `/proc/<pid>/ns/mnt` reads).
    static func processes(inMountNamespace namespace: String) -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry) else { return nil }
            guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(entry)/ns/mnt") else { return nil }
            return link == namespace ? pid : nil
        }
    }

    /// The mount namespace of `pid` (e.g. `mnt:[4026532290]`), if it is alive.
    static func mountNamespace(of pid: pid_t) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/mnt")
    }
}
