import Foundation
import NeuralNet

/// `scalars.csv`: one row per completed step, the columns fixed at the first
/// step: `step, epoch, loss, accuracy, val_loss, val_accuracy, lr` (`test_loss,
/// test_accuracy` in their place in a run whose per-epoch metrics are the test
/// set's, `HeldOutSet`), then the other
/// names reported at that step, sorted (per-parameter `grad_norm/NAME` and
/// `update_norm/NAME`, any extra scalar). A missing value is an empty cell; names
/// first reported after step one have no column. Values are written in Swift's
/// shortest round-trip form, which `float()` and `numpy.loadtxt` read exactly.
public struct ScalarsTable: Equatable, Sendable {
    public static let fileName = "scalars.csv"
    public static let coreColumns = core(.validation)

    /// The fixed first columns of a run whose per-epoch metrics were measured on `heldOut`.
    public static func core(_ heldOut: HeldOutSet) -> [String] {
        [ScalarName.step, ScalarName.epoch, ScalarName.loss, ScalarName.accuracy,
         heldOut.lossName, heldOut.accuracyName, ScalarName.learningRate]
    }

    public var columns: [String]
    /// One array per row, aligned with `columns`; nil for an empty cell.
    public var rows: [[Double?]]

    public init(columns: [String], rows: [[Double?]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// The columns for a run whose first step reported `names`.
    public static func columns(forFirstStep names: Set<String>, heldOut: HeldOutSet = .validation) -> [String] {
        let core = core(heldOut)
        return core + names.subtracting(core).sorted()
    }

    /// `(step, value)` for every row with a value in `column`.
    public func column(_ name: String) -> [(step: Int, value: Double)] {
        guard let index = columns.firstIndex(of: name), let stepIndex = columns.firstIndex(of: ScalarName.step) else {
            return []
        }
        return rows.compactMap { row in
            guard let value = row[index], let step = row[stepIndex] else { return nil }
            return (Int(step), value)
        }
    }

    static func headerLine(_ columns: [String]) -> String {
        columns.joined(separator: ",") + "\n"
    }

    static func line(_ values: [String: Double], columns: [String]) -> String {
        columns.map { name in
            guard let value = values[name] else { return "" }
            if name == ScalarName.step || name == ScalarName.epoch, let whole = Int(exactly: value) { return String(whole) }
            return String(value)
        }.joined(separator: ",") + "\n"
    }

    /// Parses the committed part of `scalars.csv`.
    static func parse(_ text: Substring, file: String) throws -> ScalarsTable {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.first else { return ScalarsTable(columns: coreColumns) }
        var table = ScalarsTable(columns: header.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
        for (number, line) in lines.dropFirst().enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == table.columns.count else {
                throw TraceError.malformedScalars(file: file, line: number + 2)
            }
            table.rows.append(try cells.map { cell in
                if cell.isEmpty { return nil }
                guard let value = Double(cell) else { throw TraceError.malformedScalars(file: file, line: number + 2) }
                return value
            })
        }
        return table
    }
}
