/// Every character is a token: each `Character` (a user-perceived character,
/// Unicode's extended grapheme cluster, so `é` is one token however it is
/// encoded) becomes a one-character string, spaces and line breaks included.
/// Joining concatenates, so `join(tokens(in: text)) == text` for every text.
///
/// ```swift
/// CharacterTokenizer().tokens(in: "a \"b\"")   // ["a", " ", "\"", "b", "\""]
/// ```
public struct CharacterTokenizer: Tokenizer {
    public init() {}

    public func tokens(in text: String) -> [String] {
        text.map(String.init)
    }

    public func join(_ tokens: [String]) -> String {
        tokens.joined()
    }
}
