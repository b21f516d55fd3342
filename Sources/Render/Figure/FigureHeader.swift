/// The title line (bold) and an optional subtitle that say what a figure shows; the same
/// on every plot so a gallery reads consistently. A subtitle longer than the figure is
/// wide wraps onto more lines (Pango, at word boundaries) instead of running off it.
struct FigureHeader {
    var title: String
    var subtitle: String?

    static func subtitleStyle(_ theme: Theme) -> TextStyle { TextStyle(size: theme.labelSize * 0.92, color: theme.mutedInk) }

    /// Height when drawn `width` points wide (the figure's width less its margins).
    func height(width: Double, theme: Theme) -> Double {
        (title.isEmpty ? 0 : theme.titleSize * 1.45) + subtitleHeight(width: width, theme: theme) + theme.gap * 0.6
    }

    /// One line takes `1.4 × labelSize`, as it always has; each further line of a
    /// wrapped subtitle adds the height Pango gives one line.
    private func subtitleHeight(width: Double, theme: Theme) -> Double {
        guard let subtitle else { return 0 }
        let lines = Self.lineCount(subtitle, width: width, theme: theme)
        return theme.labelSize * 1.4 + Double(lines - 1) * Self.lineHeight(theme)
    }

    /// Lines the subtitle takes at `width`, measured with Pango on a scratch canvas
    /// (metrics are unhinted, so they do not depend on the canvas's pixel scale).
    static func lineCount(_ subtitle: String, width: Double, theme: Theme) -> Int {
        guard !subtitle.isEmpty, let scratch = try? ImageCanvas(size: Size(1, 1), scale: 1, theme: theme) else { return 1 }
        let style = subtitleStyle(theme)
        let one = scratch.canvas.measure(subtitle, style).height
        let wrapped = scratch.canvas.paragraphHeight(subtitle, width: max(width, 1), style)
        return max(1, Int((wrapped / max(one, 1e-9)).rounded()))
    }

    private static func lineHeight(_ theme: Theme) -> Double { subtitleStyle(theme).size * 1.164 }

    /// Draws at the top of `frame` and returns the rest of it.
    func draw(on canvas: Canvas, in frame: Rect) -> Rect {
        let theme = canvas.theme
        var y = frame.minY
        if !title.isEmpty {
            canvas.text(title, at: Point(frame.minX, y), theme.titleStyle)
            y += theme.titleSize * 1.45
        }
        if let subtitle {
            canvas.paragraph(subtitle, at: Point(frame.minX, y), width: frame.width, Self.subtitleStyle(theme))
            y += subtitleHeight(width: frame.width, theme: theme)
        }
        return frame.inset(top: y - frame.minY + theme.gap * 0.6)
    }
}
