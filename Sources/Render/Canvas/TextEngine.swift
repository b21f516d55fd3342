import CCairo

/// How a piece of text looks: size in points, weight, colour, and whether it is set in the
/// theme's monospace face. The family is always the theme's: DejaVu Sans, or DejaVu Sans
/// Mono for text that sits on a character grid (a character-level model's input, its
/// samples, its next-character guesses), so every figure and handout uses one typeface.
public struct TextStyle: Equatable, Sendable {
    public var size: Double
    public var bold: Bool
    public var color: Color
    public var monospace: Bool
    public init(size: Double, bold: Bool = false, color: Color = .black, monospace: Bool = false) {
        self.size = size; self.bold = bold; self.color = color; self.monospace = monospace
    }
}

/// Where a text's box sits relative to the anchor point.
public enum TextAnchor: Sendable {
    case topLeft, top, topRight, left, center, right, bottomLeft, bottom, bottomRight

    /// Fractions of the text box's width and height that lie left of / above the anchor.
    var offsets: (Double, Double) {
        switch self {
        case .topLeft: return (0, 0)
        case .top: return (0.5, 0)
        case .topRight: return (1, 0)
        case .left: return (0, 0.5)
        case .center: return (0.5, 0.5)
        case .right: return (1, 0.5)
        case .bottomLeft: return (0, 1)
        case .bottom: return (0.5, 1)
        case .bottomRight: return (1, 1)
        }
    }
}

/// Pango text on a Cairo context: one reusable layout, exact families ("DejaVu Sans" and
/// "DejaVu Sans Mono"), and the
/// font options fixed on every context. Cairo 1.16 caches a face with the options of the
/// first surface that used it, so leaving them implicit makes PNG pixels depend on whether
/// a PDF was drawn earlier in the process (../shared/CAIRO.md).
final class TextEngine {
    private let cr: OpaquePointer
    private let layout: OpaquePointer
    private let family: String
    private let monospaceFamily: String
    private var fonts: [String: OpaquePointer] = [:]

    init(context cr: OpaquePointer, family: String, monospaceFamily: String) {
        self.cr = cr
        self.family = family
        self.monospaceFamily = monospaceFamily
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_set_font_options(cr, options)
        layout = pango_cairo_create_layout(cr)
        pango_cairo_context_set_font_options(pango_layout_get_context(layout), options)
        pango_layout_context_changed(layout)
        cairo_font_options_destroy(options)
    }

    deinit {
        for font in fonts.values { pango_font_description_free(font) }
        g_object_unref(UnsafeMutableRawPointer(layout))
    }

    /// A font description with an absolute size in canvas units (not 96-dpi "points").
    private func font(_ style: TextStyle) -> OpaquePointer {
        let key = "\(style.size)-\(style.bold)-\(style.monospace)"
        if let cached = fonts[key] { return cached }
        let description = pango_font_description_new()!
        pango_font_description_set_family(description, style.monospace ? monospaceFamily : family)
        pango_font_description_set_weight(description, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        pango_font_description_set_absolute_size(description, style.size * Double(PANGO_SCALE))
        fonts[key] = description
        return description
    }

    /// Loads `text` into the layout; `wrapWidth` nil means a single unwrapped line.
    private func prepare(_ text: String, _ style: TextStyle, wrapWidth: Double?, markup: Bool) {
        pango_cairo_update_layout(cr, layout)
        pango_layout_set_font_description(layout, font(style))
        if let w = wrapWidth {
            pango_layout_set_width(layout, Int32(w * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        } else {
            pango_layout_set_width(layout, -1)
        }
        if markup {
            pango_layout_set_markup(layout, text, -1)
        } else {
            // Markup leaves an attribute list on the layout; kept, it would restyle the
            // next plain text at byte offsets that may split a UTF-8 character.
            pango_layout_set_attributes(layout, nil)
            pango_layout_set_text(layout, text, -1)
        }
    }

    private func layoutSize() -> Size {
        var ink = PangoRectangle(), logical = PangoRectangle()
        pango_layout_get_extents(layout, &ink, &logical)
        return Size(Double(logical.width) / Double(PANGO_SCALE), Double(logical.height) / Double(PANGO_SCALE))
    }

    func measure(_ text: String, _ style: TextStyle, wrapWidth: Double? = nil, markup: Bool = false) -> Size {
        prepare(text, style, wrapWidth: wrapWidth, markup: markup)
        return layoutSize()
    }

    /// Draws one line of text placed by `anchor` at `point`, rotated by `angle` radians about it.
    func draw(_ text: String, at point: Point, _ style: TextStyle, anchor: TextAnchor, angle: Double) {
        cairo_save(cr)
        cairo_translate(cr, point.x, point.y)
        if angle != 0 { cairo_rotate(cr, angle) }
        prepare(text, style, wrapWidth: nil, markup: false)
        let size = layoutSize(), (fx, fy) = anchor.offsets
        setColor(style.color)
        cairo_move_to(cr, -fx * size.width, -fy * size.height)
        pango_cairo_show_layout(cr, layout)
        cairo_restore(cr)
    }

    /// Draws a word-wrapped paragraph (Pango markup allowed) with its top-left at `origin`;
    /// returns its height.
    func drawParagraph(_ text: String, at origin: Point, width: Double, _ style: TextStyle, markup: Bool) -> Double {
        prepare(text, style, wrapWidth: width, markup: markup)
        let size = layoutSize()
        setColor(style.color)
        cairo_move_to(cr, origin.x, origin.y)
        pango_cairo_show_layout(cr, layout)
        return size.height
    }

    /// The family fontconfig actually resolved for the requested one (a missing font
    /// falls back silently, so tests check this).
    func resolvedFamily(monospace: Bool) -> String {
        let context = pango_layout_get_context(layout)
        guard let font = pango_context_load_font(context, font(TextStyle(size: 10, monospace: monospace))) else { return "" }
        defer { g_object_unref(UnsafeMutableRawPointer(font)) }
        let description = pango_font_describe(font)
        defer { pango_font_description_free(description) }
        return pango_font_description_get_family(description).map { String(cString: $0) } ?? ""
    }

    private func setColor(_ c: Color) { cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha) }
}

/// Escapes `<`, `>` and `&` so user text can go inside Pango markup.
public func escapeMarkup(_ text: String) -> String {
    guard let escaped = g_markup_escape_text(text, -1) else { return text }
    defer { g_free(escaped) }
    return String(cString: escaped)
}
