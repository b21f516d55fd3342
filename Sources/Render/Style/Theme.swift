/// The one look of every figure: typeface, text sizes, margins, line widths, and the
/// colours that carry meaning. Sizes are in points of a figure laid out 800 pt wide (a
/// PNG at the default scale 1.5 is 1200 px wide). The handout prints that figure across
/// its 483-pt column, at 483 / 800 = 0.604 of its size, so the text sizes are chosen to
/// print at 7 pt or more there: tick labels and legends 12 pt → 7.25 pt, small labels
/// 11.6 pt → 7.0 pt, axis labels 13.5 pt → 8.2 pt, titles 17 pt → 10.3 pt.
public struct Theme: Sendable {
    /// Exact family name: a generic alias ("Sans") may resolve to another font on another
    /// machine and change every golden image.
    public var fontFamily = "DejaVu Sans"
    /// The face for text on a character grid (tokens, samples); exact family, as above.
    public var monospaceFamily = "DejaVu Sans Mono"
    /// Advance width of every DejaVu Sans Mono glyph, in em (1233 of 2048 font units),
    /// so grid layouts are computed without a canvas; a test checks it against Pango.
    public var monospaceAdvance = 1233.0 / 2048.0
    public var titleSize = 17.0
    public var labelSize = 13.5
    public var tickSize = 12.0
    public var smallSize = 11.6
    /// The floor for text that shrinks to fit its cell (token labels, probabilities and
    /// values in cells): the small size, which prints at 7.0 pt in the handout. Where a
    /// cell is smaller, labels thin out, strips wrap, or the cell shows only its colour.
    public var minimumTextSize = 11.6
    /// Space around a figure and between panels.
    public var margin = 14.0
    public var gap = 10.0
    public var lineWidth = 1.8
    public var thinLineWidth = 0.8
    public var tickLength = 4.0
    public var background = Color.white
    public var ink = Color(hex: 0x222222)
    public var mutedInk = Color(hex: 0x666666)
    public var gridLine = Color(hex: 0xE3E3E3)
    /// Drawn for NaN or infinite values in images and heatmaps, so missing data is visible
    /// instead of silently taking a colormap colour.
    public var missingValue = Color(hex: 0xFF00FF)
    /// Marks right and wrong predictions (Okabe–Ito bluish green and vermillion).
    public var correct = Color(hex: 0x009E73)
    public var mistake = Color(hex: 0xD55E00)
    /// Colour-blind-safe categorical colours: the Okabe–Ito palette (blue first, yellow
    /// late because it is weak on white), extended by grey and brown to give ten classes.
    public var categorical: [Color] = [0x0072B2, 0xE69F00, 0x009E73, 0xD55E00, 0xCC79A7,
                                       0x56B4E9, 0xF0E442, 0x000000, 0x999999, 0x8C564B].map { Color(hex: $0) }
    /// The hue family of each categorical colour, as the index of the family's first
    /// member: orange and vermillion are one family (0xE69F00 and 0xD55E00 differ by 15° of
    /// hue and read as one colour in a thin line), as are blue and sky blue. Two series in
    /// one figure never take colours of one family (`distinctCategories`).
    public var categoricalFamilies = [0, 1, 2, 1, 4, 0, 6, 7, 8, 9]
    /// Categorical indices in the order a figure's series take them when nothing else
    /// fixes their colours (runs, layers, the lines of a chart of four or more): blue,
    /// vermillion, black, purple, green, then sky, brown, orange, yellow. The first five are
    /// of five hue families, and sky and orange come only after the blue and vermillion of
    /// their families; grey is left out, it marks reference lines.
    public static let distinctCategories = [0, 3, 7, 4, 2, 5, 9, 1, 6]
    /// Magnitudes (activations ≥ 0, probabilities, counts): perceptually uniform.
    public var sequential = Colormap.viridis
    /// Signed values (weights, gradients): centred at zero, white at zero.
    public var diverging = Colormap.diverging

    public init() {}

    public static let standard = Theme()

    /// The same look with every text size multiplied by `factor` (panels of small
    /// multiples, laid out wide and drawn small, keep their text as large as the figure's).
    public func scalingText(by factor: Double) -> Theme {
        var theme = self
        theme.titleSize *= factor
        theme.labelSize *= factor
        theme.tickSize *= factor
        theme.smallSize *= factor
        theme.minimumTextSize *= factor
        return theme
    }

    /// The colour of class `index`; cycles for more classes than colours.
    public func categoryColor(_ index: Int) -> Color {
        categorical[((index % categorical.count) + categorical.count) % categorical.count]
    }

    /// The categorical index of item `index` of `count` that nothing else colours (a chart's
    /// lines, a map's word groups): blue, orange, green for up to three (three hue
    /// families, the order captions name), `distinctCategories` for more, whose first five
    /// are of five families (by index, the fourth would be vermillion beside orange).
    public static func distinctCategory(_ index: Int, of count: Int) -> Int {
        count <= 3 ? index : distinctCategories[index % distinctCategories.count]
    }

    /// Whether categorical colours `a` and `b` are of one hue family (orange and vermillion).
    public func sameHueFamily(_ a: Int, _ b: Int) -> Bool {
        func family(_ i: Int) -> Int { categoricalFamilies[((i % categorical.count) + categorical.count) % categorical.count] }
        return family(a) == family(b)
    }

    /// The colour of layer `index` of `count` (0 nearest the input) in a chart with one
    /// line per layer: the sequential colormap from its dark end (input side) to 0.85 of
    /// the way (output side; its last pale yellow is too faint for a line on white), so
    /// depth reads as a ramp and no layer looks like a run in a categorical colour.
    public func depthColor(_ index: Int, of count: Int) -> Color {
        sequential.color(at: count <= 1 ? 0 : 0.85 * Double(min(max(index, 0), count - 1)) / Double(count - 1))
    }

    /// The colour of the per-epoch held-out (validation) curve in a lesson whose runs take
    /// `runCategories` (in the lesson's order): of orange, purple, green and brown, one whose
    /// family no run takes, or else the one whose first run of that family comes latest (a
    /// late variant is the least often compared), so that "validation" does not look like
    /// a run of the lesson (orange beside a vermillion run did). Yellow is too faint on white.
    public func heldOutCategory(avoiding runCategories: [Int]) -> Int {
        let candidates = [1, 4, 2, 9]
        func firstClash(_ c: Int) -> Int { runCategories.firstIndex { sameHueFamily($0, c) } ?? Int.max }
        return candidates.max { firstClash($0) < firstClash($1) }!
    }

    /// Width of `text` in the monospace face at `size`: one advance per character.
    public func monospaceWidth(_ text: String, size: Double) -> Double {
        Double(text.count) * monospaceAdvance * size
    }

    /// The text colour that reads best on `background`: white or the ink, whichever has
    /// the higher WCAG contrast ratio `(L₁ + 0.05) / (L₂ + 0.05)`. With ink #222222 the
    /// switch happens at relative luminance ≈ 0.21 (viridis' teal takes ink, its blue white).
    public func textColor(on background: Color) -> Color {
        func contrast(_ a: Double, _ b: Double) -> Double { (max(a, b) + 0.05) / (min(a, b) + 0.05) }
        let l = background.relativeLuminance
        return contrast(l, Color.white.relativeLuminance) > contrast(l, ink.relativeLuminance) ? .white : ink
    }

    public var titleStyle: TextStyle { TextStyle(size: titleSize, bold: true, color: ink) }
    public var labelStyle: TextStyle { TextStyle(size: labelSize, color: ink) }
    public var tickStyle: TextStyle { TextStyle(size: tickSize, color: ink) }
    public var smallStyle: TextStyle { TextStyle(size: smallSize, color: mutedInk) }
}
