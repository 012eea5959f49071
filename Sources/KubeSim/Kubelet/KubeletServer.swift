import Foundation
import HTTPServer

/// The kubelet's own HTTP endpoint, as a real kubelet's port 10250 serves it to the API
/// server: `GET /containerLogs/<namespace>/<pod>/<container>` with `previous`, `tailLines`,
/// `limitBytes` and `follow`, and `GET /healthz`. kube-sim's API server answers
/// `pods/<name>/log` by fetching from the node's `InternalIP` and `daemonEndpoints.kubeletEndpoint.Port`.
public final class KubeletServer: Sendable {
    private let server: HTTPServer

    public init(logs: ContainerLogIndex, host: String = "127.0.0.1", port: Int = 0) {
        server = HTTPServer(host: host, port: port) { request in KubeletServer.handle(request, logs: logs) }
    }

    public func start() throws { try server.start() }
    public func stop() { server.stop() }
    /// The port it listens on (after `start()`).
    public var port: Int { server.port }

    static func handle(_ request: HTTPRequest, logs: ContainerLogIndex) -> HTTPResponse {
        let parts = request.path.split(separator: "/").map(String.init)
        if request.path == "/healthz" { return text(200, "ok") }
        guard request.method == "GET", parts.count >= 3, parts.count <= 4, parts[0] == "containerLogs" else {
            return text(404, "not found")
        }
        let namespace = parts[1], name = parts[2]
        let container = parts.count == 4 ? parts[3] : nil
        let previous = request.query("previous") == "true"
        let tailLines = request.query("tailLines").flatMap(Int.init)
        let limitBytes = request.query("limitBytes").flatMap(Int.init)
        do {
            if request.query("follow") == "true", !previous {
                let url = try logs.logFile(namespace: namespace, name: name, container: container, previous: false)
                let initial = try logs.read(namespace: namespace, name: name, container: container, tailLines: tailLines)
                var headers = HTTPHeaders()
                headers.set("Content-Type", "text/plain")
                return HTTPResponse(status: 200, headers: headers) { stream in
                    follow(url, initial: initial, stream: stream)
                }
            }
            let data = try logs.read(namespace: namespace, name: name, container: container, previous: previous,
                                     tailLines: tailLines, limitBytes: limitBytes)
            var headers = HTTPHeaders()
            headers.set("Content-Type", "text/plain")
            return HTTPResponse(status: 200, headers: headers, body: data)
        } catch {
            return text(404, error.description)
        }
    }

    /// Streams what is appended to `url` until the client goes or the file disappears.
    private static func follow(_ url: URL, initial: Data, stream: any HTTPResponseStream) {
        guard (try? stream.write(initial)) != nil, let handle = try? FileHandle(forReadingFrom: url) else { return }
        defer { try? handle.close() }
        var offset = (try? handle.seekToEnd()) ?? 0
        while stream.isOpen, FileManager.default.fileExists(atPath: url.path) {
            try? handle.seek(toOffset: offset)
            if let data = try? handle.readToEnd(), !data.isEmpty {
                offset += UInt64(data.count)
                guard (try? stream.write(data)) != nil else { return }
            } else {
                usleep(200_000)
            }
        }
    }

    private static func text(_ status: Int, _ message: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.set("Content-Type", "text/plain")
        return HTTPResponse(status: status, headers: headers, body: Data((message + "\n").utf8))
    }
}
