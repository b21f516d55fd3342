/// The title line (bold) and an optional one-line subtitle that say what a figure shows;
/// the same on every plot so a gallery reads consistently.
struct FigureHeader {
    var title: String
    var subtitle: String?

    func height(theme: Theme) -> Double {
        (title.isEmpty ? 0 : theme.titleSize * 1.45) + (subtitle == nil ? 0 : theme.labelSize * 1.4) + theme.gap * 0.6
    }

    /// Draws at the top of `frame` and returns the rest of it.
    func draw(on canvas: Canvas, in frame: Rect) -> Rect {
        let theme = canvas.theme
        var y = frame.minY
        if !title.isEmpty {
            canvas.text(title, at: Point(frame.minX, y), theme.titleStyle)
            y += theme.titleSize * 1.45
        }
        if let subtitle {
            canvas.text(subtitle, at: Point(frame.minX, y), TextStyle(size: theme.labelSize * 0.92, color: theme.mutedInk))
            y += theme.labelSize * 1.4
        }
        return frame.inset(top: y - frame.minY + theme.gap * 0.6)
    }
}
