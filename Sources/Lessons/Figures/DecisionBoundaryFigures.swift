import Foundation
import NeuralNet
import Render
import Tensor
import Trace

/// Figures of a classifier on points in the plane: its decision boundary as
/// training goes on (a frame series) (the model rebuilt from the trace's weights at chosen
/// steps), and the final boundaries of several runs side by side — how depth
/// and width change what a network can draw.
enum DecisionBoundaryFigures {
    /// A frame series: the boundary at `frames` (default 10) evenly spaced kept steps, at
    /// the steps of option `steps` (the nearest kept ones; default five spread from 0 to the
    /// end on a log-like scale, where most of the change happens) and after training. The
    /// handout prints the `steps` and the trained model as small multiples, in one row when
    /// they are four or fewer (a row is short enough to share a page with the paragraph
    /// that reads it; two rows of three filled 62 % of a page on their own). Probabilities
    /// have one fixed scale, [0, 1], in every frame.
    static func overTraining(_ c: FigureContext) throws -> NamedFigure {
        let run = c.main
        let points = try run.testPoints()
        let held = run.weightSteps
        guard let last = held.last else { throw FigureUnavailable("the trace keeps no weights (record policy 'none'?)") }
        let wanted = c.integers("steps") ?? [0, last / 64, last / 16, last / 4, last]
        let chosen = TraceFigures.nearestSteps(wanted, held: held)
        let panels = try chosen.map { step in
            // Short titles: four to a row, "… % right" ran into the next panel's title.
            try boundary(of: try run.model(atStep: step), points: points, title: { "step \(step): \($0)" })
        } + [try boundary(of: try run.model(), points: points, title: { "trained: \($0)" })]
        let still = try SmallMultiples(title: "The decision boundary as training goes on",
                                       subtitle: "colour: the class the network predicts at each point (pale where it is unsure);"
                                           + " dots: the \(points.labels.count) test points; titles: the share of them right", panels: panels,
                                       columns: panels.count <= 4 ? panels.count : 3)
        let steps = Set(evenlySpaced(c.integers("frames")?.first ?? 10, held: held) + chosen).sorted()
        let frames = try steps.map { step in
            FigureFrame.step(step, try boundary(of: try run.model(atStep: step), points: points,
                                                title: { "Decision boundary at step \(step): \($0) of the test points right" }))
        } + [FigureFrame(key: "trained", label: "trained", figure: try boundary(
            of: try run.model(), points: points, title: { "Decision boundary after training: \($0) of the test points right" }))]
        return NamedFigure("decision-boundary", still, frames: frames)
    }

    /// The trained boundary of every run of option `runs` (default: all), each titled by
    /// its name and test accuracy; the subtitle gives each run's parameter count (in the
    /// panel titles it would run into the next panel at three panels a row).
    static func comparison(_ c: FigureContext) throws -> Figure {
        var counts: [String] = []
        let panels = try c.selectedRuns().map { run in
            let points = try run.figures.testPoints()
            let count = run.figures.layers.flatMap(\.parameters).map { $0.shape.reduce(1, *) }.reduce(0, +)
            counts.append("\(run.name) \(count)")
            return try boundary(of: try run.figures.model(), points: points, title: { "\(run.name): \($0)" })
        }
        return try SmallMultiples(title: c.text("title") ?? "The trained decision boundary of each run",
                                  subtitle: "each run: its test accuracy; parameters (weights and biases): "
                                      + counts.joined(separator: ", "),
                                  panels: panels)
    }

    /// One decision boundary of `model` over the plane around the test points;
    /// `title` receives the model's test accuracy as text ("93.5 %"), rounded as the runs
    /// table and the summary round it: from the 32-bit value the run records (379 of 400
    /// reads 94.7 % in both, not 94.7 % in one and 94.8 % in the other).
    static func boundary(of model: Sequential, points: TestPoints, title: (String) -> String) throws -> DecisionBoundary {
        let grid = PlaneGrid(around: points.inputs)
        let accuracy = Double(Float(points.accuracy(of: try model.predict(points.inputs))))
        return try DecisionBoundary(title: title(String(format: "%.1f %%", 100 * accuracy)),
                                    xRange: grid.xRange, yRange: grid.yRange,
                                    probabilities: try grid.classProbabilities(of: model),
                                    x: points.x, y: points.y, classes: points.labels, classNames: points.classNames,
                                    axisLabels: points.axisLabels)
    }

    /// `count` of the kept steps spread evenly over them, first and last included.
    static func evenlySpaced(_ count: Int, held: [Int]) -> [Int] {
        guard count > 1, held.count > count else { return count < 1 ? [] : (count == 1 ? Array(held.prefix(1)) : held) }
        return TraceFigures.nearestSteps((0..<count).map { k in held[0] + (held.last! - held[0]) * k / (count - 1) }, held: held)
    }
}

/// A run's test set as points in the plane, from its evaluation record.
struct TestPoints {
    let inputs: Tensor
    let labels: [Int]
    let classNames: [String]
    /// The two inputs' names: a table's column names ("petal_length (standardised)"), else x₁ and x₂.
    var axisLabels: (x: String, y: String) = ("x₁", "x₂")

    var x: [Double] { (0..<labels.count).map { Double(inputs.scalars[2 * $0]) } }
    var y: [Double] { (0..<labels.count).map { Double(inputs.scalars[2 * $0 + 1]) } }

    /// The fraction of points whose predicted class (from `outputs`) is their label.
    func accuracy(of outputs: Tensor) -> Double {
        let right = zip(predictedClasses(outputs), labels).filter { $0 == $1 }.count
        return Double(right) / Double(max(labels.count, 1))
    }
}

extension TraceFigures {
    /// The test points the run stored with its evaluation (2-D inputs only).
    func testPoints() throws -> TestPoints {
        let e = try requireEvaluation()
        guard let inputs = e.inputs, inputs.shape.count == 2, inputs.shape[1] == 2 else {
            throw FigureUnavailable("the run's test inputs are not points in the plane")
        }
        var points = TestPoints(inputs: inputs, labels: e.labels, classNames: e.classNames)
        if let model = try? architecture(), let names = model.inputNames, names.count == 2 {
            // The plane is drawn in the units the network saw: standardised columns say so.
            let unit = model.normalization?.method == .standardize ? " (standardised)" : ""
            points.axisLabels = (names[0] + unit, names[1] + unit)
        }
        return points
    }
}
