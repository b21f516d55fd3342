import Foundation
import NeuralNet
import Render
import Tensor

/// What each hidden unit of a trained network on 2-D points computes: its
/// output at every point of the input plane, one tile per unit (TensorFlow
/// Playground's neurons). The first hidden layer can only cut the plane with
/// straight lines (a ramp or step along one direction per unit); deeper layers
/// combine those cuts into bends and islands — the reason depth helps.
enum HiddenUnitFigures {
    /// A frame per layer of option `layer` (default: every hidden layer) of the run
    /// named by option `run` (default: the main run), after training; the handout prints
    /// the layers one under the other.
    static func maps(_ c: FigureContext) throws -> NamedFigure {
        let name = c.text("run") ?? c.baseline
        guard let run = c.runs.first(where: { $0.name == name }) else {
            throw FigureUnavailable("no run named '\(name)' (runs: \(c.runs.map(\.name).joined(separator: ", ")))")
        }
        let grid = PlaneGrid(around: try run.figures.testPoints().inputs)
        let model = try run.figures.model()
        let hidden = model.layers.dropLast().filter { $0.kind != "Dropout" }.map(\.name)
        let names = c.texts("layer") ?? hidden
        guard !names.isEmpty else { throw FigureUnavailable("the model has no hidden layer") }
        let frames = try names.map { layerName in
            guard let index = model.layers.firstIndex(where: { $0.name == layerName }) else {
                throw FigureUnavailable("the model has no layer '\(layerName)' (layers: \(model.layers.map(\.name).joined(separator: ", ")))")
            }
            let values = try grid.activations(of: model, layer: index)
            let units = values.shape[2]
            let figure = try PlaneMaps(
                title: "What each unit of \(layerName) computes (\(run.name), trained)",
                subtitle: "unit \(units == 1 ? "1" : "1 to \(units)")'s output at every point of the input plane"
                    + " (x₁ across, x₂ up); one colour scale for all",
                xRange: grid.xRange, yRange: grid.yRange, values: values,
                labels: (1...units).map { "unit \($0)" })
            return FigureFrame(key: layerName, label: layerName, figure: figure)
        }
        let stem = "hidden-units-\(run.name)"
        if frames.count == 1 { return NamedFigure(stem + "-\(frames[0].key)", frames[0].figure) }
        return try FrameSeries.named(stem, title: "What each unit of each hidden layer computes (\(run.name), trained)",
                                     frames: frames, columns: 1, panelDesignWidth: 800)
    }
}
