import Foundation

/// The few numbers a reader wants first, as label/value text rows: test accuracy (none
/// for a regression) and loss, epochs, training time, data. Shared by the gallery page, the index and the
/// handout so they agree on wording and rounding.
struct KeyResults {
    struct Row: Equatable {
        var label: String
        var value: String
    }

    let rows: [Row]

    init(summary: LessonRunSummary) {
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
                        + "\(summary.testExamples) test \(noun)"))
        if let divergence = summary.divergence { rows.append(Row(label: "Stopped early", value: divergence)) }
        self.rows = rows
    }

    /// `test accuracy 97.8 %` for a classifier, `test loss 0.0123` for a regression.
    static func headline(_ summary: LessonRunSummary) -> String {
        if summary.testAccuracy == nil, let loss = summary.testLoss { return String(format: "test loss %.4f", loss) }
        return "test accuracy \(accuracy(summary.testAccuracy))"
    }

    /// `97.8 %`, or a dash when the run never reached evaluation.
    static func accuracy(_ value: Float?) -> String {
        value.map { String(format: "%.1f %%", Double($0) * 100) } ?? "–"
    }
}
