import Foundation

/// What an emulated image contributes to a container: its entrypoint, cmd, environment,
/// working directory, default user and the directories and host files its root holds.
public struct EmulatedImage: Sendable, Equatable {
    /// The image's `ENTRYPOINT`; a container `command` replaces it.
    public var entrypoint: [String]
    /// The image's `CMD`; a container `args` replaces it (and `command` drops it).
    public var cmd: [String]
    /// The image's `ENV`, in order; the container's env comes after and wins.
    public var env: [RuntimeEnvVar]
    /// The image's `WORKDIR`.
    public var workingDir: String
    /// The image's `USER` (uid, gid); nil is root.
    public var user: (uid: UInt32, gid: UInt32)?
    /// Directories of the image's file system, created fresh in each container's writable layer.
    public var directories: [Directory]
    /// Host paths shown read-only at a path of the container (files or directories).
    public var hostPaths: [HostPath]

    public init(entrypoint: [String] = [], cmd: [String] = ["/bin/sh"], env: [RuntimeEnvVar] = [], workingDir: String = "/",
                user: (uid: UInt32, gid: UInt32)? = nil, directories: [Directory] = [], hostPaths: [HostPath] = []) {
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.env = env
        self.workingDir = workingDir
        self.user = user
        self.directories = directories
        self.hostPaths = hostPaths
    }

    public static func == (lhs: EmulatedImage, rhs: EmulatedImage) -> Bool {
        lhs.entrypoint == rhs.entrypoint && lhs.cmd == rhs.cmd && lhs.env == rhs.env && lhs.workingDir == rhs.workingDir
            && lhs.user?.uid == rhs.user?.uid && lhs.user?.gid == rhs.user?.gid
            && lhs.directories == rhs.directories && lhs.hostPaths == rhs.hostPaths
    }

    /// A directory of the image: its path, owner, mode, and a host directory whose files seed it.
    public struct Directory: Sendable, Equatable {
        public var path: String
        public var uid: UInt32
        public var gid: UInt32
        public var mode: UInt16
        public var seededFrom: String?

        public init(path: String, uid: UInt32 = 0, gid: UInt32 = 0, mode: UInt16 = 0o755, seededFrom: String? = nil) {
            self.path = path
            self.uid = uid
            self.gid = gid
            self.mode = mode
            self.seededFrom = seededFrom
        }
    }

    /// A host file or directory bound read-only into the container.
    public struct HostPath: Sendable, Equatable {
        public var hostPath: String
        public var containerPath: String

        public init(hostPath: String, containerPath: String) {
            self.hostPath = hostPath
            self.containerPath = containerPath
        }
    }

    /// The standard `PATH` of Debian-based images.
    public static let standardPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
}

/// Emulates one family of images with what the host has installed.
public protocol ImageEmulator: Sendable {
    /// Whether this emulator handles `reference` (e.g. `zookeeper:3.9.4`).
    func handles(_ reference: ImageName) -> Bool
    /// Prepares (once, idempotently) what the image needs under `imagesDirectory` and describes it.
    /// Throws `PodRuntimeError.imageNotEmulated` when the host lacks what the emulation needs.
    func emulate(_ reference: ImageName, imagesDirectory: URL) throws(PodRuntimeError) -> EmulatedImage
}

/// An image reference split into repository and tag (`docker.io/library/zookeeper:3.9.4` →
/// `zookeeper`, `3.9.4`). Digests are kept out of the tag.
public struct ImageName: Sendable, Equatable, CustomStringConvertible {
    public var original: String
    /// The repository without registry or `library/` prefix.
    public var repository: String
    public var tag: String

    public init(_ reference: String) {
        original = reference
        var rest = reference
        if let at = rest.firstIndex(of: "@") { rest = String(rest[..<at]) }
        var tag = "latest"
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            tag = String(rest[rest.index(after: colon)...])
            rest = String(rest[..<colon])
        }
        var parts = rest.split(separator: "/").map(String.init)
        if parts.count > 1, let first = parts.first, first.contains(".") || first.contains(":") || first == "localhost" {
            parts.removeFirst()
        }
        if parts.count > 1, parts.first == "library" { parts.removeFirst() }
        repository = parts.joined(separator: "/")
        self.tag = tag
    }

    public var description: String { original }
}

/// The images kube-sim can run, tried in order. Extend it with `ImageCatalog(emulators: [...] + ImageCatalog.standard.emulators)`.
public struct ImageCatalog: Sendable {
    public var emulators: [any ImageEmulator]

    public init(emulators: [any ImageEmulator]) {
        self.emulators = emulators
    }

    /// `zookeeper:*`, `keeper:*` (the local keeper build) and the host-shell images (`busybox`,
    /// `debian`, `ubuntu`, `kube-sim/shell`).
    public static let standard = ImageCatalog(emulators: [ZooKeeperImage(), KeeperImage(), HostShellImage()])

    /// `standard` with `keeper:*` images run from `keeperBinary`.
    public static func standard(keeperBinary: String?) -> ImageCatalog {
        ImageCatalog(emulators: [ZooKeeperImage(), KeeperImage(binary: keeperBinary), HostShellImage()])
    }

    /// The image for `reference`, or `imageNotEmulated` (reported as `ErrImagePull`).
    public func resolve(_ reference: String, imagesDirectory: URL) throws(PodRuntimeError) -> EmulatedImage {
        let parsed = ImageName(reference)
        guard let emulator = emulators.first(where: { $0.handles(parsed) }) else {
            throw .imageNotEmulated(image: reference, reason: "no emulation for this image in kube-sim (known: zookeeper:*, keeper:*, busybox, debian, ubuntu, kube-sim/shell)")
        }
        return try emulator.emulate(parsed, imagesDirectory: imagesDirectory)
    }
}

/// A plain shell image for tests: the host's own tools (`/bin/sh`, coreutils) in an empty root.
public struct HostShellImage: ImageEmulator {
    public static let repositories: Set<String> = ["busybox", "debian", "ubuntu", "kube-sim/shell"]

    public init() {}

    public func handles(_ reference: ImageName) -> Bool { Self.repositories.contains(reference.repository) }

    public func emulate(_ reference: ImageName, imagesDirectory: URL) throws(PodRuntimeError) -> EmulatedImage {
        EmulatedImage(cmd: ["/bin/sh"], env: [RuntimeEnvVar("PATH", EmulatedImage.standardPath)])
    }
}
