import Foundation
import KubeModel

extension KubeClient {
    /// One watch request from `options.resourceVersion`, streamed; ends when the server closes
    /// it. An `ERROR` event (e.g. 410 Gone) ends the stream with `KubeError.api(status)`.
    public func watch<T: KubeObject>(_ type: T.Type, namespace: String?, options: ListOptions = ListOptions()) -> AsyncThrowingStream<WatchEvent<T>, any Error> {
        let connection = openWatch(T.resourceType, namespace: namespace, options: options)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for try await line in connection.lines {
                        let parsed = try JSONValue.parse(line)
                        let event = WatchEvent(type: parsed["type"]?.stringValue ?? "", object: parsed["object"] ?? .null)
                        if event.type == "ERROR" {
                            throw KubeError.api((try? event.object.decode(as: Status.self)) ?? Status(message: "watch ERROR event", code: 500))
                        }
                        continuation.yield(WatchEvent(type: event.type, object: try decode(event.object) as T))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
                connection.cancel()
            }
            continuation.onTermination = { _ in
                task.cancel()
                connection.cancel()
            }
        }
    }

    /// The raw lines of a watch request on `resource`.
    func openWatch(_ resource: ResourceType, namespace: String?, options: ListOptions) -> WatchConnection {
        let request = APIRequest.get(resource.path(namespace: namespace), query: options.queryItems(watch: true))
        // The server ends the watch after timeoutSeconds; allow for that plus slack before
        // treating silence as a dead connection.
        let timeout = TimeInterval(options.timeoutSeconds ?? 600) + 30
        return WatchConnection(transport: transport, request: request, timeout: timeout)
    }

    /// List, then watch from the list's resourceVersion, relisting on 410 Gone; reconnects with
    /// backoff and ends only when the consuming task is cancelled. See `WatcherStateMachine`.
    public func watcher<T: KubeObject>(_ type: T.Type, namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil) -> AsyncStream<WatcherEvent<T>> {
        watcher(type, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector, configuration: WatcherConfiguration())
    }

    /// `watcher` with explicit page size, backoff and watch timeouts.
    public func watcher<T: KubeObject>(_ type: T.Type, namespace: String?, labelSelector: String? = nil, fieldSelector: String? = nil,
                                       configuration: WatcherConfiguration) -> AsyncStream<WatcherEvent<T>> {
        AsyncStream(bufferingPolicy: .unbounded) { continuation in
            let task = Task {
                await runWatcher(type, namespace: namespace, labelSelector: labelSelector, fieldSelector: fieldSelector,
                                 configuration: configuration, continuation: continuation)
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func runWatcher<T: KubeObject>(_ type: T.Type, namespace: String?, labelSelector: String?, fieldSelector: String?,
                                           configuration: WatcherConfiguration, continuation: AsyncStream<WatcherEvent<T>>.Continuation) async {
        var machine = WatcherStateMachine<T>(backoff: configuration.backoff, minimumWatchTimeout: configuration.minimumWatchTimeout)
        var queue = machine.handle(.start)
        while !Task.isCancelled, !queue.isEmpty {
            let action = queue.removeFirst()
            switch action {
            case .emit(let event):
                continuation.yield(event)
            case .wait(let seconds):
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
                queue += machine.handle(.timerFired)
            case .list(let token):
                let options = ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector, limit: configuration.pageSize, continueToken: token)
                do {
                    let page = try await list(T.resourceType, namespace: namespace, options: options)
                    let items: [T] = try (page["items"]?.arrayValue ?? []).map { try decode($0) }
                    queue += machine.handle(.listPage(items: items, resourceVersion: page[path: ["metadata", "resourceVersion"]]?.stringValue,
                                                      continueToken: page[path: ["metadata", "continue"]]?.stringValue))
                } catch {
                    queue += machine.handle(.listFailed(gone: (error as? KubeError)?.isGone ?? false))
                }
            case .watch(let resourceVersion, let timeoutSeconds):
                let options = ListOptions(labelSelector: labelSelector, fieldSelector: fieldSelector, resourceVersion: resourceVersion,
                                          timeoutSeconds: timeoutSeconds, allowWatchBookmarks: true)
                queue += await followWatch(T.self, namespace: namespace, options: options, machine: &machine, continuation: continuation)
            }
        }
    }

    /// Feeds one watch request's events to the machine until the request ends or the
    /// machine asks for something other than emitting (a relist); returns what comes next.
    private func followWatch<T: KubeObject>(_ type: T.Type, namespace: String?, options: ListOptions, machine: inout WatcherStateMachine<T>,
                                            continuation: AsyncStream<WatcherEvent<T>>.Continuation) async -> [WatcherStateMachine<T>.Action] {
        let connection = openWatch(T.resourceType, namespace: namespace, options: options)
        defer { connection.cancel() }
        let opened = Date()
        var receivedLines = false
        do {
            for try await line in connection.lines {
                receivedLines = true
                let input: WatcherStateMachine<T>.WatchInput
                do {
                    input = try Self.decodeWatchLine(line, as: T.self)
                } catch {
                    return machine.handle(.watchEnded(.failed))
                }
                var next: [WatcherStateMachine<T>.Action] = []
                for action in machine.handle(.watchEvent(input)) {
                    if case .emit(let event) = action { continuation.yield(event) } else { next.append(action) }
                }
                if !next.isEmpty { return next }
            }
            // A server that closes watches at once, with nothing sent, would otherwise be
            // asked again in a tight loop: treat that as a failure, which backs off.
            let closedAtOnce = !receivedLines && Date().timeIntervalSince(opened) < 1
            return machine.handle(.watchEnded(closedAtOnce ? .failed : .closed))
        } catch {
            return machine.handle(.watchEnded((error as? KubeError)?.isGone == true ? .gone : .failed))
        }
    }

    /// Decodes one line of a watch stream.
    static func decodeWatchLine<T: KubeObject>(_ line: Data, as type: T.Type) throws -> WatcherStateMachine<T>.WatchInput {
        try JSONDecoder().decode(WatchLine<T>.self, from: line).input
    }
}

/// Tuning of `KubeClient.watcher`.
public struct WatcherConfiguration: Sendable {
    /// Items per list page (`limit`).
    public var pageSize: Int
    /// Backoff between failed lists or watches.
    public var backoff: RetryPolicy
    /// Watches time out after this many seconds up to twice as many, at random.
    public var minimumWatchTimeout: Int

    public init(pageSize: Int = 500, backoff: RetryPolicy = RetryPolicy(baseDelay: 0.5, maxDelay: 30), minimumWatchTimeout: Int = 300) {
        self.pageSize = pageSize
        self.backoff = backoff
        self.minimumWatchTimeout = minimumWatchTimeout
    }
}
