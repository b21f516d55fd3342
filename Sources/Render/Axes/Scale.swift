import Foundation

/// How data values map to positions along an axis.
public enum ScaleKind: Sendable {
    /// `p = (v - lo) / (hi - lo)`.
    case linear
    /// `p = (log v - log lo) / (log hi - log lo)`, for quantities spanning decades
    /// (gradient norms, learning rates); non-positive values cannot be placed.
    case log
}

/// A one-dimensional map from a data domain onto a span of canvas coordinates.
public struct Scale: Sendable {
    public let kind: ScaleKind
    public let lower: Double
    public let upper: Double
    /// Canvas coordinates of `lower` and `upper` (y axes run upwards: start > end).
    public let start: Double
    public let end: Double
    /// The axis counts whole things (epochs): ticks never fall between two of them.
    public let wholeNumbers: Bool

    public init(kind: ScaleKind, lower: Double, upper: Double, start: Double, end: Double, wholeNumbers: Bool = false) {
        self.kind = kind; self.lower = lower; self.upper = upper; self.start = start; self.end = end
        self.wholeNumbers = wholeNumbers
    }

    /// Canvas coordinate of `value`; nil if it cannot be placed (non-finite, or ≤ 0 on log).
    public func position(_ value: Double) -> Double? {
        guard value.isFinite, kind == .linear || value > 0 else { return nil }
        return start + fraction(value) * (end - start)
    }

    private func fraction(_ v: Double) -> Double {
        switch kind {
        case .linear: return (v - lower) / (upper - lower)
        case .log: return (Foundation.log(v) - Foundation.log(lower)) / (Foundation.log(upper) - Foundation.log(lower))
        }
    }

    public func ticks(target: Int = 6) -> [Double] {
        kind == .linear ? Ticks.linear(lower, upper, target: target, minimumStep: wholeNumbers ? 1 : 0)
            : Ticks.log(lower, upper, target: target)
    }

    public func tickLabel(_ value: Double, among ticks: [Double]) -> String {
        // Powers of ten alone read as 10⁻³ … 10²; ticks between them (20, 50) as numbers.
        if kind == .log {
            let powers = ticks.allSatisfy { abs(Foundation.log10($0) - Foundation.log10($0).rounded()) < 1e-9 }
            return powers && ticks.count > 1 ? Ticks.scientific(value) : Ticks.plain(value)
        }
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : Swift.max(abs(value), 1)
        return Ticks.label(value, step: step)
    }

    /// The data domain of `values` with a margin (5 % of the span on linear axes, a
    /// fraction of a decade on log axes), so no point sits on the frame. A flat series
    /// gets a unit-wide domain around its value. Nil if no value can be placed.
    public static func domain(of values: [Double], kind: ScaleKind, padding: Double = 0.05) -> (Double, Double)? {
        let usable = values.filter { $0.isFinite && (kind == .linear || $0 > 0) }
        guard let lo = usable.min(), let hi = usable.max() else { return nil }
        switch kind {
        case .linear:
            if hi == lo { return (lo - 0.5 * Swift.max(abs(lo), 1), hi + 0.5 * Swift.max(abs(hi), 1)) }
            let pad = (hi - lo) * padding
            return (lo - pad, hi + pad)
        case .log:
            let (a, b) = (Foundation.log10(lo), Foundation.log10(hi))
            let pad = Swift.max((b - a) * padding, 0.15)
            return (pow(10, a - pad), pow(10, b + pad))
        }
    }
}
