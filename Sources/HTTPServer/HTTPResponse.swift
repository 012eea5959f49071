import Foundation

/// A response: a status, headers, and either a complete body or a stream that the handler
/// writes chunk by chunk (`Transfer-Encoding: chunked`).
public struct HTTPResponse: Sendable {
    public enum Body: Sendable {
        case bytes(Data)
        /// Called on the connection's thread; the response ends when the closure returns.
        case stream(@Sendable (HTTPResponseStream) -> Void)
    }

    public var status: Int
    public var headers: HTTPHeaders
    public var body: Body

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = .bytes(body)
    }

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), stream: @escaping @Sendable (HTTPResponseStream) -> Void) {
        self.status = status
        self.headers = headers
        self.body = .stream(stream)
    }

    /// The standard reason phrase for `status`.
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 409: "Conflict"
        case 410: "Gone"
        case 413: "Payload Too Large"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Entity"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status \(status)"
        }
    }
}

/// The writing end of a streamed response. Each `write` sends one chunk immediately (the
/// socket has Nagle's algorithm off), so a watch event reaches the client at once.
public protocol HTTPResponseStream: AnyObject, Sendable {
    /// Sends `data` as one chunk. Throws `HTTPServerError.connectionClosed` once the client
    /// has gone or the server is stopping.
    func write(_ data: Data) throws
    /// False once the client closed its end or the server is stopping. Cheap: one `poll`.
    var isOpen: Bool { get }
}
