/// Running text on a monospace grid, one character per cell, wrapped the way a reader
/// expects: a line holds at most `columns` characters and breaks after the last space
/// that fits; a word longer than a line is cut where the line ends; a newline shows as
/// `⏎` and ends its line. A space or `⏎` arriving when a line is full hangs in one extra
/// cell at its end (so that, in coloured text, its value is still drawn), which is why
/// a grid is `columns + 1` cells wide. Given `maxLines`, longer text keeps its first lines
/// and the last one ends in `…`.
///
/// Cells remember which token they came from, so a token's colour or style follows its
/// characters across a line break. Used by `ColoredText` and `TextSamples`.
struct TextGrid: Equatable {
    struct Cell: Equatable {
        /// What is drawn: the character with newlines, tabs and controls made visible.
        let character: Character
        /// Index of the token the character belongs to; nil for the ellipsis.
        let token: Int?
        /// Index of the character within all characters of the text.
        let offset: Int?
    }

    let columns: Int
    let lines: [[Cell]]
    /// Characters left out because of `maxLines` (0 when the text fits).
    let hiddenCharacters: Int

    /// `columns` below 2 counts as 2 and `maxLines` below 1 as 1 (plots check what users give).
    init(tokens: [String], columns: Int, maxLines: Int? = nil) {
        let columns = max(columns, 2)
        self.columns = columns
        var lines: [[Cell]] = [], line: [Cell] = [], offset = 0
        // Index in `line` just after its last space: where the line may break.
        var lastBreak: Int?
        func endLine() { lines.append(line); line = []; lastBreak = nil }
        for (index, token) in tokens.enumerated() {
            for character in token {
                let cell = Cell(character: VisibleText.visible(character, spaces: false), token: index, offset: offset)
                offset += 1
                let hangs = character == " " || character.isNewline
                if line.count >= columns && !hangs {
                    if let b = lastBreak {
                        let carried = Array(line[b...])
                        line.removeSubrange(b...)
                        endLine()
                        line = carried
                    } else {
                        endLine()
                    }
                }
                line.append(cell)
                if character.isNewline || (hangs && line.count > columns) { endLine() } else if hangs { lastBreak = line.count }
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }

        guard let maxLines = maxLines.map({ max($0, 1) }), lines.count > maxLines else {
            self.lines = lines
            hiddenCharacters = 0
            return
        }
        var kept = Array(lines.prefix(maxLines))
        var last = Array(kept[maxLines - 1].prefix(columns - 1))
        while let end = last.last, end.character == " " || end.character == "⏎" { last.removeLast() }
        last.append(Cell(character: "…", token: nil, offset: nil))
        kept[maxLines - 1] = last
        self.lines = kept
        // Cells run in text order from the first character, so the shown ones are a prefix.
        hiddenCharacters = offset - kept.joined().filter { $0.token != nil }.count
    }

    /// The lines as strings, for tests and for reading a layout at a glance.
    var text: [String] { lines.map { String($0.map(\.character)) } }
}
