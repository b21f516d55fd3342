import Foundation

/// The main run and each variant of a lesson as table rows — what was changed and
/// what it gave — shared by the gallery page and the handout so both agree. Only
/// lessons with variants show it.
struct RunsTable {
    static let standardHeader = ["Run", "Optimizer", "Learning rate", "Batch", "Epochs", "Test accuracy", "Test loss"]
    static let adversarialHeader = ["Run", "Learning rate G / D", "d_steps", "Steps", "L_D", "L_G", "D(x)", "D(G(z))",
                                    "Modes"]

    let header: [String]
    let rows: [[String]]

    init(spec: LessonSpec, summary: LessonRunSummary) {
        if let gan = summary.adversarial {
            header = Self.adversarialHeader
            rows = [Self.adversarialRow(spec.baseline, gan, steps: summary.steps, divergence: summary.divergence)]
                + summary.variants.map { v in
                    v.adversarial.map { Self.adversarialRow(v.name, $0, steps: v.steps, divergence: v.divergence) }
                        ?? [v.name] + Array(repeating: "–", count: Self.adversarialHeader.count - 1)
                }
            return
        }
        header = Self.standardHeader
        let main = [spec.baseline, spec.training.optimizer.rawValue, Self.rate(summary.learningRate), "\(summary.batchSize)",
                    "\(summary.history.count)", Self.accuracy(summary.testAccuracy, summary.divergence),
                    Self.loss(summary.testLoss)]
        rows = [main] + summary.variants.map { v in
            [v.name, v.optimizer, Self.rate(v.learningRate), "\(v.batchSize)", "\(v.history.count)",
             Self.accuracy(v.testAccuracy, v.divergence), Self.loss(v.testLoss)]
        }
    }

    var isEmpty: Bool { rows.count < 2 }

    /// A GAN run: its rates, d_steps, steps, the late means of L_D, L_G, D(x), D(G(z)), and the modes covered.
    static func adversarialRow(_ name: String, _ gan: AdversarialResult, steps: Int, divergence: String?) -> [String] {
        let modes = divergence != nil ? "diverged" : gan.modesCovered.map { "\($0) of \(gan.modes ?? 0)" } ?? "–"
        return [name, "\(rate(gan.generatorLearningRate)) / \(rate(gan.discriminatorLearningRate))",
                "\(gan.discriminatorSteps)", "\(steps)"]
            + [gan.lossD, gan.lossG, gan.dReal, gan.dFake].map { String(format: "%.2f", $0) } + [modes]
    }

    static func rate(_ value: Double) -> String { String(format: "%g", value) }
    static func loss(_ value: Float?) -> String { value.map { String(format: "%.4f", $0) } ?? "–" }
    static func accuracy(_ value: Float?, _ divergence: String?) -> String {
        divergence != nil ? "diverged" : KeyResults.accuracy(value)
    }
}
