/// `metav1.Time` and `metav1.MicroTime`, kept as the RFC 3339 strings the server sends
/// (`2024-05-01T12:00:00Z`, `2024-05-01T12:00:00.123456Z`), so they survive a round trip
/// unchanged and compare as the server wrote them.
public typealias Time = String
