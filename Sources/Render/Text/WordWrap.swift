/// Breaks one line of text at spaces into lines no wider than a width, measured with
/// Pango on a scratch canvas (unhinted metrics, so the result does not depend on the
/// pixel scale a figure is drawn at). Used for captions under small tiles, where a label
/// such as "pred: triangle (0.97)" is wider than its tile: wrapped, it stays at its size
/// (and readable in print) instead of spilling into its neighbour's caption.
/// A single word wider than the width keeps a line of its own.
public enum WordWrap {
    public static func lines(_ text: String, width: Double, style: TextStyle, theme: Theme) -> [String] {
        guard let scratch = try? ImageCanvas(size: Size(1, 1), scale: 1, theme: theme) else { return [text] }
        let canvas = scratch.canvas
        var lines: [String] = [], current = ""
        for word in text.split(separator: " ").map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if current.isEmpty || canvas.measure(candidate, style).width <= width {
                current = candidate
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.isEmpty ? [text] : lines
    }
}
