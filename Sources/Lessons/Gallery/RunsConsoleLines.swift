/// The runs table as the lines `learn lesson` prints after training, so the console reports
/// each variant with the same figures as the gallery page and the handout: a sweep's variants
/// by the validation figures that choose among them (the test set is the chosen run's alone),
/// other lessons' variants by validation (where held back) and test figures, a GAN's by its
/// late losses, outputs and modes. Cells the table leaves empty ("–") are left out; a
/// diverged variant gives training's own account of where it diverged.
public enum RunsConsoleLines {
    /// `variant NAME: validation accuracy 91.3 %, validation loss 0.2741`, one per variant,
    /// in the table's order; empty for a lesson with none.
    public static func variants(spec: LessonSpec, summary: LessonRunSummary) -> [String] {
        let table = RunsTable(spec: spec, summary: summary)
        guard !table.isEmpty else { return [] }
        // The settings columns come first; what the run gave follows.
        let firstResult = summary.adversarial != nil ? 4 : RunsTable.settingsHeader.count
        return zip(table.rows.dropFirst(), summary.variants).map { row, variant in
            // A diverged run says where and why, as training reported it.
            if let divergence = variant.divergence { return "variant \(row[0]): \(divergence)" }
            let results = zip(table.header, row).dropFirst(firstResult)
                .filter { $0.1 != "–" }
                .map { header, cell in "\(lowercasedFirst(header)) \(cell)" }
            return "variant \(row[0]): " + results.joined(separator: ", ")
        }
    }

    /// "Validation accuracy" → "validation accuracy"; symbols such as `L_D`, `D(x)` stay.
    static func lowercasedFirst(_ header: String) -> String {
        guard let first = header.first, first.isUppercase, header.dropFirst().first?.isLowercase == true else {
            return header
        }
        return first.lowercased() + header.dropFirst()
    }
}
