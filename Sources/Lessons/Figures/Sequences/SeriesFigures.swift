import Foundation
import NeuralNet
import Render
import Tensor
import Trace

/// Figures of a model that predicts the next value of a series at every step (the
/// `sine-waves` data): its one-step predictions on validation sequences, and a forecast
/// fed back on itself, far past one window, against the clean signal.
enum SeriesFigures {
    /// Each probe sequence (held out): the noisy input, the next value it should
    /// predict, and the trained model's prediction at every step.
    static func predictions(_ c: FigureContext) throws -> Figure {
        let (_, input) = try c.main.probeStep()
        guard input.rank == 3, input.shape[2] == 1 else {
            throw FigureUnavailable("the probe is not a series of single values [sequences, steps, 1]")
        }
        let model = try c.main.model()
        let predicted = try model.forward(input, context: .inference)
        let (count, time) = (input.shape[0], input.shape[1])
        let steps = (0..<time).map(Double.init)
        let panels = try (0..<count).map { n -> Figure in
            let x = (0..<time).map { Double(input.scalars[n * time + $0]) }
            let y = (0..<time).map { Double(predicted.scalars[n * time + $0]) }
            let rmse = (zip(x.dropFirst(), y).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(time - 1)).squareRoot()
            return try LineChart(title: "sequence \(n + 1): RMS error \(String(format: "%.3f", rmse))",
                                 xLabel: "step", yLabel: "value",
                                 series: [Series(name: "input (noisy)", x: steps, y: x),
                                          Series(name: "prediction of the next value", x: steps.map { $0 + 1 }, y: y)],
                                 categories: [0, 1]) // the forecast figure keeps these roles' colours
        }
        // Short titles: at the figure's text size the longer ones ran off the right edge.
        return try SmallMultiples(title: "One step ahead on \(count) validation sequences",
                                  subtitle: "the prediction made at step t is drawn at t + 1, under the value it predicts; "
                                      + "the noise cannot be predicted: a perfect model would follow the clean wave "
                                      + "and miss each value by about the noise", panels: panels, columns: 2)
    }

    /// The model reads the first window of a long held-out series, then keeps going on
    /// its own predictions (each appended, the window sliding): where does it drift from
    /// the clean signal?
    static func forecast(_ c: FigureContext) throws -> Figure {
        guard let series = try SeriesSampleRecord.read(fromTrace: c.main.folder) else {
            throw FigureUnavailable("the trace keeps no held-out series")
        }
        let model = try c.main.model()
        guard model.inputShape.count == 2, model.inputShape[1] == 1 else {
            throw FigureUnavailable("the model does not read a series of single values")
        }
        let window = model.inputShape[0]
        guard series.values.count > window + 1 else { throw FigureUnavailable("the held-out series is shorter than a window") }
        var values = Array(series.values.prefix(window))
        while values.count < series.values.count {
            let y = try model.forward(Tensor(shape: [1, window, 1], scalars: Array(values.suffix(window))), context: .inference)
            values.append(y.scalars[window - 1])
        }
        let steps = (0..<series.values.count).map(Double.init)
        let forecast = Array(values[window...]).map(Double.init)
        var chart = try LineChart(title: "Fed back on itself: the model's forecast after reading \(window) steps",
                             xLabel: "step", yLabel: "value",
                             series: [Series(name: "clean signal", x: steps, y: series.clean.map(Double.init)),
                                      Series(name: "what the model read (noisy)", x: Array(steps.prefix(window)),
                                             y: series.values.prefix(window).map(Double.init)),
                                      Series(name: "forecast from its own predictions",
                                             x: Array(steps[window...]), y: forecast)],
                             // One role, one colour across the lesson: the noisy input blue and the
                             // model's predictions orange as in the one-step figure, the clean
                             // signal (what neither figure's model sees) grey, as references are.
                             categories: [ReferenceLine.category, 0, 1])
        // A long series whose point is where the forecast drifts along x: flatter than a
        // chart's usual 0.55, so that it ends the handout page under the comparison
        // figure instead of opening a page of its own.
        chart.aspect = 0.42
        return chart
    }
}
