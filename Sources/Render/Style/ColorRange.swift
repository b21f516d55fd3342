/// How a plot of values picks its colour scale: the range is part of what a figure
/// claims, so plots that show states, gates or probabilities take it explicitly.
///
///     .unitInterval                          // LSTM gates, probabilities: viridis on [0, 1]
///     .symmetric()                           // hidden or cell state: diverging on [−m, m]
///     .symmetric(limit: 2.4)                 // several panels on one signed scale
///     .scale(.symmetric(a + b, theme: t))    // any scale built by the caller
public enum ColorRange: Sendable {
    /// Signed data gets `.symmetric()`, data inside [0, 1] `.unitInterval`, any other
    /// non-negative data `.magnitude()`.
    case automatic
    /// Values in [0, 1] (sigmoid gates, probabilities) on viridis over exactly [0, 1], so a
    /// gate half open looks the same in every figure. A finite value outside throws.
    case unitInterval
    /// Signed values on the diverging map over `[−limit, limit]`, white at 0; `limit` nil
    /// takes `max |v|` of the data. Pass one limit to panels that are compared (FIGURES.md
    /// habit 3); values beyond it take the map's end colours.
    case symmetric(limit: Double? = nil)
    /// Non-negative magnitudes on viridis over `[0, upper]`; `upper` nil takes the data's
    /// maximum. A negative value throws.
    case magnitude(upper: Double? = nil)
    /// A scale built by the caller, e.g. `ColorScale.symmetric` over every panel's values.
    case scale(ColorScale)

    /// The scale for `values` (NaN and infinities ignored; they draw in the missing
    /// colour). Throws `RenderError.badValue` for data the range cannot show honestly and
    /// `invalidSize` for a limit that is not positive and finite.
    func colorScale(for values: [Float], theme: Theme, figure: String, what: String) throws -> ColorScale {
        let (lo, hi) = values.finiteRange.map { (Double($0.0), Double($0.1)) } ?? (0, 0)
        switch self {
        case .automatic:
            let range: ColorRange = lo < 0 ? .symmetric() : hi <= 1 ? .unitInterval : .magnitude()
            return try range.colorScale(for: values, theme: theme, figure: figure, what: what)
        case .unitInterval:
            guard lo >= 0, hi <= 1 else {
                let value = lo < 0 ? lo : hi
                throw RenderError.badValue(figure: figure, what: "a value of \(what)", value: Ticks.compact(value),
                                           expected: "[0, 1] (a gate or probability); use .symmetric() for signed states")
            }
            return ColorScale(colormap: theme.sequential, lower: 0, upper: 1, missing: theme.missingValue)
        case .symmetric(let limit):
            guard let limit else { return .symmetric(values, theme: theme) }
            guard limit.isFinite, limit > 0 else { throw RenderError.invalidSize(what: "\(figure): symmetric colour limit", value: limit) }
            return ColorScale(colormap: theme.diverging, lower: -limit, upper: limit, missing: theme.missingValue)
        case .magnitude(let upper):
            guard lo >= 0 else {
                throw RenderError.badValue(figure: figure, what: "a value of \(what)", value: Ticks.compact(lo),
                                           expected: "a magnitude ≥ 0; use .symmetric() for signed values")
            }
            if let upper, !(upper.isFinite && upper > 0) {
                throw RenderError.invalidSize(what: "\(figure): upper colour limit", value: upper)
            }
            return ColorScale(colormap: theme.sequential, lower: 0, upper: upper ?? hi, missing: theme.missingValue)
        case .scale(let scale):
            return scale
        }
    }
}
