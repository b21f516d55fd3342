import Foundation
import Render

/// The `optimizer-paths` plot: the engine's optimizers walking over classic test
/// surfaces (`TestSurface`), drawn as paths on a contour map beside the height
/// f(θ) − f* they have reached at each step. It draws no trace: the paths are
/// computed when the figure is drawn, from the options alone, and are the same
/// every time (no randomness).
///
/// Options: `surface` (one or more of rosenbrock, beale, saddle; required),
/// `optimizers` (up to four of sgd, momentum, nesterov, rmsprop, adam; default the
/// four classics), `learning_rates` (one for all, or one per optimizer), `start`
/// (x, y) and `steps`; each has a default per surface (`PathSettings.defaults`).
/// One surface gives one figure (paths and heights side by side); several give the
/// paths on every surface side by side, then each surface's pair as details.
enum OptimizerPathFigures {
    static let options: [String: LessonPlot.OptionKind] = [
        "surface": .choice(TestSurface.allCases.map(\.rawValue)),
        "optimizers": .choice(OptimizerName.allCases.map(\.rawValue)),
        "learning_rates": .numbers, "start": .numbers, "steps": .integers,
    ]

    /// One surface: its pair of plots. Several: a series with one frame per surface (the
    /// pair), and the contour maps of all of them side by side as the handout's still.
    static func figures(_ c: FigureContext) throws -> NamedFigure {
        let runs = try PathSettings.from(c).map { ($0, $0.walks()) }
        let pairs = try runs.map { settings, walks in
            FigureFrame(key: settings.surface.rawValue, label: settings.surface.rawValue,
                        figure: try pair(settings, walks, categories(settings.optimizers, c)))
        }
        if runs.count == 1 { return NamedFigure("paths-\(runs[0].0.surface.rawValue)", pairs[0].figure) }
        let overview = try SmallMultiples(title: "The same optimizers on \(runs.count) surfaces",
                                          subtitle: markerNote(runs.map(\.0)),
                                          panels: try runs.map { try contour($0, $1, categories($0.optimizers, c)) })
        return NamedFigure("paths", overview, frames: pairs)
    }

    /// The paths on the contour map, beside f(θ) − f* per step on a log axis.
    /// Each optimizer's colour: that of the lesson's first run trained with it, so that its
    /// path here and its run's curves match; the default path colour where no run uses it.
    static func categories(_ optimizers: [OptimizerName], _ c: FigureContext) -> [Int] {
        optimizers.enumerated().map { k, optimizer in
            c.runs.first { $0.figures.reader.manifest.run.hyperparameters["optimizer"] == optimizer.rawValue }
                .map { c.category(ofRun: $0.name) } ?? ContourPlot.pathCategories[k % ContourPlot.pathCategories.count]
        }
    }

    static func pair(_ settings: PathSettings, _ walks: [OptimizerPath], _ colours: [Int]) throws -> Figure {
        try SmallMultiples(title: "\(settings.surface.title): f = \(settings.surface.formula)",
                           subtitle: markerNote([settings]), panels: [try contour(settings, walks, colours), try heights(settings, walks, colours)],
                           columns: 2)
    }

    static func contour(_ settings: PathSettings, _ walks: [OptimizerPath], _ colours: [Int]) throws -> ContourPlot {
        let surface = settings.surface
        let trajectories = walks.map { w in Series(name: w.label, x: w.points.map(\.x), y: w.points.map(\.y)) }
        var plot = try ContourPlot(title: surface.spansDecades ? "\(surface.title) (levels of log₁₀ f)" : surface.title,
                                   xLabel: "x", yLabel: "y", xRange: surface.xRange, yRange: surface.yRange,
                                   values: try map(of: surface), trajectories: trajectories, levelCount: 14,
                                   markerEvery: settings.markerEvery, target: surface.minimum, categories: colours)
        // Equal aspect: a gradient step crosses the contours at a right angle as drawn, so
        // SGD's zigzag across Rosenbrock's valley looks like what it is.
        plot.equalAspect = true
        return plot
    }

    /// f(θₜ) − f* against t: how far above the minimum each optimizer still is. A flat
    /// stretch is a plateau (a saddle, a valley floor); a line that stops diverged.
    /// Heights below `heightFloor` are drawn at it: θ is stored in 32-bit floats, so
    /// smaller differences are rounding, and an exact hit (0) has no place on a log axis.
    static func heights(_ settings: PathSettings, _ walks: [OptimizerPath], _ colours: [Int]) throws -> LineChart {
        let surface = settings.surface
        let series = walks.map { w in
            Series(name: w.label, y: w.points.map { max(surface.value($0.x, $0.y) - surface.minimumValue, heightFloor) })
        }
        // The path panel beside it names the optimizers in the same colours; a second legend
        // under this chart took the room of its plot, and a square panel matches the map's height.
        var chart = try LineChart(title: "Height above the minimum", xLabel: "step", yLabel: "f(θ) − f*",
                                  series: series, yScale: .log, categories: colours)
        chart.showsLegend = false
        chart.aspect = 0.9
        return chart
    }

    /// The surface sampled on a 161 × 161 grid: log₁₀ f where f spans decades (f ≥ 10⁻³
    /// so that the minimum stays finite), f itself otherwise.
    static func map(of surface: TestSurface) throws -> FloatArray {
        let n = 161
        var values: [Float] = []
        values.reserveCapacity(n * n)
        for i in 0..<n {
            let y = surface.yRange.lowerBound + (surface.yRange.upperBound - surface.yRange.lowerBound) * Double(i) / Double(n - 1)
            for j in 0..<n {
                let x = surface.xRange.lowerBound + (surface.xRange.upperBound - surface.xRange.lowerBound) * Double(j) / Double(n - 1)
                let f = surface.value(x, y)
                values.append(Float(surface.spansDecades ? log10(max(f, 1e-3)) : f))
            }
        }
        return try FloatArray(shape: [n, n], values: values)
    }

    static let heightFloor = 1e-10

    static func markerNote(_ settings: [PathSettings]) -> String {
        let strides = Set(settings.map(\.markerEvery))
        let dots = strides.count > 1 ? "dots at even step intervals"
            : strides.first == 1 ? "a dot every step" : "a dot every \(strides.first!) steps"
        return "Square: start; \(dots); ring: after the last step; ×: the minimum."
    }
}
