import NeuralNet
import Render
import Tensor

/// Why cross-entropy, not squared error, trains classifiers: one example of class 1
/// whose logit z sweeps from very wrong to very right, scored by the engine's own
/// losses. The numbers come from `BinaryCrossEntropy`, `MeanSquaredError` and the
/// sigmoid's backward pass, so the figure shows what training would compute.
enum LossFigures {
    /// Loss and dL/dz at one logit z, for an example whose true class is 1.
    struct LogitResponse: Equatable {
        var logit: Float
        /// p = σ(z), the predicted probability of the true class.
        var probability: Float
        /// Binary cross-entropy on the logit: L = −log p, dL/dz = p − 1.
        var crossEntropy: Float
        var crossEntropyGradient: Float
        /// Squared error on the probability: L = (p − 1)², dL/dz = 2(p − 1)·p(1 − p).
        var squaredError: Float
        var squaredErrorGradient: Float
    }

    /// The two losses at logit `z`, each evaluated as a one-example batch.
    static func response(logit z: Float) throws -> LogitResponse {
        let logit = Tensor(shape: [1, 1], scalars: [z])
        let target = LossTarget.classes([1])
        let crossEntropy = try BinaryCrossEntropy().evaluate(logit, target)
        let p = Activation.sigmoid.apply(logit)
        let squared = try MeanSquaredError().evaluate(p, target)
        // dL/dz = dL/dp · σ(z)(1 − σ(z)): the sigmoid's backward pass.
        let squaredGradient = Activation.sigmoid.backward(squared.gradient, output: p)
        return LogitResponse(logit: z, probability: p.scalars[0],
                             crossEntropy: crossEntropy.value, crossEntropyGradient: crossEntropy.gradient.scalars[0],
                             squaredError: squared.value, squaredErrorGradient: squaredGradient.scalars[0])
    }

    /// `count` evenly spaced logits from `lower` to `upper`, with both losses at each.
    static func responses(from lower: Double, to upper: Double, count: Int = 161) throws -> [LogitResponse] {
        try (0..<count).map { i in try response(logit: Float(lower + (upper - lower) * Double(i) / Double(count - 1))) }
    }

    /// The colours (theme categories) of the cross-entropy and squared-error curves.
    /// Option `runs: [cross-entropy run, squared-error run]` gives them those runs'
    /// colours, so one loss has one colour across the lesson (the losses lesson's
    /// classifier runs are vermillion and black in its run figures); without it the
    /// curves take colours no run of the lesson takes, so they are not read as runs.
    static func curveCategories(_ c: FigureContext) throws -> [Int] {
        guard c.texts("runs") != nil else { return c.spareCategories(2) }
        let runs = try c.selectedRuns()
        guard runs.count == 2 else {
            throw FigureUnavailable("option 'runs' needs two runs, the cross-entropy run then the squared-error run (got \(runs.count))")
        }
        return runs.map { c.category(ofRun: $0.name) }
    }

    /// Option `logits: [lower, upper]` (default −8 to 8): two panels over z, the losses
    /// and the size of their gradients on a log scale; option `runs` as in `curveCategories`.
    static func lossGradients(_ c: FigureContext) throws -> Figure {
        let range = c.numbers("logits") ?? [-8, 8]
        guard range.count == 2, range[0] < range[1] else {
            throw FigureUnavailable("option 'logits' needs two numbers, lower < upper (got \(range))")
        }
        let points = try responses(from: range[0], to: range[1])
        let z = points.map { Double($0.logit) }
        func series(_ name: String, _ value: (LogitResponse) -> Float) -> Series {
            Series(name: name, x: z, y: points.map { Double(value($0)) })
        }
        let categories = try curveCategories(c)
        let losses = try LineChart(title: "Loss", xLabel: "logit z of the true class", yLabel: "loss L", series: [
            series("cross-entropy −log p", \.crossEntropy), series("squared error (1 − p)²", \.squaredError),
        ], categories: categories)
        let gradients = try LineChart(title: "Gradient size |∂L/∂z| (log scale)", xLabel: "logit z of the true class",
                                      yLabel: "|∂L/∂z|", series: [
            series("cross-entropy: 1 − p", { abs($0.crossEntropyGradient) }),
            series("squared error: 2(1 − p)·p(1 − p)", { abs($0.squaredErrorGradient) }),
        ], yScale: .log, categories: categories)
        return try SmallMultiples(
            title: "One example of class 1, from confidently wrong (left) to confidently right (right)",
            subtitle: "p = σ(z) is the predicted probability of the true class: z = −6 gives p = 0.0025, z = 0 gives 0.5, z = 6 gives 0.9975",
            panels: [losses, gradients], columns: 2)
    }
}
