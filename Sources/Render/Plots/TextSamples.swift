/// Text a model wrote, one sample per row beside its label: a character-level model's
/// writing at steps 0, 500 and 5000, or one prompt continued at temperatures 0.5, 1 and
/// 1.5. The prompt, when there is one, is set bold in the theme's first categorical
/// colour and the continuation in plain ink, so what the model added stands apart; a key
/// under the title says so.
///
/// Samples are set in the monospace face and wrapped at the figure's width, or at
/// `lineLength` characters if that is shorter (see `TextGrid`); a newline shows as a
/// muted `⏎` and ends its line. A sample longer than `maxLines` lines is cut with `…`,
/// and the label column says how many characters were left out.
///
///     let samples = try TextSamples(title: "What the model writes as it trains", samples: [
///         .init(label: "step 0", continuation: sample0),
///         .init(label: "step 500", continuation: sample500),
///         .init(label: "step 5000", prompt: "ROMEO:\n", continuation: sample5000),
///     ], lineLength: 80, maxLines: 5)
public struct TextSamples: Figure {
    public struct Sample: Sendable {
        /// What distinguishes the sample: "step 500", "T = 0.5".
        public var label: String
        /// The text the model was given to continue ("" for none).
        public var prompt: String
        /// What the model generated after the prompt.
        public var continuation: String
        public init(label: String, prompt: String = "", continuation: String) {
            self.label = label; self.prompt = prompt; self.continuation = continuation
        }
    }

    public let title: String
    public let subtitle: String?
    public let samples: [Sample]
    /// At most this many characters per line (nil: as many as the width allows).
    public let lineLength: Int?
    /// Lines shown per sample before it is cut with an ellipsis.
    public let maxLines: Int

    public init(title: String, subtitle: String? = nil, samples: [Sample], lineLength: Int? = nil, maxLines: Int = 6) throws {
        let figure = "text samples '\(title)'"
        guard !samples.isEmpty else { throw RenderError.emptyData(figure: figure, what: "the list of samples") }
        for sample in samples where sample.prompt.isEmpty && sample.continuation.isEmpty {
            throw RenderError.emptyData(figure: figure, what: "the text of sample '\(sample.label)'")
        }
        guard maxLines >= 1 else { throw RenderError.invalidSize(what: "\(figure): lines per sample", value: Double(maxLines)) }
        if let lineLength, lineLength < 2 { throw RenderError.invalidSize(what: "\(figure): line length", value: Double(lineLength)) }
        self.title = title; self.subtitle = subtitle; self.samples = samples; self.lineLength = lineLength; self.maxLines = maxLines
    }

    private var hasPrompts: Bool { samples.contains { !$0.prompt.isEmpty } }

    /// Font size, line height, the label column's width and each sample's wrapped text.
    struct Layout {
        var fontSize: Double
        var advance: Double
        var lineHeight: Double
        var labelWidth: Double
        var grids: [TextGrid]
    }

    /// "+312 chars" under a cut sample's label: how much the ellipsis hides.
    static func cutNote(_ grid: TextGrid) -> String? { grid.hiddenCharacters > 0 ? "+\(grid.hiddenCharacters) chars" : nil }

    func layout(width: Double, theme: Theme) -> Layout {
        let size = theme.tickSize + 1, advance = theme.monospaceAdvance * size
        let noteWidth = theme.monospaceAdvance * theme.smallSize * Double("+99999 chars".count)
        let labelWidth = max(Double(samples.map(\.label.count).max() ?? 0) * advance, noteWidth) + 2 * theme.gap
        let fit = Int(((width - 2 * theme.margin - labelWidth) / advance).rounded(.down)) - 1
        let columns = min(lineLength ?? fit, fit)
        let grids = samples.map { TextGrid(tokens: ($0.prompt + $0.continuation).map(String.init), columns: columns, maxLines: maxLines) }
        return Layout(fontSize: size, advance: advance, lineHeight: (size * 1.4).rounded(), labelWidth: labelWidth, grids: grids)
    }

    private var header: FigureHeader { FigureHeader(title: title, subtitle: subtitle) }

    private func keyHeight(_ theme: Theme) -> Double { hasPrompts ? theme.labelSize * 1.6 : 0 }

    private func sampleHeight(_ grid: TextGrid, _ l: Layout) -> Double { Double(grid.lines.count) * l.lineHeight }

    public func height(forWidth width: Double, theme: Theme) -> Double {
        let l = layout(width: width, theme: theme)
        let text = l.grids.map { sampleHeight($0, l) }.reduce(0, +) + Double(samples.count - 1) * 2 * theme.gap
        return header.height(width: width - 2 * theme.margin, theme: theme) + keyHeight(theme) + text + 2 * theme.margin
    }

    func promptStyle(_ theme: Theme, size: Double) -> TextStyle {
        TextStyle(size: size, bold: true, color: theme.categoryColor(0), monospace: true)
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let body = header.draw(on: canvas, in: frame.inset(by: theme.margin))
        let l = layout(width: frame.width, theme: theme)
        var y = body.minY
        if hasPrompts {
            let key = promptStyle(theme, size: theme.tickSize)
            canvas.text("prompt", at: Point(body.minX, y), key)
            canvas.text("given to the model, then what it generated", at: Point(body.minX + theme.monospaceWidth("prompt ", size: key.size), y),
                        TextStyle(size: theme.tickSize, color: theme.mutedInk))
            y += keyHeight(theme)
        }
        let labelStyle = TextStyle(size: l.fontSize, bold: true, color: theme.ink, monospace: true)
        let plain = TextStyle(size: l.fontSize, color: theme.ink, monospace: true)
        let muted = TextStyle(size: l.fontSize, color: theme.mutedInk, monospace: true)
        let prompt = promptStyle(theme, size: l.fontSize)
        for (sample, grid) in zip(samples, l.grids) {
            if y > body.minY + keyHeight(theme) {
                canvas.line(from: Point(body.minX, y - theme.gap), to: Point(body.maxX, y - theme.gap), theme.gridLine, width: 1)
            }
            canvas.text(sample.label, at: Point(body.minX, y + l.lineHeight / 2), labelStyle, anchor: .left)
            if let note = Self.cutNote(grid) {
                canvas.text(note, at: Point(body.minX, y + l.lineHeight * 1.5), TextStyle(size: theme.smallSize, color: theme.mutedInk, monospace: true),
                            anchor: .left)
            }
            let left = body.minX + l.labelWidth, characters = Array(sample.prompt + sample.continuation)
            for line in grid.lines {
                for (c, cell) in line.enumerated() where cell.character != " " {
                    // Marks the grid drew for whitespace, and the ellipsis, are muted.
                    let style: TextStyle
                    if let k = cell.offset, characters[k] == cell.character {
                        style = k < sample.prompt.count ? prompt : plain
                    } else {
                        style = muted
                    }
                    canvas.text(String(cell.character), at: Point(left + (Double(c) + 0.5) * l.advance, y + l.lineHeight / 2), style,
                                anchor: .center)
                }
                y += l.lineHeight
            }
            y += 2 * theme.gap
        }
    }
}
