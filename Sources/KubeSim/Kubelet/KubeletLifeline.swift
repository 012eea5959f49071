import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Makes every process tree the kubelet starts die with the kubelet's process, even when that
/// process is killed with SIGKILL and cannot stop its pods (a test runner killed mid-run).
///
/// A pipe that is never written: this process holds its write end (close-on-exec, so no child
/// inherits it), every spawned process gets its read end as descriptor 3. When this process
/// dies, however it dies, the kernel closes the write end and the read end sees end-of-file.
///
/// What reads it: `ProcessSpawner` starts each command through `/bin/sh -c WRAPPER`, a session
/// leader that forks a watchdog and then `exec`s the command, so the spawned pid is still the
/// command's (its exit status, `nsenter --target`, signalling its group all work as before).
/// The watchdog, a plain `sh` in the command's session and process group, blocks reading the
/// pipe. On end-of-file it stops the leader (so it cannot fork or exit meanwhile), SIGKILLs
/// every process of the leader's session and, once the leader has its own mount namespace,
/// of that namespace, until none is left, then SIGKILLs the leader's process group, which
/// ends the leader and the watchdog itself. Only `kill`, `read` and `[` are used: shell
/// builtins, nothing to exec from a dying tree.
///
/// Why not `PR_SET_PDEATHSIG` on the command itself: it fires when the *thread* that spawned
/// the child exits, and Swift's concurrency threads come and go, so a pod could be killed
/// while the kubelet runs; it is cleared when a command changes user (`setpriv --reuid`);
/// and it reaches only that one process, not its children.
///
/// The watchdog must not outlive the command while the kubelet runs (one would pile up per
/// probe): it runs under `setpriv --pdeathsig KILL`, with the leader as its parent. The leader
/// forked it from its only thread, which is the thread that later `exec`s the command, so
/// that signal comes when the command's process ends. Should it come early anyway (a command
/// whose main thread exits before the process), only the guard is lost, never the pod.
struct KubeletLifeline: Sendable {
    /// Descriptor of the pipe's read end (close-on-exec); spawned processes get it as fd 3.
    let readEnd: Int32
    /// Descriptor of the write end (close-on-exec), held for as long as the guard must hold.
    let writeEnd: Int32

    /// The descriptor the read end gets in a spawned process.
    static let childDescriptor: Int32 = 3

    static let setpriv = "/usr/bin/setpriv"

    /// This process's lifeline, open until it exits; nil when the guard cannot work here (no
    /// `setpriv`, no pipe), and processes then start as before, without it.
    static let process: KubeletLifeline? = {
        guard FileManager.default.isExecutableFile(atPath: setpriv), FileManager.default.isExecutableFile(atPath: "/bin/sh") else {
            return nil
        }
        return KubeletLifeline()
    }()

    /// A new pipe. Both ends get descriptors above 10, so that neither is one of the 0...3 a
    /// spawned process's file actions set up.
    init?() {
        var ends: [Int32] = [0, 0]
        guard Self.pipe(&ends) == 0 else { return nil }
        let read = fcntl(ends[0], F_DUPFD_CLOEXEC, 10)
        let write = fcntl(ends[1], F_DUPFD_CLOEXEC, 10)
        Glibc.close(ends[0])
        Glibc.close(ends[1])
        guard read >= 0, write >= 0 else {
            if read >= 0 { Glibc.close(read) }
            if write >= 0 { Glibc.close(write) }
            return nil
        }
        readEnd = read
        writeEnd = write
    }

    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    /// glibc's `pipe2`, which Swift does not import (it needs `_GNU_SOURCE`): both ends are
    /// close-on-exec from the start, so no process another thread spawns meanwhile inherits
    /// the write end (which would keep the lifeline whole after this process died).
    private static let pipe2: Pipe2? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2") else { return nil }
        return unsafeBitCast(symbol, to: Pipe2.self)
    }()

    private static func pipe(_ ends: inout [Int32]) -> Int32 {
        ends.withUnsafeMutableBufferPointer { buffer in
            if let pipe2 { return pipe2(buffer.baseAddress!, O_CLOEXEC) }
            return Glibc.pipe(buffer.baseAddress!)
        }
    }

    /// Closes both ends: what this process's death does (tests only; never on `process`).
    func cut() {
        Glibc.close(writeEnd)
        Glibc.close(readEnd)
    }

    /// `argv` wrapped so that its process tree dies when the lifeline breaks.
    static func guarded(_ argv: [String]) -> [String] {
        ["/bin/sh", "-c", wrapper, "sh"] + argv
    }

    /// The session leader's script: starts the watchdog (its parent is this shell, whose pid
    /// is `$$`), then becomes the command, without the lifeline's descriptor.
    static let wrapper = """
        \(Shell.quote(setpriv)) --pdeathsig KILL -- /bin/sh -c \(Shell.quote(watchdog)) kube-sim-lifeline "$$" >/dev/null 2>&1 &
        exec "$@" 3<&-
        """

    /// The watchdog's script; `$1` is the leader's pid.
    static let watchdog = """
        trap '' TERM HUP INT QUIT
        IFS=' \t
        '
        leader=$1
        # The leader ended before the parent-death signal was set: nothing to guard.
        [ "$PPID" = "$leader" ] || exit 0
        while read -r _; do :; done <&3
        exec 3<&-
        kill -STOP "$leader" 2>/dev/null
        # Until the command unshares its mount namespace it shares this one: no sweep by namespace.
        shared_namespace=no
        [ /proc/$leader/ns/mnt -ef /proc/$$/ns/mnt ] && shared_namespace=yes
        pass=0
        while [ $pass -lt 100 ]; do
            pass=$((pass + 1))
            hit=
            for entry in /proc/[0-9]*; do
                pid=${entry#/proc/}
                case $pid in "$$"|"$leader") continue ;; esac
                read -r stat 2>/dev/null <"$entry/stat" || continue
                set -- ${stat##*") "}
                # Fields after the command name: state, ppid, pgrp, session.
                [ "$1" = Z ] && continue
                if [ "$4" = "$leader" ] || { [ $shared_namespace = no ] && [ "$entry/ns/mnt" -ef "/proc/$leader/ns/mnt" ]; }; then
                    kill -KILL "$pid" 2>/dev/null && hit=yes
                fi
            done
            [ -n "$hit" ] || break
        done
        kill -KILL -"$leader" 2>/dev/null
        kill -KILL "$leader" 2>/dev/null
        """
}
