import Foundation
import NeuralNet
import Render
import Tensor
import Trace

/// A one-input, one-output regression drawn as what it is: the training points and
/// the curve y = f(x) the network computes over them, at the end of training and,
/// if asked, at earlier steps whose weights the trace keeps.
enum RegressionFigures {
    /// The training points, and the model's curve on `gridSize` evenly spaced x
    /// values spanning them after each of `steps` (the nearest step whose weights
    /// the trace keeps) and after the last step.
    static func fitCurves(_ run: TraceFigures, steps: [Int], gridSize: Int = 200) throws -> (points: Series, curves: [Series]) {
        guard let data = try TrainingSetRecord.read(fromTrace: run.folder), let targets = data.targets,
              data.inputs.shape.dropFirst() == [1], targets.shape.dropFirst() == [1] else {
            throw FigureUnavailable("the run kept no one-input, one-output regression training set beside its trace")
        }
        let xs = data.inputs.scalars
        let (lower, upper) = (xs.min()!, xs.max()!)
        let grid = (0..<gridSize).map { lower + (upper - lower) * Float($0) / Float(gridSize - 1) }
        let gridTensor = Tensor(shape: [gridSize, 1], scalars: grid)
        func curve(_ name: String, _ model: Sequential) throws -> Series {
            Series(name: name, x: grid.map(Double.init), y: try model.predict(gridTensor).scalars.map(Double.init))
        }
        let total = (run.reader.steps.last ?? -1) + 1
        let held = run.weightSteps
        let chosen = TraceFigures.nearestSteps(steps, held: held).filter { $0 < total }
        let curves = try chosen.map { try curve("after \($0) steps", try run.model(atStep: $0)) }
            + [try curve("after \(total) steps (final)", try run.model())]
        return (Series(name: "training data", x: xs.map(Double.init), y: targets.scalars.map(Double.init)), curves)
    }

    /// Option `steps`: earlier steps to draw the curve at (default: none).
    /// The data set `sine` draws y = sin(x) + noise: its sine is drawn as the target.
    static func regressionFit(_ c: FigureContext) throws -> Figure {
        let (points, curves) = try fitCurves(c.main, steps: c.integers("steps") ?? [])
        let isSine = c.main.reader.manifest.run.hyperparameters["dataset"] == SyntheticDataset.sine.rawValue
        let target = curves.last.flatMap { grid in
            isSine ? Series(name: "target: sin(x)", x: grid.x, y: grid.x.map { sin($0) }) : nil
        }
        return try CurveFit(title: "The network's function y = f(x) over its \(points.x.count) training points",
                            xLabel: "x", yLabel: "y", points: points, curves: curves, target: target)
    }
}
