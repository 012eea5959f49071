import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// bench-rss-baseline [URL [TOKEN]]: the memory floor of any Swift program that talks HTTP with
/// Foundation. Makes one URLSession GET (to URL, e.g. a kube-sim API server, when given,
/// with TOKEN as its bearer token),
/// then prints its own peak and current resident set size from /proc/self/status, so
/// `keeper-bench operator` can compare Keeper's RSS with it.
func statusField(_ name: String) -> String {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "unknown" }
    for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
        return line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
    }
    return "unknown"
}

let arguments = CommandLine.arguments.dropFirst()
var outcome = "no request"
if let text = arguments.first, let url = URL(string: text) {
    var request = URLRequest(url: url)
    if let token = arguments.dropFirst().first { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    let session = URLSession(configuration: .ephemeral)
    do {
        let (body, response) = try await session.data(for: request)
        outcome = "HTTP \((response as? HTTPURLResponse)?.statusCode ?? 0), \(body.count) bytes"
    } catch {
        outcome = "request failed: \(error)"
    }
}
print("request: \(outcome)")
print("VmHWM: \(statusField("VmHWM"))")
print("VmRSS: \(statusField("VmRSS"))")
