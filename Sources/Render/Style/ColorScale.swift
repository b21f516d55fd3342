/// A colormap together with the data range it spans: `t = (v - lower) / (upper - lower)`.
/// Signed data uses a symmetric range `[-m, m]` with `m = max |v|`, so zero is always the
/// colormap's centre (white) and equal magnitudes get equal colour strength.
public struct ColorScale: Sendable {
    public var colormap: Colormap
    public var lower: Double
    public var upper: Double
    /// Colour for NaN / infinite values.
    public var missing: Color

    /// A range that is empty or reversed (`upper ≤ lower`, as for all-equal data) becomes
    /// `[lower, lower + max(1, |lower|)]`, so `lower` gets the first colour and the width is
    /// never zero: at `lower = 1e30`, `lower + 1` is `lower` again and `t` would be 0/0.
    public init(colormap: Colormap, lower: Double, upper: Double, missing: Color) {
        self.colormap = colormap
        self.lower = lower
        self.upper = upper > lower ? upper : lower + max(1, abs(lower))
        self.missing = missing
    }

    /// Diverging scale `[-m, m]` over the finite values; all-zero data gets `[-1, 1]`.
    public static func symmetric(_ values: [Float], theme: Theme) -> ColorScale {
        let m = Double(values.maxAbsFinite)
        return ColorScale(colormap: theme.diverging, lower: -(m > 0 ? m : 1), upper: m > 0 ? m : 1,
                          missing: theme.missingValue)
    }

    /// Sequential scale over `[min, max]` of the finite values (or `[0, max]` if `fromZero`).
    public static func sequential(_ values: [Float], theme: Theme, fromZero: Bool = false,
                                  colormap: Colormap? = nil) -> ColorScale {
        let (lo, hi) = values.finiteRange ?? (0, 1)
        return ColorScale(colormap: colormap ?? theme.sequential, lower: fromZero ? min(0, Double(lo)) : Double(lo),
                          upper: Double(hi), missing: theme.missingValue)
    }

    public func color(_ value: Double) -> Color {
        guard value.isFinite else { return missing }
        return colormap.color(at: (value - lower) / (upper - lower))
    }

    public func colors(_ values: [Float]) -> [Color] { values.map { color(Double($0)) } }
}

extension Array where Element == Float {
    /// `(min, max)` of the finite elements, nil if there are none.
    var finiteRange: (Float, Float)? {
        var lo = Float.infinity, hi = -Float.infinity
        for v in self where v.isFinite { lo = Swift.min(lo, v); hi = Swift.max(hi, v) }
        return lo <= hi ? (lo, hi) : nil
    }

    /// `max |v|` over the finite elements (0 if none).
    var maxAbsFinite: Float {
        var m: Float = 0
        for v in self where v.isFinite { m = Swift.max(m, abs(v)) }
        return m
    }

    var hasFiniteValue: Bool { contains { $0.isFinite } }
}
