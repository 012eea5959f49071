import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Opens a watch session's connection with a small request before the watch itself starts.
///
/// swift-corelibs-foundation (6.3 on Linux) drives libcurl with one DispatchSource per socket
/// readiness libcurl asks for, but never cancels a write source when libcurl narrows its
/// interest from "read and write" (while connecting) to "read" (waiting for the response). A
/// connected socket is always writable, so for a transfer that stays open and quiet, which is
/// what a watch is, that source fires in a tight loop: about 70% of a core per idle watch.
/// A connection that libcurl takes from its pool is registered for reading only, so the
/// watch, sent after this request on the same one-connection session, reuses a connection
/// and idles without spinning. The request costs one small GET per watch (`/version` is
/// readable by any client, authenticated or not) and a failure is ignored: the watch then
/// opens its own connection and works, only less efficiently.
enum ConnectionPrimer {
    static let request = APIRequest.get("/version")

    static func prime(_ session: URLSession, with urlRequest: URLRequest) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            session.dataTask(with: urlRequest) { _, _, _ in continuation.resume() }.resume()
        }
    }
}
