import KubeModel

/// A CRD version's `openAPIV3Schema`: validation with the real server's messages,
/// defaulting, and pruning of unknown fields.
public struct StructuralSchema: Sendable {
    public let schema: JSONValue

    public init(openAPIV3Schema: JSONValue) { self.schema = openAPIV3Schema }

    /// STUB: replaced by the apimachinery branch. Returns the causes the real server would
    /// list (field `spec.replicas`, reason `FieldValueInvalid`, message as kube-apiserver
    /// words it); empty when valid.
    public func validate(_ object: JSONValue) -> [Status.Cause] { [] }

    /// STUB: replaced by the apimachinery branch. Applies `default:` values.
    public func applyDefaults(to object: inout JSONValue) {}

    /// STUB: replaced by the apimachinery branch. Removes fields the schema does not
    /// declare (unless `x-kubernetes-preserve-unknown-fields`); returns their paths so that
    /// `fieldValidation=Strict` can refuse them and `Warn` can warn.
    public func prune(_ object: inout JSONValue) -> [String] { [] }
}
