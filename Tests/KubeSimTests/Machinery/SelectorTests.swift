import KubeModel
import Testing
@testable import KubeSim

@Suite struct LabelSelectorTests {
    let labels = ["app": "zk", "tier": "db", "version": "3"]

    @Test(arguments: [
        ("", true),
        ("app=zk", true), ("app==zk", true), ("app!=zk", false), ("app=web", false),
        ("app in (web,zk)", true), ("app in (web)", false), ("app notin (web)", true), ("app notin (zk,web)", false),
        ("tier", true), ("missing", false), ("!missing", true), ("!tier", false),
        ("missing!=x", true), ("missing notin (x)", true), ("missing in (x)", false),
        ("app=zk,tier=db", true), ("app=zk,tier=web", false), ("app = zk , !missing", true),
        ("version>2", true), ("version<3", false), ("missing=", false), ("missing!=", true),
    ])
    func matching(selector: String, expected: Bool) throws {
        #expect(try LabelSelector(parsing: selector).matches(labels) == expected)
    }

    @Test(arguments: [
        ("app in zk", "unable to parse requirement: found 'zk', expected: '('"),
        ("app zk", "unable to parse requirement: found 'zk', expected: in, notin, =, ==, !=, gt, lt"),
        ("app=zk,", "found '', expected: identifier after ','"),
        ("=zk", "found '=', expected: !, identifier, or 'end of string'"),
        ("app=zk)", "found ')', expected: ',' or 'end of string'"),
        ("app in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'"),
        ("app=b$", #"unable to parse requirement: values[0][app]: Invalid value: "b$": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"#),
        ("-app", #"unable to parse requirement: key: Invalid value: "-app": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"#),
    ])
    func syntaxErrors(selector: String, message: String) {
        #expect {
            _ = try LabelSelector(parsing: selector)
        } throws: { error in
            let status = error as? Status
            return status?.code == 400 && status?.reason == "BadRequest" && status?.message == message
        }
    }

    @Test func canonicalText() throws {
        let selector = try LabelSelector(parsing: "tier in (web,db),app=zk,!gone")
        #expect(selector.description == "app=zk,!gone,tier in (db,web)")
    }

    @Test func fromLabelSelectorJSON() throws {
        let json = try parse(#"{"matchLabels":{"app":"zk"},"matchExpressions":[{"key":"tier","operator":"In","values":["db","cache"]},{"key":"legacy","operator":"DoesNotExist"}]}"#)
        let selector = try LabelSelector(selector: json)
        #expect(selector.matches(labels))
        #expect(!selector.matches(["app": "zk", "tier": "web"]))
        #expect(!selector.matches(["app": "zk", "tier": "db", "legacy": "1"]))
        #expect(try LabelSelector(selector: [:]).matches([:]))
        #expect(try !LabelSelector(selector: nil).matches([:]))
        #expect(try !LabelSelector(selector: .null).matches(labels))
        #expect(throws: Status.self) { try LabelSelector(selector: ["matchExpressions": [["key": "a", "operator": "Bogus"]]]) }
        #expect(throws: Status.self) { try LabelSelector(selector: ["matchExpressions": [["key": "a", "operator": "In", "values": []]]]) }
    }

    @Test func matchesObjectLabels() throws {
        let pod = try parse(#"{"metadata":{"name":"zk-0","labels":{"app":"zk"}}}"#)
        #expect(try LabelSelector(parsing: "app=zk").matches(object: pod))
        #expect(try !LabelSelector(parsing: "app=web").matches(object: pod))
    }
}

@Suite struct FieldSelectorTests {
    let pod: JSONValue = ["metadata": ["name": "zk-0", "namespace": "default"], "spec": ["nodeName": "node-1", "priority": 5],
                          "status": ["phase": "Running"]]

    @Test(arguments: [
        ("", true), ("metadata.name=zk-0", true), ("metadata.name==zk-0", true), ("metadata.name!=zk-0", false),
        ("metadata.name=zk-0,status.phase=Running", true), ("metadata.name=zk-0,status.phase=Pending", false),
        ("spec.nodeName=", false), ("spec.nodeName!=", true), ("spec.schedulerName=", true), ("spec.priority=5", true),
    ])
    func matching(selector: String, expected: Bool) throws {
        #expect(try FieldSelector(parsing: selector).matches(pod) == expected)
    }

    @Test func escapedValues() throws {
        let event: JSONValue = ["message": "a,b=c"]
        #expect(try FieldSelector(parsing: #"message=a\,b\=c"#).matches(event))
    }

    @Test func syntaxError() {
        #expect {
            _ = try FieldSelector(parsing: "metadata.name")
        } throws: { error in
            (error as? Status)?.message == "invalid selector: 'metadata.name'; can't understand 'metadata.name'"
        }
    }
}
