import Foundation

/// The few numbers a reader wants first, as label/value text rows: test accuracy (none
/// for a regression) and loss, epochs, training time, data, and what the per-epoch
/// metrics were measured on (validation or test). Shared by the gallery page, the index and the
/// handout so they agree on wording and rounding.
struct KeyResults {
    struct Row: Equatable {
        var label: String
        var value: String
    }

    let rows: [Row]

    init(summary: LessonRunSummary) {
        if let gan = summary.adversarial {
            rows = Self.adversarial(gan, summary)
            return
        }
        if let file = summary.importedFrom {
            rows = [Row(label: "Model", value: "\(file), trained elsewhere and imported from ONNX (not trained by learn)"),
                    Row(label: "Inputs", value: "\(summary.testExamples) image\(summary.testExamples == 1 ? "" : "s") given on the command line")]
            return
        }
        // A regression run has a test loss and no accuracy; a diverged run has neither.
        var rows: [Row] = []
        if summary.testAccuracy != nil || summary.testLoss == nil {
            rows.append(Row(label: "Test accuracy", value: Self.accuracy(summary.testAccuracy)))
        }
        if let loss = summary.testLoss { rows.append(Row(label: "Test loss", value: String(format: "%.4f", loss))) }
        rows.append(Row(label: "Epochs", value: "\(summary.history.count) of \(summary.epochs)"))
        if let seconds = summary.phaseSeconds["training"] {
            rows.append(Row(label: "Training time", value: String(format: "%.1f s", seconds)))
        }
        let noun = summary.exampleNoun ?? LessonDataset(name: summary.dataset)?.exampleNoun ?? "examples"
        rows.append(Row(label: "Data", value: "\(summary.dataset): \(summary.trainExamples) training, "
                        + (summary.validationExamples.map { "\($0) validation, " } ?? "")
                        + "\(summary.testExamples) test \(noun)"))
        rows.append(Row(label: "Per-epoch metrics on", value: summary.validationExamples.map {
            "the validation set: \($0) \(noun) held out of the training data"
        } ?? "the test set (this lesson holds no validation set back)"))
        if let divergence = summary.divergence { rows.append(Row(label: "Stopped early", value: divergence)) }
        self.rows = rows
    }

    /// A GAN's rows: modes covered (ring), the late means of its losses and D's outputs.
    static func adversarial(_ gan: AdversarialResult, _ summary: LessonRunSummary) -> [Row] {
        var rows: [Row] = []
        if let covered = gan.modesCovered, let modes = gan.modes, let on = gan.onModes {
            rows.append(Row(label: "Modes covered after training",
                            value: "\(covered) of \(modes) (\(Int((100 * on).rounded())) % of samples within 3σ of a mode)"))
        }
        rows.append(Row(label: "L_D, L_G (last \(gan.averagedSteps) steps)",
                        value: String(format: "%.2f, %.2f (equilibrium: log 4 ≈ 1.39, log 2 ≈ 0.69)", gan.lossD, gan.lossG)))
        rows.append(Row(label: "D(x), D(G(z)) (last \(gan.averagedSteps) steps)",
                        value: String(format: "%.2f, %.2f (equilibrium: 0.50)", gan.dReal, gan.dFake)))
        rows.append(Row(label: "Steps", value: "\(summary.steps) (\(summary.history.count) epochs)"))
        if let seconds = summary.phaseSeconds["training"] {
            rows.append(Row(label: "Training time", value: String(format: "%.1f s", seconds)))
        }
        rows.append(Row(label: "Data", value: "\(summary.dataset): \(summary.trainExamples) training examples"))
        if let divergence = summary.divergence { rows.append(Row(label: "Stopped early", value: divergence)) }
        return rows
    }

    /// `test accuracy 97.8 %` for a classifier, `test loss 0.0123` for a regression,
    /// `8 of 8 modes` for a GAN on the ring.
    static func headline(_ summary: LessonRunSummary) -> String {
        if summary.importedFrom != nil { return "imported model, not trained here" }
        if let gan = summary.adversarial {
            if let covered = gan.modesCovered, let modes = gan.modes { return "\(covered) of \(modes) modes" }
            return String(format: "L_D %.2f, L_G %.2f", gan.lossD, gan.lossG)
        }
        if summary.testAccuracy == nil, let loss = summary.testLoss { return String(format: "test loss %.4f", loss) }
        return "test accuracy \(accuracy(summary.testAccuracy))"
    }

    /// `97.8 %`, or a dash when the run never reached evaluation.
    static func accuracy(_ value: Float?) -> String {
        value.map { String(format: "%.1f %%", Double($0) * 100) } ?? "–"
    }
}
