import Foundation

/// Tick positions and labels with "nice" numbers: steps of 1, 2 or 5 times a power of ten
/// (the choice a person makes by hand), and powers of ten on log axes.
public enum Ticks {
    /// The nice step for about `target` intervals over `span`: 1, 2, 5 × 10ᵏ.
    public static func niceStep(span: Double, target: Int) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(target, 1))
        let power = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / power
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10
        return nice * power
    }

    /// Multiples of the nice step inside `[lower, upper]`. `minimumStep` keeps the step
    /// from going finer (1 on an axis of whole quantities such as epochs: no tick at 1.5).
    public static func linear(_ lower: Double, _ upper: Double, target: Int = 6, minimumStep: Double = 0) -> [Double] {
        let step = max(niceStep(span: upper - lower, target: target), minimumStep)
        let first = (lower / step - 1e-9).rounded(.up)
        let last = (upper / step + 1e-9).rounded(.down)
        guard first <= last else { return [] }
        // Multiplying the integer index avoids accumulated error (0.30000000000000004).
        return stride(from: first, through: last, by: 1).map { ($0 * step).snappedToZero(step) }
    }

    /// Powers of ten inside `[lower, upper]` (both > 0); every other one if there are many.
    /// Across at most about three decades, the powers' 2×, 3× and 5× multiples too, or as
    /// many of them as `target` allows: 20, 30, 50, 100 on a perplexity axis from 18 to 110,
    /// where ticks at 10 and 100 alone left the values between them unreadable. Where not even
    /// three such ticks fit inside (less than about a decade), linear 1-2-5 steps.
    public static func log(_ lower: Double, _ upper: Double, target: Int = 6) -> [Double] {
        let lo = log10(lower).rounded(.up), hi = log10(upper).rounded(.down)
        if hi - lo <= 2 {
            let powers: [Double] = stride(from: log10(lower).rounded(.down), through: hi, by: 1).map { pow(10, $0) }
            let (from, through) = (lower * (1 - 1e-9), upper * (1 + 1e-9))
            let choices: [[Double]] = [[1, 2, 3, 5], [1, 2, 5], [1, 3], [1]]
            for multiples in choices {
                let all: [Double] = powers.flatMap { (p: Double) -> [Double] in multiples.map { (m: Double) -> Double in m * p } }
                let ticks = all.filter { (t: Double) -> Bool in t >= from && t <= through }
                if ticks.count >= 3, ticks.count <= max(target, 3) { return ticks }
            }
        }
        guard hi - lo >= 1 else { return linear(lower, upper, target: max(target / 2, 3)) }
        let every = max(1, Int(((hi - lo + 1) / Double(target)).rounded(.up)))
        return stride(from: lo, through: hi, by: Double(every)).map { pow(10, $0) }
    }

    /// A label for `value` on an axis whose ticks are `step` apart: as many decimals as the
    /// step needs, no trailing noise, scientific form for very large or small magnitudes.
    public static func label(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 { return scientific(value) }
        let decimals = max(0, min(6, Int((-log10(step) + 0.999).rounded(.down))))
        return minusSign(String(format: "%.\(decimals)f", value))
    }

    /// `10³`, `2×10⁻⁴`: what a log-axis or tiny value reads as on a board.
    public static func scientific(_ value: Double) -> String {
        let exponent = Int(log10(abs(value)).rounded(.down))
        let mantissa = value / pow(10, Double(exponent))
        let power = "10" + superscript(exponent)
        if abs(abs(mantissa) - 1) < 1e-9 { return (mantissa < 0 ? "−" : "") + power }
        return minusSign(String(format: "%.3g", mantissa)) + "×" + power
    }

    /// A number as written by hand, without trailing zeros (0.03, 20, 0.5), scientific for
    /// very large or small magnitudes: the 1-2-5 ticks of a log axis.
    public static func plain(_ value: Double) -> String {
        let magnitude = abs(value)
        if value != 0 && (magnitude >= 1e5 || magnitude < 1e-3) { return scientific(value) }
        return minusSign(String(format: "%g", value))
    }

    /// A compact label with about `digits` significant digits (colorbar ends, cell values);
    /// whole numbers (counts) print in full.
    public static func compact(_ value: Double, digits: Int = 3) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 { return scientific(value) }
        if value == value.rounded() || magnitude >= pow(10, Double(digits)) {
            return minusSign(String(format: "%.0f", value))
        }
        // Exponent after rounding to `digits` significant digits (0.99999 → 1.00, not 1.000).
        let rounded = Double(String(format: "%.\(digits)g", magnitude)) ?? magnitude
        let decimals = max(0, digits - 1 - Int(log10(rounded).rounded(.down)))
        return minusSign(String(format: "%.\(decimals)f", value))
    }

    /// A count in thousands, rounded to the nearest (95 956 → "96k", 116 820 → "117k"), for
    /// a legend that names a model's size; a count under 1000 prints in full.
    public static func thousands(_ count: Int) -> String {
        count < 1000 ? "\(count)" : "\((count + 500) / 1000)k"
    }

    /// `value` with a fixed number of decimals and a true minus (table cells, where a
    /// column of numbers should line up).
    public static func fixed(_ value: Double, decimals: Int) -> String {
        minusSign(String(format: "%.\(max(decimals, 0))f", value == 0 ? 0 : value))
    }

    /// Decimals that show values up to `largest` in magnitude with about three digits;
    /// 0 when every value is a whole number (counts).
    public static func decimals(forValues values: [Float]) -> Int {
        let finite = values.filter(\.isFinite)
        if finite.allSatisfy({ $0 == $0.rounded() }) { return 0 }
        let largest = finite.map(abs).max() ?? 0
        return largest >= 100 ? 0 : largest >= 10 ? 1 : 2
    }

    private static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(abs(n)).map { digits[Int(String($0))!] }
    }

    /// Typographic minus (U+2212): a hyphen looks too short beside digits.
    private static func minusSign(_ s: String) -> String {
        s.hasPrefix("-") ? "−" + s.dropFirst() : s
    }
}

extension Double {
    /// `-0.0` and values within rounding noise of zero become exactly 0.
    func snappedToZero(_ step: Double) -> Double { abs(self) < step * 1e-9 ? 0 : self }
}
