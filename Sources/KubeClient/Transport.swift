import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KubeModel

/// Sends `APIRequest`s over URLSession: authentication, headers, retries with backoff, and
/// failed responses turned into `KubeError.api(Status)`.
final class Transport: Sendable {
    let configuration: ClientConfiguration
    let credentials: CredentialProvider
    let session: URLSession

    init(configuration: ClientConfiguration) {
        self.configuration = configuration
        credentials = CredentialProvider(credentials: configuration.credentials)
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.urlCache = nil
        sessionConfiguration.httpCookieAcceptPolicy = .never
        sessionConfiguration.httpShouldSetCookies = false
        sessionConfiguration.timeoutIntervalForRequest = configuration.requestTimeout
        session = URLSession(configuration: sessionConfiguration)
    }

    deinit {
        // The last reference can be dropped inside a URLSession completion handler, on the
        // session's own work queue; invalidateAndCancel() dispatch_syncs onto that queue,
        // which traps there (seen as SIGILL in tests), so it runs from another queue.
        let session = self.session
        DispatchQueue.global().async { session.invalidateAndCancel() }
    }

    /// The URLRequest for `request`, with credentials. Watches pass a long `timeout`.
    func urlRequest(for request: APIRequest, timeout: TimeInterval? = nil) async throws -> URLRequest {
        var urlRequest = URLRequest(url: try request.url(on: configuration.server))
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = timeout ?? configuration.requestTimeout
        urlRequest.setValue(request.accept, forHTTPHeaderField: "Accept")
        urlRequest.setValue(configuration.userAgent, forHTTPHeaderField: "User-Agent")
        if let authorization = try await credentials.authorizationHeader() {
            urlRequest.setValue(authorization, forHTTPHeaderField: "Authorization")
        }
        if let body = request.body {
            urlRequest.httpBody = body
            urlRequest.setValue(request.contentType ?? "application/json", forHTTPHeaderField: "Content-Type")
        }
        return urlRequest
    }

    /// Sends `request`, retrying per the retry policy; returns the body of a 2xx answer.
    func send(_ request: APIRequest) async throws -> Data {
        let policy = request.retryPolicy ?? configuration.retryPolicy
        var attempt = 0
        var refreshedCredentials = false
        while true {
            attempt += 1
            let failure: RetryPolicy.Failure
            let error: KubeError
            do {
                let (data, response) = try await session.cancellableData(for: try await urlRequest(for: request))
                guard let http = response as? HTTPURLResponse else { throw KubeError.transport("not an HTTP response") }
                if (200...299).contains(http.statusCode) { return data }
                if http.statusCode == 401, credentials.canRefresh, !refreshedCredentials {
                    refreshedCredentials = true
                    await credentials.invalidate()
                    attempt -= 1
                    continue
                }
                let status = Self.status(code: http.statusCode, body: data)
                let retryAfter = RetryPolicy.retryAfterSeconds(http.value(forHTTPHeaderField: "Retry-After"))
                    ?? status.details?.retryAfterSeconds.map(TimeInterval.init)
                failure = .status(http.statusCode, retryAfter: retryAfter)
                error = .api(status)
            } catch let kubeError as KubeError {
                throw kubeError
            } catch {
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                failure = .transport(requestMaySurvive: Self.requestMaySurvive(error))
                let message = TLSTrust.explain(error, server: configuration.server)
                let transportError = KubeError.transport("\(request.method) \(request.path): \(message)")
                switch policy.decide(attempt: attempt, method: request.method, failure: failure, jitter: Double.random(in: 0..<1)) {
                case .fail: throw transportError
                case .retry(let delay): try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
                }
                continue
            }
            switch policy.decide(attempt: attempt, method: request.method, failure: failure, jitter: Double.random(in: 0..<1)) {
            case .fail: throw error
            case .retry(let delay): try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
            }
        }
    }

    /// Whether a transport error may have happened after the server received the request.
    static func requestMaySurvive(_ error: any Error) -> Bool {
        let nsError = error as NSError
        guard nsError.domain == NSURLErrorDomain else { return true }
        let beforeSending = [NSURLErrorCannotConnectToHost, NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed,
                             NSURLErrorNotConnectedToInternet, NSURLErrorBadURL, NSURLErrorUnsupportedURL]
        return !beforeSending.contains(nsError.code)
    }

    /// The server's `Status` from an error body, or one made up from the status code when the
    /// body is not a Status (a proxy's HTML page, an empty 503).
    static func status(code: Int, body: Data) -> Status {
        if var status = try? JSONDecoder().decode(Status.self, from: body), status.kind == "Status" {
            if status.code == nil { status.code = code }
            return status
        }
        let text = String(decoding: body.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = reasons[code] ?? (code >= 500 ? "InternalError" : "Unknown")
        return Status(message: text.isEmpty ? "the server responded with HTTP \(code)" : text, reason: reason, code: code)
    }

    private static let reasons: [Int: String] = [
        400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 405: "MethodNotAllowed",
        406: "NotAcceptable", 409: "Conflict", 410: "Expired", 413: "RequestEntityTooLarge",
        415: "UnsupportedMediaType", 422: "Invalid", 429: "TooManyRequests", 500: "InternalError",
        503: "ServiceUnavailable", 504: "Timeout",
    ]
}
