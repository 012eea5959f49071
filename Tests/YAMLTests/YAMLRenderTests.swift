import KubeModel
import Testing
@testable import YAML

@Suite struct YAMLRenderTests {
    @Test func rendersKubectlStyle() {
        let value: JSONValue = [
            "kind": "Config",
            "clusters": [["name": "sim", "cluster": ["server": "http://127.0.0.1:8080"]]],
            "preferences": [:],
            "list": [],
        ]
        #expect(YAML.render(value) == """
        clusters:
        - cluster:
            server: http://127.0.0.1:8080
          name: sim
        kind: Config
        list: []
        preferences: {}

        """)
    }

    @Test func quotesStringsThatWouldChangeType() {
        #expect(YAMLRenderer.scalar("true") == "\"true\"")
        #expect(YAMLRenderer.scalar("42") == "\"42\"")
        #expect(YAMLRenderer.scalar("1e3") == "\"1e3\"")
        #expect(YAMLRenderer.scalar("null") == "\"null\"")
        #expect(YAMLRenderer.scalar("") == "\"\"")
        #expect(YAMLRenderer.scalar("yes") == "\"yes\"")
        #expect(YAMLRenderer.scalar("- x") == "\"- x\"")
        #expect(YAMLRenderer.scalar("a: b") == "\"a: b\"")
        #expect(YAMLRenderer.scalar("#x") == "\"#x\"")
        #expect(YAMLRenderer.scalar("--region") == "--region")
        #expect(YAMLRenderer.scalar("http://x:1/y") == "http://x:1/y")
        #expect(YAMLRenderer.scalar("1.2.3") == "1.2.3")
    }

    @Test(arguments: [
        KubeconfigFixtures.kubectl, KubeconfigFixtures.kind, KubeconfigFixtures.gke, KubeconfigFixtures.eks,
    ])
    func kubeconfigsRoundTrip(text: String) throws {
        let value = try YAML.parse(text)
        #expect(try YAML.parse(YAML.render(value)) == value)
    }

    @Test func awkwardValuesRoundTrip() throws {
        let value: JSONValue = [
            "strings": ["true", "0x1F", "~", " padded ", "trailing:", "tab\there", "quote\"s", "it's", "é ü", "\u{1}", "[x]", "{y}", "a, b", "@at", "`tick", "%pct", "---", "..."],
            "multiline": ["script": "#!/bin/sh\necho hi\n", "noNewline": "a\nb", "manyNewlines": "a\n\n", "leadingSpace": " a\nb", "blankLines": "a\n\n\nb\n", "crlf": "a\r\nb"],
            "numbers": [0, -1, 9_223_372_036_854_775_807, 1.5, 2.0, -0.25, 1e300],
            "nested": [[1, [2, [3]]], [["k": [:]]], []],
            "odd keys": ["": 1, "true": 2, "a: b": 3, "- x": 4],
            "nulls": [nil, ["a": nil]],
        ]
        let text = YAML.render(value)
        #expect(try YAML.parse(text) == value, "rendered:\n\(text)")
    }
}
