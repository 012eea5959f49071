/// `resource.Quantity`, kept in the string form the API uses (`500m`, `1Gi`, `2`).
///
/// Objects carry quantities as written, so a value survives a round trip byte for byte;
/// code that needs the number parses it where it decides something (Keeper's validation).
public typealias Quantity = String
