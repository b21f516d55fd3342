/// Lower-case words and punctuation marks as tokens, line breaks kept.
///
/// Cutting: the text is lower-cased, then read character by character.
/// - A word is a run of letters and digits. An apostrophe (`'` or `’`), a
///   hyphen or an underscore between two letters or digits stays inside the
///   word (`dog's`, `coach-and-four`, `by_mouth`); so does a `.` between two
///   letters (`e.g`, `p.m`: the abbreviation's last point is a token of its
///   own) or two digits (`3.5`), and a `,` between two digits (`1,000`).
/// - A line break (`\n`, `\r\n` or `\r`) is the token `"\n"`.
/// - Other whitespace separates tokens and is dropped.
/// - Any other character (punctuation, quotes, symbols) is a token of its own.
///
/// ```swift
/// WordTokenizer().tokens(in: "The dog's ball.")   // ["the", "dog's", "ball", "."]
/// ```
///
/// Joining writes one space between tokens except: none at the start of a line
/// or around a line break; none before `. , ; : ! ? ) ] } %` and the closing
/// quotes `' ’ ”`; none after `( [ {`, the opening quotes `` ` `` `‘ “` and
/// `$ £ €`; and straight double quotes `"` alternate, within a line, between
/// opening (a space before, none after) and closing (none before). So ordinary
/// English comes back as it was written, lower-cased:
/// `join(tokens(in: "He said, \"Hi (there)!\""))` is `he said, "hi (there)!"`.
/// Whitespace is normalised (runs of spaces become one, spaces around line
/// breaks go), and joining the tokens of a joined text changes nothing.
public struct WordTokenizer: Tokenizer {
    public init() {}

    static let lineBreak = "\n"
    static let noSpaceBefore: Set<String> = [".", ",", ";", ":", "!", "?", ")", "]", "}", "%", "'", "’", "”"]
    static let noSpaceAfter: Set<String> = ["(", "[", "{", "`", "‘", "“", "$", "£", "€"]
    static let doubleQuote = "\""

    public func tokens(in text: String) -> [String] {
        let characters = Array(text.lowercased())
        var tokens: [String] = []
        var word = ""
        func endWord() {
            if !word.isEmpty { tokens.append(word) }
            word = ""
        }
        for (index, character) in characters.enumerated() {
            if isWordCharacter(character) {
                word.append(character)
            } else if !word.isEmpty, index + 1 < characters.count,
                      joins(character, before: word.last!, after: characters[index + 1]) {
                word.append(character)
            } else if character == "\n" || character == "\r\n" || character == "\r" {
                endWord()
                tokens.append(Self.lineBreak)
            } else if character.isWhitespace {
                endWord()
            } else {
                endWord()
                tokens.append(String(character))
            }
        }
        endWord()
        return tokens
    }

    public func join(_ tokens: [String]) -> String {
        var text = ""
        var previous: String?
        var previousOpens = false
        var insideQuotes = false
        for token in tokens {
            let isQuote = token == Self.doubleQuote
            let closesQuote = isQuote && insideQuotes
            let lineEdge = previous == nil || previous == Self.lineBreak || token == Self.lineBreak
            if !lineEdge && !previousOpens && !closesQuote && !Self.noSpaceBefore.contains(token) {
                text += " "
            }
            text += token
            previousOpens = Self.noSpaceAfter.contains(token) || (isQuote && !insideQuotes)
            if isQuote { insideQuotes.toggle() }
            if token == Self.lineBreak { insideQuotes = false }
            previous = token
        }
        return text
    }

    private func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    /// Whether `joiner`, between `before` and `after`, belongs to the word.
    private func joins(_ joiner: Character, before: Character, after: Character) -> Bool {
        switch joiner {
        case "'", "’", "-", "_": return isWordCharacter(before) && isWordCharacter(after)
        case ".": return (before.isLetter && after.isLetter) || (before.isNumber && after.isNumber)
        case ",": return before.isNumber && after.isNumber
        default: return false
        }
    }
}
