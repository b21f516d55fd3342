import Render

/// What one surface of the `optimizer-paths` plot runs: which optimizers, at which
/// learning rates, from where and for how many steps. Options of the lesson file
/// override the surface's defaults, which were chosen to show each method's classic
/// behaviour there.
struct PathSettings {
    var surface: TestSurface
    var optimizers: [OptimizerName]
    var learningRates: [Double]
    var start: SIMD2<Double>
    var steps: Int

    static let classicOptimizers: [OptimizerName] = [.sgd, .momentum, .rmsprop, .adam]

    /// Start, step count and learning rates (by optimizer) that show each method's
    /// character on `surface`. SGD's rate is near the largest it survives: across
    /// Rosenbrock's valley the curvature is about 1000 (a step lr·g overshoots once
    /// lr > 2/1000), and on Beale's steep wall at (2, 2) lr 0.01 throws it off the map.
    static func defaults(_ surface: TestSurface) -> (start: SIMD2<Double>, steps: Int, rate: (OptimizerName) -> Double) {
        switch surface {
        case .rosenbrock:
            return ([-1.2, 1], 1000, { name in
                switch name {
                case .sgd, .momentum, .nesterov: return 0.001
                case .rmsprop: return 0.01
                case .adam: return 0.1
                }
            })
        case .beale:
            return ([2, 2], 500, { name in
                switch name {
                case .sgd, .momentum, .nesterov: return 0.001
                case .rmsprop: return 0.01
                case .adam: return 0.1
                }
            })
        case .saddle:
            return ([-1.5, 0.001], 150, { _ in 0.05 })
        }
    }

    /// One settings value per surface the figure's options name.
    static func from(_ c: FigureContext) throws -> [PathSettings] {
        guard let names = c.texts("surface"), !names.isEmpty else {
            throw FigureUnavailable("optimizer-paths needs `surface:` (\(TestSurface.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let optimizers = c.texts("optimizers")?.compactMap(OptimizerName.init(rawValue:)) ?? classicOptimizers
        guard (1...ContourPlot.pathCategories.count).contains(optimizers.count) else {
            throw FigureUnavailable("optimizer-paths draws 1 to \(ContourPlot.pathCategories.count) optimizers, not \(optimizers.count)")
        }
        let rates = c.numbers("learning_rates")
        if let rates, rates.count != 1 && rates.count != optimizers.count {
            throw FigureUnavailable("learning_rates: give one rate for all or one per optimizer (\(optimizers.count)), not \(rates.count)")
        }
        guard rates?.allSatisfy({ $0 > 0 }) ?? true else { throw FigureUnavailable("learning_rates must be positive") }
        let start = c.numbers("start")
        if let start, start.count != 2 { throw FigureUnavailable("start: give two numbers, x and y") }
        return names.compactMap(TestSurface.init(rawValue:)).map { surface in
            let d = defaults(surface)
            return PathSettings(surface: surface, optimizers: optimizers,
                                learningRates: optimizers.indices.map { i in rates.map { $0.count == 1 ? $0[0] : $0[i] } ?? d.rate(optimizers[i]) },
                                start: start.map { SIMD2($0[0], $0[1]) } ?? d.start,
                                steps: max(1, c.integers("steps")?.first ?? d.steps))
        }
    }

    func walks() -> [OptimizerPath] {
        zip(optimizers, learningRates).map { name, rate in
            OptimizerPath.walk(on: surface, optimizer: name, learningRate: rate, from: start, steps: steps)
        }
    }

    /// Dots every 1, 2, 5, 10, 20, 50, … steps: at most about 50 dots per path.
    var markerEvery: Int {
        var decade = 1
        while true {
            for n in [1, 2, 5] where steps <= 50 * n * decade { return n * decade }
            decade *= 10
        }
    }
}
