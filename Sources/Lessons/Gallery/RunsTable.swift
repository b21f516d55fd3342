import Foundation
import NeuralNet

/// The main run and each variant of a lesson as table rows — what was changed and
/// what it gave — shared by the gallery page and the handout so both agree. Only
/// lessons with variants show it.
///
/// Runs are compared where they were compared while training: a lesson that holds a
/// validation part back shows each run's validation accuracy and loss (of the epoch whose
/// weights the run kept) beside the test figures; a sweep, which chooses a setting from
/// those validation figures, shows the test set's verdict for the chosen main run only.
/// Losses are data losses (no L2 penalty: `Trainer.evaluate`).
struct RunsTable {
    static let settingsHeader = ["Run", "Optimizer", "Learning rate", "Batch", "Epochs"]
    static let testHeader = ["Test accuracy", "Test loss"]
    static let validationHeader = ["Validation accuracy", "Validation loss"]
    static let adversarialHeader = ["Run", "Learning rate G / D", "d_steps", "Steps", "L_D", "L_G", "D(x)", "D(G(z))",
                                    "Modes"]

    let header: [String]
    let rows: [[String]]
    /// One sentence under the table saying which data its columns come from; nil for a GAN.
    var note: String? = nil

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
        let validated = summary.validationExamples != nil
        let testedMainOnly = spec.sweep != nil
        header = Self.settingsHeader + (validated ? Self.validationHeader : []) + Self.testHeader
        let main = Run(name: spec.baseline, optimizer: spec.training.optimizer.rawValue, learningRate: summary.learningRate,
                       batchSize: summary.batchSize, history: summary.history, restoredEpoch: summary.restoredEpoch,
                       testLoss: summary.testLoss, testAccuracy: summary.testAccuracy, divergence: summary.divergence)
        let variants = summary.variants.map { v in
            Run(name: v.name, optimizer: v.optimizer, learningRate: v.learningRate, batchSize: v.batchSize,
                history: v.history, restoredEpoch: v.restoredEpoch, testLoss: testedMainOnly ? nil : v.testLoss,
                testAccuracy: testedMainOnly ? nil : v.testAccuracy, divergence: v.divergence)
        }
        rows = ([main] + variants).map { $0.row(validated: validated) }
        note = Self.note(validationExamples: summary.validationExamples, testExamples: summary.testExamples,
                         testedMainOnly: testedMainOnly)
    }

    var isEmpty: Bool { rows.count < 2 }

    /// One classifier or regression run as the table reads it.
    struct Run {
        var name, optimizer: String
        var learningRate: Double
        var batchSize: Int
        var history: [NeuralNet.EpochMetrics]
        var restoredEpoch: Int?
        var testLoss, testAccuracy: Float?
        var divergence: String?

        func row(validated: Bool) -> [String] {
            var cells = [name, optimizer, RunsTable.rate(learningRate), "\(batchSize)", "\(history.count)"]
            if validated {
                // The epoch whose weights the run ends with: the restored one, else the last.
                let kept = restoredEpoch.flatMap { e in history.first { $0.epoch == e } } ?? history.last
                cells += [RunsTable.accuracy(kept?.validationAccuracy, divergence), RunsTable.loss(kept?.validationLoss)]
            }
            return cells + [RunsTable.accuracy(testAccuracy, divergence), RunsTable.loss(testLoss)]
        }
    }

    static func note(validationExamples: Int?, testExamples: Int, testedMainOnly: Bool) -> String {
        guard let validation = validationExamples else {
            return "Accuracy and loss on the \(testExamples) test examples; this lesson holds no validation set back."
        }
        let losses = "Losses are the data loss, without any L2 penalty. "
        if testedMainOnly {
            return "The runs are compared on the \(validation) validation examples held out of the training data; "
                + losses + "The test set (\(testExamples) examples) is used once, for the chosen setting (the first row)."
        }
        return "Validation: the \(validation) examples held out of the training data, at the epoch whose weights "
            + "each run kept; test: the \(testExamples) test examples, once after training. " + losses
    }

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
