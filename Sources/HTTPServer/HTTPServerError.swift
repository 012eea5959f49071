/// Errors of the HTTP server layer.
public enum HTTPServerError: Error, Equatable, Sendable {
    /// A socket call failed; `call` names it, `errno` says why.
    case socket(call: String, errno: Int32)
    /// The client closed the connection or the server is stopping.
    case connectionClosed
    /// The request could not be parsed; the connection answers 400 and closes.
    case malformedRequest(String)
    /// A header block or a body beyond the configured limits.
    case tooLarge
}
