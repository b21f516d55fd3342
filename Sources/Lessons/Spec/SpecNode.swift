import Yams

/// A YAML node with the file and key path it came from, read into typed values
/// with errors that point at the file, line and key.
struct SpecNode {
    let node: Node
    let file: String
    let key: String

    var line: Int? { node.mark?.line }

    func error(_ message: String, hint: String? = nil) -> LessonError {
        .spec(file: file, line: line, key: key, message: message, hint: hint)
    }

    /// The mapping's entries; keys outside `allowed` are rejected with a did-you-mean,
    /// keys in `required` must be present.
    func mapping(allowed: [String], required: [String] = []) throws -> [String: SpecNode] {
        guard case let .mapping(m) = node else { throw error("expected a mapping of keys to values") }
        var out: [String: SpecNode] = [:]
        for (k, v) in m {
            guard let name = k.string else { throw error("keys must be plain words") }
            let childKey = key.isEmpty ? name : "\(key).\(name)"
            guard allowed.contains(name) else {
                let guess = nearest(name, in: allowed).first.map { "did you mean '\($0)'?" }
                throw LessonError.spec(file: file, line: k.mark?.line, key: childKey, message: "unknown key '\(name)'",
                                       hint: [guess, "valid keys: " + allowed.joined(separator: ", ")]
                                           .compactMap { $0 }.joined(separator: "; "))
            }
            out[name] = SpecNode(node: v, file: file, key: childKey)
        }
        for name in required where out[name] == nil {
            throw error("missing required key '\(name)'")
        }
        return out
    }

    func array() throws -> [SpecNode] {
        guard case let .sequence(s) = node else { throw error("expected a list") }
        return s.enumerated().map { SpecNode(node: $1, file: file, key: "\(key)[\($0)]") }
    }

    func string() throws -> String {
        guard case .scalar = node, let s = node.string else { throw error("expected text") }
        return s
    }

    func int(in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        guard case .scalar = node, let v = node.int else { throw error("expected a whole number, got '\(node.string ?? "?")'") }
        guard range.contains(v) else { throw error("\(v) is out of range \(range.lowerBound)…\(range.upperBound)") }
        return v
    }

    func double(in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) throws -> Double {
        guard case .scalar = node, let v = node.float ?? node.int.map(Double.init) else {
            throw error("expected a number, got '\(node.string ?? "?")'")
        }
        guard range.contains(v) else { throw error("\(v) is out of range \(range.lowerBound)…\(range.upperBound)") }
        return v
    }

    func bool() throws -> Bool {
        guard case .scalar = node, let v = node.bool else { throw error("expected true or false") }
        return v
    }

    func strings() throws -> [String] { try array().map { try $0.string() } }

    /// Whether the node is the plain word `word` (not a number or another word).
    func isWord(_ word: String) -> Bool {
        guard case .scalar = node, node.int == nil, node.float == nil else { return false }
        return node.string == word
    }

    func ints() throws -> [Int] { try array().map { try $0.int(in: 1...100_000) } }

    /// One of `choices`, or an error listing them with a did-you-mean.
    func choice(_ choices: [String]) throws -> String {
        let s = try string()
        guard choices.contains(s) else { throw unknownValue(s, choices: choices) }
        return s
    }

    /// A word of the lesson file's vocabulary: the case of `Word` whose raw value the
    /// node holds, or an error offering every case with a did-you-mean.
    func word<Word: RawRepresentable & CaseIterable>(_ type: Word.Type) throws -> Word where Word.RawValue == String {
        let s = try string()
        guard let word = Word.allCases.first(where: { $0.rawValue == s }) else {
            throw unknownValue(s, choices: Word.allCases.map(\.rawValue))
        }
        return word
    }

    private func unknownValue(_ value: String, choices: [String]) -> LessonError {
        let guess = nearest(value, in: choices).first.map { "did you mean '\($0)'?; " } ?? ""
        return error("unknown value '\(value)'", hint: guess + "valid: " + choices.joined(separator: ", "))
    }
}
