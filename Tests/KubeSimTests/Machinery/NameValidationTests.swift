import Foundation
import KubeModel
import Testing
@testable import KubeSim

@Suite struct NameValidationTests {
    @Test func subdomainMessage() {
        #expect(NameValidation.dns1123Subdomain("zk-0.example") == [])
        #expect(NameValidation.dns1123Subdomain("Bad_Name") == [
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ])
        #expect(NameValidation.dns1123Subdomain(String(repeating: "a", count: 254)) == ["must be no more than 253 characters"])
    }

    @Test func labelMessages() {
        #expect(NameValidation.dns1123Label("a.b").first == "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
        #expect(NameValidation.dns1035Label("1zk").first == "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
        #expect(NameValidation.labelValue("") == [])
        #expect(NameValidation.labelValue("a b") == ["a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"])
        #expect(NameValidation.qualifiedName("app.kubernetes.io/name") == [])
        #expect(NameValidation.qualifiedName("/x") == ["prefix part must be non-empty"])
        #expect(NameValidation.qualifiedName("a/").count == 2)
    }

    @Test func objectMeta() {
        let errors = NameValidation.validateObjectMeta(["metadata": ["name": "Bad", "labels": ["ok": "x y"]]], kind: "ConfigMap", namespaced: true)
        #expect(errors.map(\.field) == ["metadata.name", "metadata.namespace", "metadata.labels"])
        #expect(errors[0].description.hasPrefix(#"metadata.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain"#))
        #expect(errors[1].description == "metadata.namespace: Required value")
        #expect(NameValidation.validateObjectMeta(["metadata": [:]], kind: "Namespace", namespaced: false).map(\.description)
                == ["metadata.name: Required value: name or generateName is required"])
        #expect(NameValidation.validateObjectMeta(["metadata": ["name": "n", "namespace": "x"]], kind: "Node", namespaced: false).map(\.description)
                == ["metadata.namespace: Forbidden: not allowed on this type"])
    }
}
