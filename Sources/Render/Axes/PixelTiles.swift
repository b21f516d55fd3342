/// Drawing data planes and pictures as images: one value is one nearest-neighbour square.
extension Canvas {
    /// A row-major `width × height` plane of values coloured by `scale`, with a thin frame.
    public func drawValues(_ plane: [Float], width: Int, height: Int, scale: ColorScale, in rect: Rect) throws {
        try image(scale.colors(plane), width: width, height: height, in: rect)
        stroke(rect, theme.mutedInk.withAlpha(0.6), width: 0.5)
    }

    /// An input picture `[h, w]`, `[h, w, 1]` (grey) or `[h, w, 3]` (RGB). Values in 0...1
    /// are drawn as they are; any other range is stretched from its min to its max
    /// (normalised inputs such as (x − μ)/σ). NaN pixels get the theme's missing colour.
    public func drawPicture(_ picture: FloatArray, in rect: Rect, alpha: Double = 1) throws {
        let (h, w) = (picture.shape[0], picture.shape[1])
        let channels = picture.shape.count > 2 ? picture.shape[2] : 1
        let (lo, hi) = picture.values.finiteRange ?? (0, 1)
        let (a, b) = lo >= 0 && hi <= 1 ? (Float(0), Float(1)) : (lo, hi > lo ? hi : lo + 1)
        func unit(_ v: Float) -> Double { Double((v - a) / (b - a)) }
        let pixels: [Color] = (0..<(h * w)).map { i in
            let base = i * channels
            guard picture.values[base..<(base + channels)].allSatisfy(\.isFinite) else { return theme.missingValue }
            if channels >= 3 {
                return Color(red: unit(picture.values[base]), green: unit(picture.values[base + 1]),
                             blue: unit(picture.values[base + 2]), alpha: alpha)
            }
            let g = unit(picture.values[base])
            return Color(red: g, green: g, blue: g, alpha: alpha)
        }
        try image(pixels, width: w, height: h, in: rect)
        stroke(rect, theme.mutedInk.withAlpha(0.6), width: 0.5)
    }
}

/// Checks shared by plots that take pictures: `[h, w]`, `[h, w, 1]` or `[h, w, 3]`, non-empty.
func validatePicture(_ picture: FloatArray, figure: String, what: String) throws {
    let s = picture.shape
    guard (s.count == 2 || (s.count == 3 && (s[2] == 1 || s[2] == 3))), s[0] > 0, s[1] > 0 else {
        throw RenderError.badShape(figure: figure, what: what, shape: s, expected: "[height, width] or [height, width, 1 or 3], non-empty")
    }
    guard picture.values.hasFiniteValue else { throw RenderError.noFiniteValues(figure: figure, what: what) }
}
