#if canImport(Glibc)
import Glibc
#endif

/// Spawns and reaps child processes with posix_spawn and waitpid, without Foundation's
/// `Process` (whose exit monitoring could stall under load in these tests).
enum ChildProcess {
    /// Starts `arguments` (argv[0] is the executable's path) with stdout and stderr appended
    /// to `log` and stdin from /dev/null; returns the pid.
    static func spawn(_ arguments: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
        guard status == 0 else { throw LocalZooKeeperError.setup("posix_spawn \(arguments[0]): \(String(cString: strerror(status)))") }
        return pid
    }

    /// SIGKILL, then reap, so no zombie is left.
    static func kill(_ pid: pid_t) {
        _ = Glibc.kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}
