/// How figures write the characters a text model reads and writes. A space, newline or
/// tab is as much a token as a letter, so where a blank would look like a missing label
/// it is drawn as a symbol that DejaVu Sans Mono has: `␣` space, `⏎` newline (also `\r`
/// and `\r\n`), `⇥` tab, `�` any other control character.
public enum VisibleText {
    /// `token` with its invisible characters replaced, one symbol per character (a grid
    /// cell each). `spaces: false` keeps spaces as they are, for running text whose cells
    /// show the gaps themselves (coloured text, samples).
    public static func visible(_ token: String, spaces: Bool = true) -> String {
        String(token.map { visible($0, spaces: spaces) })
    }

    static func visible(_ character: Character, spaces: Bool) -> Character {
        if character == " " { return spaces ? "␣" : " " }
        if character.isNewline { return "⏎" }
        if character == "\t" { return "⇥" }
        if character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { return "�" }
        return character
    }
}
