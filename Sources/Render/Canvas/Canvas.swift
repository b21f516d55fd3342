import CCairo

/// The one drawing surface of the renderer: a Cairo context in canvas units (points),
/// backed by a PNG image or a PDF page, so every figure draws with the same code on both.
/// Primitives are deliberately few: rectangles, lines, paths, circles, text, and pixel
/// images scaled with nearest-neighbour (the default bilinear filter would blur pixels
/// that a student should see as squares).
public final class Canvas {
    /// Drawing area in canvas units.
    public let size: Size
    /// The look figures read their sizes and colours from; `withTheme` changes it for a while.
    public private(set) var theme: Theme
    /// The smallest text drawn so far, in canvas units: a style's size times the scale of
    /// every `transformed` block around it (a panel laid out wide and drawn small). A
    /// figure's PNG reports it, so the handout can tell the size its text prints at.
    public private(set) var smallestTextSize: Double?
    /// The product of the scales of the `transformed` blocks being drawn in.
    private var textScale = 1.0
    let context: CairoContext
    private let text: TextEngine
    private var cr: OpaquePointer { context.pointer }

    init(context: CairoContext, size: Size, theme: Theme) {
        self.context = context
        self.size = size
        self.theme = theme
        text = TextEngine(context: context.pointer, family: theme.fontFamily, monospaceFamily: theme.monospaceFamily)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: size.width, height: size.height) }

    // MARK: Shapes

    public func fill(_ rect: Rect, _ color: Color) {
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        fillPath(color)
    }

    public func stroke(_ rect: Rect, _ color: Color, width: Double) {
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        strokePath(color, width: width, dash: [])
    }

    public func line(from a: Point, to b: Point, _ color: Color, width: Double, dash: [Double] = []) {
        polyline([a, b], color, width: width, dash: dash)
    }

    /// A connected line through `points` (nothing for fewer than two).
    public func polyline(_ points: [Point], _ color: Color, width: Double, dash: [Double] = []) {
        guard points.count > 1 else { return }
        addPath(points)
        strokePath(color, width: width, dash: dash)
    }

    public func fillPolygon(_ points: [Point], _ color: Color) {
        guard points.count > 2 else { return }
        addPath(points)
        cairo_close_path(cr)
        fillPath(color)
    }

    public func circle(center: Point, radius: Double, fill: Color?, stroke: Color? = nil, lineWidth: Double = 1) {
        cairo_new_sub_path(cr)
        cairo_arc(cr, center.x, center.y, radius, 0, 2 * Double.pi)
        if let fill { setColor(fill); stroke == nil ? cairo_fill(cr) : cairo_fill_preserve(cr) }
        if let stroke { strokePath(stroke, width: lineWidth, dash: []) }
        cairo_new_path(cr)
    }

    /// A straight arrow from `a` to `b` with a filled head of length `head`.
    public func arrow(from a: Point, to b: Point, _ color: Color, width: Double, head: Double) {
        let dx = b.x - a.x, dy = b.y - a.y, length = (dx * dx + dy * dy).squareRoot()
        guard length > 0 else { return }
        let ux = dx / length, uy = dy / length
        let base = Point(b.x - ux * head, b.y - uy * head)
        line(from: a, to: base, color, width: width)
        let half = head * 0.45
        fillPolygon([b, Point(base.x - uy * half, base.y + ux * half),
                     Point(base.x + uy * half, base.y - ux * half)], color)
    }

    /// Runs `body` with drawing clipped to `rect`.
    public func clipped(to rect: Rect, _ body: () throws -> Void) rethrows {
        cairo_save(cr)
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(cr)
        defer { cairo_restore(cr) }
        try body()
    }

    /// Runs `body` in a coordinate system moved to `offset` and scaled by `scale`
    /// (how a figure laid out at one width is placed into a smaller box on a PDF page).
    public func transformed(offset: Point, scale: Double, _ body: () throws -> Void) rethrows {
        cairo_save(cr)
        cairo_translate(cr, offset.x, offset.y)
        cairo_scale(cr, scale, scale)
        let outer = textScale
        textScale *= scale
        defer { cairo_restore(cr); textScale = outer }
        try body()
    }

    /// Runs `body` with `theme` as the canvas's theme, then restores the previous one
    /// (a panel drawn with larger text than the figure around it).
    public func withTheme(_ theme: Theme, _ body: () throws -> Void) rethrows {
        let previous = self.theme
        self.theme = theme
        defer { self.theme = previous }
        try body()
    }

    // MARK: Text

    public func text(_ string: String, at point: Point, _ style: TextStyle,
                     anchor: TextAnchor = .topLeft, angle: Double = 0) {
        noteTextSize(style.size, of: string)
        text.draw(string, at: point, style, anchor: anchor, angle: angle)
    }

    public func measure(_ string: String, _ style: TextStyle) -> Size {
        text.measure(string, style)
    }

    /// Draws a word-wrapped paragraph into `width` starting at `origin` and returns its
    /// height. With `markup`, Pango tags (`<b>`, `<i>`, `<sup>`, `<tt>`) are honoured;
    /// escape user text with `escapeMarkup`.
    @discardableResult
    public func paragraph(_ string: String, at origin: Point, width: Double, _ style: TextStyle,
                          markup: Bool = false) -> Double {
        noteTextSize(style.size, of: string)
        return text.drawParagraph(string, at: origin, width: width, style, markup: markup)
    }

    /// Keeps `size`, as drawn, when it is the smallest so far (blank text draws nothing).
    private func noteTextSize(_ size: Double, of string: String) {
        guard string.contains(where: { !$0.isWhitespace }) else { return }
        smallestTextSize = min(smallestTextSize ?? .infinity, size * textScale)
    }

    /// The height a paragraph would take in `width`, without drawing it.
    public func paragraphHeight(_ string: String, width: Double, _ style: TextStyle, markup: Bool = false) -> Double {
        text.measure(string, style, wrapWidth: width, markup: markup).height
    }

    /// The font family fontconfig resolved for the theme's family.
    public var resolvedFontFamily: String { text.resolvedFamily(monospace: false) }

    /// The font family fontconfig resolved for the theme's monospace family.
    public var resolvedMonospaceFamily: String { text.resolvedFamily(monospace: true) }

    // MARK: Pixels

    /// Draws `pixels` (row-major, `width × height`; alpha blends over what is below) scaled into
    /// `rect` with nearest-neighbour sampling, so one data value is one crisp square.
    public func image(_ pixels: [Color], width: Int, height: Int, in rect: Rect) throws {
        guard width > 0, height > 0, pixels.count == width * height else {
            throw RenderError.invalidSize(what: "pixel image \(width)×\(height) with \(pixels.count) pixels", value: 0)
        }
        let surface = try CairoSurface.image(width: width, height: height)
        cairo_surface_flush(surface.pointer)
        let stride = Int(cairo_image_surface_get_stride(surface.pointer))
        let base = UnsafeMutableRawPointer(cairo_image_surface_get_data(surface.pointer)!)
        for row in 0..<height {
            let line = (base + row * stride).assumingMemoryBound(to: UInt32.self)
            for col in 0..<width { line[col] = Self.argb(pixels[row * width + col]) }
        }
        cairo_surface_mark_dirty(surface.pointer)
        cairo_save(cr)
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(cr)
        cairo_translate(cr, rect.x, rect.y)
        cairo_scale(cr, rect.width / Double(width), rect.height / Double(height))
        cairo_set_source_surface(cr, surface.pointer, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST)
        cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD)
        cairo_paint(cr)
        cairo_restore(cr)
    }

    /// Packs a colour as Cairo's native-endian ARGB32, which stores premultiplied alpha.
    private static func argb(_ c: Color) -> UInt32 {
        func byte(_ v: Double) -> UInt32 { UInt32((min(max(v, 0), 1) * 255).rounded()) }
        let a = min(max(c.alpha, 0), 1)
        return byte(a) << 24 | byte(c.red * a) << 16 | byte(c.green * a) << 8 | byte(c.blue * a)
    }

    // MARK: Plumbing

    /// Throws if any drawing so far failed (Cairo errors are sticky).
    public func check(_ action: String) throws { try context.check(action) }

    private func addPath(_ points: [Point]) {
        cairo_new_path(cr)
        cairo_move_to(cr, points[0].x, points[0].y)
        for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
    }

    private func fillPath(_ color: Color) {
        setColor(color)
        cairo_fill(cr)
    }

    private func strokePath(_ color: Color, width: Double, dash: [Double]) {
        setColor(color)
        cairo_set_line_width(cr, width)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, dash.isEmpty ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT)
        cairo_set_dash(cr, dash, Int32(dash.count), 0)
        cairo_stroke(cr)
    }

    private func setColor(_ c: Color) { cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha) }
}
