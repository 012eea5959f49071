import KubeModel
import Testing
@testable import YAML

@Suite struct YAMLParseTests {
    @Test func kubectlKubeconfig() throws {
        let config = try YAML.parse(KubeconfigFixtures.kubectl)
        #expect(config["current-context"] == "minikube")
        #expect(config["preferences"] == .object([:]))
        let clusters = try #require(config["clusters"]?.arrayValue)
        #expect(clusters.count == 2)
        #expect(clusters[0]["name"] == "minikube")
        #expect(clusters[0][path: ["cluster", "server"]] == "https://192.168.49.2:8443")
        #expect(clusters[1][path: ["cluster", "insecure-skip-tls-verify"]] == .bool(true))
        #expect(config["users"]?.arrayValue?.first?[path: ["user", "token"]]?.stringValue?.hasPrefix("eyJhbGci") == true)
        #expect(config["contexts"]?.arrayValue?.first?[path: ["context", "namespace"]] == "zookeeper")
    }

    @Test func kindKubeconfig() throws {
        let config = try YAML.parse(KubeconfigFixtures.kind)
        let user = try #require(config["users"]?.arrayValue?.first)
        #expect(user["name"] == "kind-kind")
        #expect(user[path: ["user", "client-key-data"]] == "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==")
    }

    @Test func gkeExecPluginWithFoldedPlainScalar() throws {
        let config = try YAML.parse(KubeconfigFixtures.gke)
        let exec = try #require(config["users"]?.arrayValue?.first?[path: ["user", "exec"]])
        #expect(exec["command"] == "gke-gcloud-auth-plugin")
        #expect(exec["provideClusterInfo"] == .bool(true))
        #expect(exec["installHint"] == "Install gke-gcloud-auth-plugin for use with kubectl by following https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin")
    }

    @Test func eksIndentedListsArgsAndEnv() throws {
        let config = try YAML.parse(KubeconfigFixtures.eks)
        #expect(config["current-context"] == "arn:aws:eks:eu-west-1:123456789012:cluster/zk")
        let exec = try #require(config["users"]?.arrayValue?.first?[path: ["user", "exec"]])
        #expect(exec["args"] == ["--region", "eu-west-1", "eks", "get-token", "--cluster-name", "zk", "--output", "json"])
        #expect(exec["env"] == [["name": "AWS_PROFILE", "value": "prod"], ["name": "AWS_STS_REGIONAL_ENDPOINTS", "value": "regional"]])
        #expect(exec["provideClusterInfo"] == .bool(false))
    }

    @Test func coreSchemaTypes() throws {
        let value = try YAML.parse("""
        int: 42
        negative: -7
        hex: 0x1F
        octal: 0o17
        float: 3.25
        exponent: 1e3
        inf: -.inf
        yes: true
        no: False
        tilde: ~
        empty:
        quotedTrue: "true"
        quotedNumber: '42'
        version: 1.2.3
        word: yes
        leadingZero: 0755x
        """)
        #expect(value["int"] == .int(42))
        #expect(value["negative"] == .int(-7))
        #expect(value["hex"] == .int(31))
        #expect(value["octal"] == .int(15))
        #expect(value["float"] == .double(3.25))
        #expect(value["exponent"] == .double(1000))
        #expect(value["inf"] == .double(-.infinity))
        #expect(value["yes"] == .bool(true))
        #expect(value["no"] == .bool(false))
        #expect(value["tilde"] == .null)
        #expect(value["empty"] == .null)
        #expect(value["quotedTrue"] == "true")
        #expect(value["quotedNumber"] == "42")
        #expect(value["version"] == "1.2.3")
        #expect(value["word"] == "yes")  // YAML 1.2: only true/false are booleans
        #expect(value["leadingZero"] == "0755x")
    }

    @Test func quotedScalarsAndEscapes() throws {
        let value = try YAML.parse(#"""
        double: "tab\there \"quoted\" \u00e9 \x41 back\\slash # not a comment"
        single: 'it''s # still text'
        "quoted key": value # a comment
        plain: it's fine
        url: http://example.com:8080/path#fragment
        folded: "first
          second"
        """#)
        #expect(value["double"] == "tab\there \"quoted\" é A back\\slash # not a comment")
        #expect(value["single"] == "it's # still text")
        #expect(value["quoted key"] == "value")
        #expect(value["plain"] == "it's fine")
        #expect(value["url"] == "http://example.com:8080/path#fragment")
        #expect(value["folded"] == "first second")
    }

    @Test func blockScalarsWithChomping() throws {
        let value = try YAML.parse("""
        clip: |
          line one
            indented
          line three

        strip: |-
          no newline
        keep: |+
          kept

        folded: >
          folded
          into one

          new paragraph
            kept as is
        last: end
        """)
        #expect(value["clip"] == "line one\n  indented\nline three\n")
        #expect(value["strip"] == "no newline")
        #expect(value["keep"] == "kept\n\n")
        #expect(value["folded"] == "folded into one\nnew paragraph\n  kept as is\n")
        #expect(value["last"] == "end")
    }

    @Test func blockScalarInsideASequenceOfMaps() throws {
        let value = try YAML.parse("""
        items:
        - name: script
          data: |
            #!/bin/sh
            echo hi # not a comment
        - name: other
        """)
        #expect(value["items"] == [["name": "script", "data": "#!/bin/sh\necho hi # not a comment\n"], ["name": "other"]])
    }

    @Test func flowCollections() throws {
        let value = try YAML.parse("""
        empty: []
        emptyMap: {}
        args: [--v, "2", 3, {k: v}]
        map: {name: x, list: [a, b], quoted: "a, b"}
        multi: [one,
          two]
        """)
        #expect(value["empty"] == .array([]))
        #expect(value["emptyMap"] == .object([:]))
        #expect(value["args"] == ["--v", "2", 3, ["k": "v"]])
        #expect(value["map"] == ["name": "x", "list": ["a", "b"], "quoted": "a, b"])
        #expect(value["multi"] == ["one", "two"])
    }

    @Test func nestedSequencesAndTopLevelForms() throws {
        #expect(try YAML.parse("- - a\n  - b\n- c\n") == [["a", "b"], "c"])
        #expect(try YAML.parse("- \n  x: 1\n") == [["x": 1]])
        #expect(try YAML.parse("# only a comment\n") == .null)
        #expect(try YAML.parse("just text") == "just text")
        #expect(try YAML.parse("--- |\n  block\n") == "block\n")
    }

    @Test func multipleDocuments() throws {
        let documents = try YAML.parseAll("""
        ---
        kind: ConfigMap
        ---
        # empty document follows
        ---
        kind: Service
        ...
        """)
        #expect(documents == [["kind": "ConfigMap"], ["kind": "Service"]])
        #expect(throws: YAMLError.self) { try YAML.parse("a: 1\n---\nb: 2\n") }
    }

    @Test func unsupportedFeaturesNameTheLine() {
        #expect(throws: YAMLError(line: 2, message: "anchors and aliases are not supported")) {
            try YAML.parse("a: 1\nb: &anchor 2\n")
        }
        #expect(throws: YAMLError(line: 3, message: "anchors and aliases are not supported")) {
            try YAML.parse("a: 1\nlist:\n- *ref\n")
        }
        #expect(throws: YAMLError(line: 1, message: "tags are not supported")) { try YAML.parse("a: !!str 1\n") }
        #expect(throws: YAMLError(line: 2, message: "duplicate key \"a\"")) { try YAML.parse("a: 1\na: 2\n") }
        #expect(throws: YAMLError(line: 2, message: "tabs are not allowed for indentation")) { try YAML.parse("a:\n\tb: 1\n") }
        #expect(throws: YAMLError(line: 1, message: "unterminated quoted scalar")) { try YAML.parse("a: \"open\n") }
        #expect(throws: YAMLError.self) { try YAML.parse("a: 1\n  b: 2\n") }
    }
}

@Suite struct YAMLJSONCompatibilityTests {
    @Test func prettyJSONIsYAML() throws {
        let value: JSONValue = [
            "apiVersion": "v1", "clusters": [["name": "kube-sim", "cluster": ["server": "http://127.0.0.1:1234"]]],
            "preferences": [:], "escaped": "a \"b\" \\ é\n", "number": 1.5, "flag": true, "nothing": nil, "list": [],
        ]
        let pretty = String(decoding: value.serialized(pretty: true), as: UTF8.self)
        #expect(try YAML.parse(pretty) == value)
        #expect(try YAML.parse(String(decoding: value.serialized(), as: UTF8.self)) == value)
    }
}
