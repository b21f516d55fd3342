/// A classic function of two parameters on which optimizers are compared: its value,
/// its analytic gradient, where its minimum lies, and the window a contour plot shows.
///
/// - `rosenbrock`: f = (1 − x)² + 100·(y − x²)², a long curved valley whose floor
///   falls gently towards the minimum f(1, 1) = 0 while its walls are 100 times steeper.
/// - `beale`: f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)², flat in
///   the middle, with walls that rise like y⁶ and a minimum f(3, ½) = 0 in a narrow
///   curved valley.
/// - `saddle`: f = x² + y⁴/4 − y²/2, a saddle point at the origin (uphill along y = 0,
///   downhill along x = 0) between two minima f(0, ±1) = −¼.
public enum TestSurface: String, CaseIterable, Sendable {
    case rosenbrock, beale, saddle

    public func value(_ x: Double, _ y: Double) -> Double {
        switch self {
        case .rosenbrock:
            return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
        case .beale:
            let (a, b, c) = bealeTerms(x, y)
            return a * a + b * b + c * c
        case .saddle:
            return x * x + y * y * y * y / 4 - y * y / 2
        }
    }

    /// (∂f/∂x, ∂f/∂y), written out from the formulas above.
    public func gradient(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        switch self {
        case .rosenbrock:
            // ∂f/∂x = −2(1 − x) − 400·x·(y − x²);  ∂f/∂y = 200·(y − x²)
            return (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))
        case .beale:
            // With a = 1.5 − x + xy, b = 2.25 − x + xy², c = 2.625 − x + xy³:
            // ∂f/∂x = 2a(y − 1) + 2b(y² − 1) + 2c(y³ − 1);  ∂f/∂y = 2a·x + 2b·2xy + 2c·3xy²
            let (a, b, c) = bealeTerms(x, y)
            return (2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1),
                    2 * a * x + 4 * b * x * y + 6 * c * x * y * y)
        case .saddle:
            // ∂f/∂x = 2x;  ∂f/∂y = y³ − y
            return (2 * x, y * y * y - y)
        }
    }

    private func bealeTerms(_ x: Double, _ y: Double) -> (Double, Double, Double) {
        (1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y * y * y)
    }

    /// The minimum the paths should reach (for the saddle, the one at y = +1).
    public var minimum: (x: Double, y: Double) {
        switch self {
        case .rosenbrock: return (1, 1)
        case .beale: return (3, 0.5)
        case .saddle: return (0, 1)
        }
    }

    public var minimumValue: Double { value(minimum.x, minimum.y) }

    /// The formula as figures title it.
    public var formula: String {
        switch self {
        case .rosenbrock: return "(1 − x)² + 100(y − x²)²"
        case .beale: return "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²"
        case .saddle: return "x² + y⁴/4 − y²/2"
        }
    }

    public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    /// The window a contour plot shows.
    public var xRange: ClosedRange<Double> {
        switch self {
        case .rosenbrock: return -1.5...1.5
        case .beale: return -4.5...4.5
        case .saddle: return -2...2
        }
    }

    public var yRange: ClosedRange<Double> {
        switch self {
        case .rosenbrock: return -0.5...2
        case .beale: return -4.5...4.5
        case .saddle: return -1.6...1.6
        }
    }

    /// Whether the values span so many decades (Rosenbrock and Beale reach 10³–10⁵ at
    /// the edges of their window, but ≈ 0 along the valley) that contours are only
    /// readable on a logarithmic scale.
    public var spansDecades: Bool { self != .saddle }
}
