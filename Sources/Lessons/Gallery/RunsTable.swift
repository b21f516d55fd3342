import Foundation

/// The main run and each variant of a lesson as table rows — what was changed and
/// what it gave — shared by the gallery page and the handout so both agree. Only
/// lessons with variants show it.
struct RunsTable {
    static let header = ["Run", "Optimizer", "Learning rate", "Batch", "Epochs", "Test accuracy", "Test loss"]

    let rows: [[String]]

    init(spec: LessonSpec, summary: LessonRunSummary) {
        let main = [spec.baseline, spec.training.optimizer.rawValue, Self.rate(summary.learningRate), "\(summary.batchSize)",
                    "\(summary.history.count)", Self.accuracy(summary.testAccuracy, summary.divergence),
                    Self.loss(summary.testLoss)]
        rows = [main] + summary.variants.map { v in
            [v.name, v.optimizer, Self.rate(v.learningRate), "\(v.batchSize)", "\(v.history.count)",
             Self.accuracy(v.testAccuracy, v.divergence), Self.loss(v.testLoss)]
        }
    }

    var isEmpty: Bool { rows.count < 2 }

    static func rate(_ value: Double) -> String { String(format: "%g", value) }
    static func loss(_ value: Float?) -> String { value.map { String(format: "%.4f", $0) } ?? "–" }
    static func accuracy(_ value: Float?, _ divergence: String?) -> String {
        divergence != nil ? "diverged" : KeyResults.accuracy(value)
    }
}
