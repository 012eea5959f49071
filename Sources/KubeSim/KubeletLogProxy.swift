import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPServer
import KubeModel

/// Reads a log from a kubelet over HTTP and hands it to the API server's client: whole for
/// a plain request, chunk by chunk for `follow=true`. A kubelet error (non-200) becomes a
/// `Status` with the kubelet's code and text, as kube-apiserver's response checker does.
final class KubeletLogProxy: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // Every field below is read and written under `condition`.
    private let condition = NSCondition()
    private var response: HTTPURLResponse?
    private var buffer = Data()
    private var finished = false
    private var failure: (any Error)?

    /// How long to wait for the kubelet's answer (and, without follow, for the whole log).
    static let timeout: TimeInterval = 30

    static func forward(_ url: URL, follow: Bool) throws -> HTTPResponse {
        let proxy = KubeletLogProxy()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = follow ? 24 * 3600 : timeout
        let session = URLSession(configuration: configuration, delegate: proxy, delegateQueue: nil)
        let task = session.dataTask(with: URLRequest(url: url))
        task.resume()
        let deadline = Date().addingTimeInterval(timeout)
        proxy.wait(until: deadline) { $0.response != nil || $0.finished }
        let (response, failure) = proxy.locked { ($0.response, $0.failure) }
        guard let response else {
            session.invalidateAndCancel()
            let reason = failure.map { "\($0.localizedDescription)" } ?? "no answer within \(Int(timeout)) s"
            throw StatusErrors.internalError("Get \"\(url.absoluteString)\": \(reason)")
        }
        if response.statusCode != 200 || !follow {
            proxy.wait(until: deadline) { $0.finished }
            session.invalidateAndCancel()
            let body = proxy.locked { $0.buffer }
            if response.statusCode != 200 {
                let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                throw Status(message: text.isEmpty ? "the kubelet answered \(response.statusCode)" : text,
                             reason: StatusErrors.reason(forCode: response.statusCode), code: response.statusCode)
            }
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")]), body: body)
        }
        return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")])) { stream in
            defer { session.invalidateAndCancel() }
            while true {
                // Wake at least every half second to notice a client that went away.
                proxy.wait(until: Date().addingTimeInterval(0.5)) { !$0.buffer.isEmpty || $0.finished }
                let (chunk, done) = proxy.locked { proxy -> (Data, Bool) in
                    defer { proxy.buffer = Data() }
                    return (proxy.buffer, proxy.finished)
                }
                if !chunk.isEmpty {
                    do { try stream.write(chunk) } catch { return }
                }
                if done || !stream.isOpen { return }
            }
        }
    }

    private func locked<T>(_ body: (KubeletLogProxy) -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body(self)
    }

    private func wait(until deadline: Date, for predicate: (KubeletLogProxy) -> Bool) {
        condition.lock()
        defer { condition.unlock() }
        while !predicate(self) {
            if !condition.wait(until: deadline) { return }
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        locked { $0.response = response as? HTTPURLResponse; $0.condition.broadcast() }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        locked { $0.buffer.append(data); $0.condition.broadcast() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        locked { proxy in
            proxy.failure = error
            proxy.finished = true
            proxy.condition.broadcast()
        }
    }
}
