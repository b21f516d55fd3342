/// A colormap: 256 colours indexed by a value in 0...1, looked up exactly as matplotlib
/// does (`index = min(⌊t·256⌋, 255)`), so our viridis is pixel-for-pixel matplotlib's.
/// Maps given by fewer stops (RdBu_r has 11) are first resampled to 256 entries by linear
/// interpolation between evenly spaced stops, as `LinearSegmentedColormap` does.
public struct Colormap: Sendable {
    public let name: String
    public let table: [Color]

    public init(name: String, stops: [(Double, Double, Double)]) {
        self.name = name
        let colors = stops.map { Color(red: $0.0, green: $0.1, blue: $0.2) }
        guard colors.count != 256 else { table = colors; return }
        table = (0..<256).map { j in
            let position = Double(j) / 255 * Double(colors.count - 1)
            let lower = min(Int(position), colors.count - 2)
            return colors[lower].mixed(with: colors[lower + 1], position - Double(lower))
        }
    }

    /// The colour at `t` (clamped to 0...1).
    public func color(at t: Double) -> Color {
        let index = Int((min(max(t, 0), 1) * 256).rounded(.down))
        return table[min(index, 255)]
    }

    /// matplotlib's viridis (exact table) for magnitudes.
    public static let viridis = Colormap(name: "viridis", stops: viridisTable)
    /// matplotlib's RdBu_r for signed values: blue < 0 < red, near-white at 0.
    public static let diverging = Colormap(name: "RdBu_r", stops: rdBuReversedStops)
}
