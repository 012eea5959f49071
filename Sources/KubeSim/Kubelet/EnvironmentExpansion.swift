/// Kubernetes' `$(VAR)` expansion in env values, `command` and `args`: `$(NAME)` becomes the
/// variable's value when defined (else stays as written), `$$` becomes `$`.
public enum EnvironmentExpansion {
    public static func expand(_ input: String, with variables: [String: String]) -> String {
        var output = ""
        var index = input.startIndex
        while index < input.endIndex {
            let character = input[index]
            let next = input.index(after: index)
            guard character == "$", next < input.endIndex else {
                output.append(character)
                index = next
                continue
            }
            if input[next] == "$" {
                output.append("$")
                index = input.index(after: next)
            } else if input[next] == "(", let close = input[next...].firstIndex(of: ")") {
                let name = String(input[input.index(after: next)..<close])
                if let value = variables[name] {
                    output += value
                } else {
                    output += input[index...close]
                }
                index = input.index(after: close)
            } else {
                output.append(character)
                index = next
            }
        }
        return output
    }

    /// The container's env with each value expanded against the variables defined before it.
    public static func expand(_ env: [RuntimeEnvVar]) -> [RuntimeEnvVar] {
        var defined: [String: String] = [:]
        return env.map { variable in
            let value = expand(variable.value, with: defined)
            defined[variable.name] = value
            return RuntimeEnvVar(variable.name, value)
        }
    }
}
