import Foundation
import NeuralNet
import Render
import Tensor

/// A regular grid of points over the part of the input plane where a 2-D dataset
/// lies, in the mesh-grid order `DecisionBoundary` and `PlaneMaps` take: row i
/// (lowest y first), column j, cell (i, j) centred at (x₀ + (j + ½)·Δx, y₀ + (i + ½)·Δy).
/// Evaluating a model on every cell at once (one batch) shows what it computes
/// everywhere, not only at the data.
struct PlaneGrid {
    let xRange: ClosedRange<Double>
    let yRange: ClosedRange<Double>
    let columns: Int
    let rows: Int

    /// The bounding box of `points` (`[n, 2]`) widened by `margin` of its larger
    /// side on every edge, cut into `columns × rows` cells.
    init(around points: Tensor, columns: Int = 100, rows: Int = 100, margin: Double = 0.1) {
        let n = points.shape[0]
        let xs = (0..<n).map { Double(points.scalars[2 * $0]) }, ys = (0..<n).map { Double(points.scalars[2 * $0 + 1]) }
        let (x0, x1) = (xs.min() ?? -1, xs.max() ?? 1), (y0, y1) = (ys.min() ?? -1, ys.max() ?? 1)
        let pad = margin * max(x1 - x0, y1 - y0, 1e-3)
        xRange = (x0 - pad)...(x1 + pad)
        yRange = (y0 - pad)...(y1 + pad)
        self.columns = columns
        self.rows = rows
    }

    var dx: Double { (xRange.upperBound - xRange.lowerBound) / Double(columns) }
    var dy: Double { (yRange.upperBound - yRange.lowerBound) / Double(rows) }

    /// Every cell centre as one input row, `[rows · columns, 2]`, row-major.
    var inputs: Tensor {
        var values: [Float] = []
        values.reserveCapacity(2 * rows * columns)
        for i in 0..<rows {
            for j in 0..<columns {
                values += [Float(xRange.lowerBound + (Double(j) + 0.5) * dx), Float(yRange.lowerBound + (Double(i) + 0.5) * dy)]
            }
        }
        return Tensor(shape: [rows * columns, 2], scalars: values)
    }

    /// The cell holding the point (x, y), clamped to the grid: its row-major index.
    func cellIndex(x: Double, y: Double) -> Int {
        let j = min(columns - 1, max(0, Int((x - xRange.lowerBound) / dx)))
        let i = min(rows - 1, max(0, Int((y - yRange.lowerBound) / dy)))
        return i * columns + j
    }

    /// One value per cell per channel, `[rows · columns, k]` → `[rows, columns, k]`.
    func map(_ values: Tensor) throws -> FloatArray {
        try FloatArray(shape: [rows, columns, values.count / (rows * columns)], values: values.scalars)
    }

    /// The model's class probabilities at every cell, `[rows, columns, classes]`.
    func classProbabilities(of model: Sequential) throws -> FloatArray {
        try map(Lessons.classProbabilities(try model.predict(inputs, batchSize: 2048), endsInSoftmax: model.layers.last is SoftmaxLayer))
    }

    /// What layer `index` of `model` outputs at every cell (the layers before it
    /// applied in turn, in inference mode), `[rows, columns, units]`.
    func activations(of model: Sequential, layer index: Int) throws -> FloatArray {
        var h = inputs
        for layer in model.layers[...index] { h = try layer.forward(h, context: .inference) }
        return try map(h)
    }
}
