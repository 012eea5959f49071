import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the operator's own image, `keeper:<tag>` (the one `deploy/Dockerfile` builds), from a
/// locally built `keeper` binary: the container sees it at `/usr/local/bin/keeper`, the path
/// the image puts it at, as its entrypoint, and runs as the image's user 65532:65532. Whatever
/// the tag, the binary is the local build.
///
/// The image's `/usr/local/bin` is a directory of kube-sim's image store holding a hard link
/// (or copy) of the binary, refreshed when the build changes: a bind mount of the build
/// output itself would keep showing an inode the next `swift build` replaced.
public struct KeeperImage: ImageEmulator {
    /// Where the image carries the binary (`deploy/Dockerfile`).
    public static let binaryPath = "/usr/local/bin/keeper"
    /// The image's `USER`: distroless's `nonroot`, as `deploy/Dockerfile` sets it.
    public static let user: UInt32 = 65532
    /// The environment variable that names the binary when no path is given.
    public static let binaryVariable = "KUBE_SIM_KEEPER_BINARY"

    /// The host's keeper binary; nil finds it with `defaultBinary()` when an image is run.
    public var binary: String?

    public init(binary: String? = nil) {
        self.binary = binary
    }

    public func handles(_ reference: ImageName) -> Bool { reference.repository == "keeper" }

    /// `$KUBE_SIM_KEEPER_BINARY`, else the `keeper` next to the running executable (`kube-sim`
    /// and the test bundle are built into the same `.build/<configuration>` directory).
    public static func defaultBinary(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment[binaryVariable], !path.isEmpty { return path }
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        return executable.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("keeper").path
    }

    public func emulate(_ reference: ImageName, imagesDirectory: URL) throws(PodRuntimeError) -> EmulatedImage {
        let source = binary ?? Self.defaultBinary()
        guard FileManager.default.isExecutableFile(atPath: source) else {
            throw .imageNotEmulated(image: reference.original,
                                    reason: "no keeper binary at \(source) (swift build --product keeper, or set \(Self.binaryVariable))")
        }
        let bin = imagesDirectory.appendingPathComponent("keeper/usr-local-bin", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            try Self.install(source, at: bin.appendingPathComponent("keeper"))
        } catch {
            throw .io("preparing image \(reference.original): \(error)")
        }
        return EmulatedImage(
            entrypoint: [Self.binaryPath], cmd: [],
            env: [RuntimeEnvVar("PATH", EmulatedImage.standardPath)],
            workingDir: "/", user: (Self.user, Self.user),
            hostPaths: [.init(hostPath: bin.path, containerPath: "/usr/local/bin")])
    }

    /// Links (else copies) `source` to `target` unless `target` is already that file, replacing
    /// atomically: pods of the image may be starting meanwhile.
    static func install(_ source: String, at target: URL) throws {
        let fileManager = FileManager.default
        let sourceAttributes = try fileManager.attributesOfItem(atPath: source)
        if let targetAttributes = try? fileManager.attributesOfItem(atPath: target.path),
           targetAttributes[.systemFileNumber] as? Int == sourceAttributes[.systemFileNumber] as? Int
            || (targetAttributes[.size] as? Int == sourceAttributes[.size] as? Int
                && targetAttributes[.modificationDate] as? Date == sourceAttributes[.modificationDate] as? Date) {
            return
        }
        let staging = target.deletingLastPathComponent().appendingPathComponent(".keeper-\(UUID().uuidString)")
        do {
            try fileManager.linkItem(atPath: source, toPath: staging.path)
        } catch {
            try fileManager.copyItem(atPath: source, toPath: staging.path)
        }
        guard rename(staging.path, target.path) == 0 else {
            try? fileManager.removeItem(at: staging)
            throw PodRuntimeError.io("installing \(target.path): errno \(errno)")
        }
    }
}
