import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes the files of configMap, secret, downwardAPI and projected volumes, and builds them
/// from a ConfigMap's or Secret's keys as the kubelet does (`items`, `defaultMode`, `mode`).
public enum VolumeFiles {
    /// One `items` entry: a key, the relative path it appears at, and an optional mode.
    public struct KeyToPath: Sendable, Equatable {
        public var key: String
        public var path: String
        public var mode: UInt16?

        public init(key: String, path: String, mode: UInt16? = nil) {
            self.key = key
            self.path = path
            self.mode = mode
        }
    }

    /// The files of a configMap/secret volume: every key (or only `items`), with `defaultMode`
    /// (0644 unless set) or an item's own mode. A missing key listed in `items` is an error
    /// unless the source is optional; here it is skipped and reported.
    public static func project(data: [String: Data], items: [KeyToPath]?, defaultMode: UInt16?) -> (files: [ProjectedFile], missingKeys: [String]) {
        let mode = defaultMode ?? 0o644
        guard let items, !items.isEmpty else {
            return (data.keys.sorted().map { ProjectedFile(path: $0, content: data[$0] ?? Data(), mode: mode) }, [])
        }
        var files: [ProjectedFile] = []
        var missing: [String] = []
        for item in items {
            guard let content = data[item.key] else {
                missing.append(item.key)
                continue
            }
            files.append(ProjectedFile(path: item.path, content: content, mode: item.mode ?? mode))
        }
        return (files, missing)
    }

    /// Makes `directory` hold exactly `files`: each written atomically (so a mounted volume
    /// changes file by file, never shows half a file), stale ones removed. With `fsGroup`,
    /// files are group-owned by it and group-readable, as the kubelet's ownership management does.
    public static func write(_ files: [ProjectedFile], to directory: URL, fsGroup: UInt32?) throws(PodRuntimeError) {
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
            chmod(directory.path, 0o755)
            var wanted: Set<String> = []
            for file in files {
                guard !file.path.hasPrefix("/"), !file.path.split(separator: "/").contains("..") else {
                    throw PodRuntimeError.invalidSpec("volume file path \(file.path) must be relative")
                }
                wanted.insert(file.path)
                let url = directory.appendingPathComponent(file.path)
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                let existing = try? Data(contentsOf: url)
                if existing != file.content {
                    try file.content.write(to: url, options: .atomic)
                }
                var mode = file.mode
                if let fsGroup {
                    mode |= 0o440
                    chown(url.path, 0, fsGroup)
                }
                chmod(url.path, mode_t(mode))
            }
            for relative in (fileManager.subpaths(atPath: directory.path) ?? []).sorted(by: >) {
                var isDirectory: ObjCBool = false
                let path = directory.appendingPathComponent(relative).path
                guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                if !wanted.contains(relative) { try fileManager.removeItem(atPath: path) }
            }
        } catch let error as PodRuntimeError {
            throw error
        } catch {
            throw .io("writing volume \(directory.lastPathComponent): \(error)")
        }
    }

    /// Rewrites a bind-mounted file in place (a rename would leave the mount on the old file),
    /// writing the new content over the old before trimming, so readers never see it empty.
    public static func rewriteInPlace(_ path: String, content: String) throws(PodRuntimeError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io("opening \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(content.utf8)
        let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard written == bytes.count, ftruncate(fd, off_t(bytes.count)) == 0 else {
            throw .io("writing \(path): \(String(cString: strerror(errno)))")
        }
    }
}
