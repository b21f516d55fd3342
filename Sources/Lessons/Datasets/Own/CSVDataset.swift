import Foundation
import NeuralNet
import SwiftCSV
import Tensor

/// A table of the user's own as a dataset (`dataset: csv`): a header row, then one
/// example per row. Every column that is not the label (`label:`, a classifier's
/// classes) or a target (`targets:`, a regression's outputs) is a numeric feature.
/// Class names are the label's values in order of first appearance, or as `classes`
/// lists them. The rows are split into training and test sets by `testSplit`
/// (seeded); validation comes out of the training part as for every dataset.
///
/// ```yaml
/// data: {dataset: csv, path: iris.csv, label: species, test_split: 0.2}
/// data: {dataset: csv, path: iris.csv, label: species, features: [petal_length, petal_width]}
/// ```
public struct CSVDataset: Equatable, Sendable {
    /// The file as the lesson names it; a relative path is read from the lesson folder.
    public var path: String
    /// The class column (a classifier), or nil with `targets` (a regression).
    public var label: String?
    /// Class names in the order the outputs take them; nil: order of first appearance.
    public var classes: [String]?
    /// Regression target columns.
    public var targets: [String]?
    /// The feature columns to use; nil: every other column.
    public var features: [String]?
    /// Fraction of the rows held out as the test set.
    public var testSplit: Double

    public init(path: String, label: String? = nil, classes: [String]? = nil, targets: [String]? = nil,
                features: [String]? = nil, testSplit: Double = 0.2) {
        self.path = path
        self.features = features
        self.label = label
        self.classes = classes
        self.targets = targets
        self.testSplit = testSplit
    }

    public var isRegression: Bool { targets != nil }

    /// Reads `file` (or `path` under `folder`) and splits its rows into training and test sets.
    public func load(file: URL? = nil, relativeTo folder: URL, seed: UInt64) throws -> DatasetSplit {
        let url = file ?? resolve(path, relativeTo: folder)
        let all = try examples(at: url)
        let (train, test) = all.split(validationFraction: testSplit, seed: seed)
        return DatasetSplit(train: train, test: test)
    }

    /// Every row as an example: features `[rows, features]`, labels or targets `[rows, outputs]`.
    public func examples(at url: URL) throws -> LabeledData {
        let table = try CSVTable(url: url)
        let name = url.path
        let (features, outputs) = try columns(of: table, file: name)
        let nonNumeric = features.filter { Float(table.rows[0][$0].trimmingCharacters(in: .whitespaces)) == nil }
            .map { table.header[$0] }
        guard nonNumeric.isEmpty else { throw OwnDataError.nonNumericColumns(name, columns: nonNumeric) }
        let x = try table.numbers(columns: features, file: name)
        let inputs = Tensor(shape: [table.rows.count, features.count], scalars: x)
        if targets != nil {
            let y = try table.numbers(columns: outputs, file: name)
            return try LabeledData(inputs: inputs, targets: Tensor(shape: [table.rows.count, outputs.count], scalars: y))
        }
        let (labels, names) = try classLabels(table.rows.map { $0[outputs[0]] }, file: name)
        return try LabeledData(inputs: inputs, labels: labels, classNames: names)
    }

    /// The names of the feature columns of the file at `url`, in input order: what a
    /// model trained on it keeps so that figures can name its inputs.
    public func featureNames(at url: URL) throws -> [String] {
        let table = try CSVTable(url: url)
        return try columns(of: table, file: url.path).features.map { table.header[$0] }
    }

    /// The indices of the feature columns (`features`, or every column that is not an
    /// output) and of the output columns (the label, or the targets).
    func columns(of table: CSVTable, file: String) throws -> (features: [Int], outputs: [Int]) {
        func index(_ column: String, _ role: String) throws -> Int {
            guard let i = table.header.firstIndex(of: column) else {
                throw OwnDataError.unknownColumn(file, column: column, role: role, header: table.header)
            }
            return i
        }
        let outputs = try (targets ?? [label!]).map { try index($0, targets == nil ? "the label" : "a target") }
        let features = try self.features?.map { try index($0, "a feature") }
            ?? table.header.indices.filter { !outputs.contains($0) }
        guard !features.isEmpty else { throw OwnDataError.noFeatures(file) }
        return (features, outputs)
    }

    /// Each row's class index, and the class names: as listed, or in order of first appearance.
    func classLabels(_ values: [String], file: String) throws -> ([Int], [String]) {
        var names = classes ?? []
        var index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let labels = try values.enumerated().map { row, raw -> Int in
            let value = raw.trimmingCharacters(in: .whitespaces)
            if let i = index[value] { return i }
            guard classes == nil else {
                throw OwnDataError.unknownClass(file, row: row + 1, value: value, classes: names)
            }
            guard !value.isEmpty else { throw OwnDataError.badValue(file, row: row + 1, column: label!, value: value) }
            index[value] = names.count
            names.append(value)
            return names.count - 1
        }
        guard names.count >= 2 else { throw OwnDataError.oneClass(file, classes: names) }
        return (labels, names)
    }
}

/// A relative path under `folder`; an absolute one (or `~/…`) as it is.
func resolve(_ path: String, relativeTo folder: URL) -> URL {
    let expanded = (path as NSString).expandingTildeInPath
    return expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded)
        : folder.appendingPathComponent(expanded).standardizedFileURL
}

/// A CSV file's header and rows of text, read by SwiftCSV (comma, semicolon or tab,
/// guessed), every row checked to have as many fields as the header.
struct CSVTable {
    var header: [String]
    var rows: [[String]]

    init(url: URL) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw OwnDataError.unreadable(url.path, reason: FileManager.default.fileExists(atPath: url.path)
                                          ? "cannot be read as UTF-8 text" : "no such file")
        }
        let csv: CSV<Enumerated>
        do { csv = try CSV<Enumerated>(string: text, loadColumns: false) } catch {
            throw OwnDataError.malformed(url.path, reason: String(describing: error))
        }
        header = csv.header.map { $0.trimmingCharacters(in: .whitespaces) }
        // SwiftCSV pads short rows to a rectangle; the raw rows show a ragged one.
        var raw: [[String]] = []
        try csv.enumerateAsArray(startAt: 1, rowLimit: nil) { raw.append($0) }
        while let last = raw.last, last.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { raw.removeLast() }
        guard !header.isEmpty, !raw.isEmpty else { throw OwnDataError.noRows(url.path) }
        for (i, row) in raw.enumerated() where row.count != header.count {
            throw OwnDataError.raggedRow(url.path, row: i + 1, fields: row.count, expected: header.count)
        }
        rows = raw
    }

    /// The values of `columns`, row by row, as Floats; a missing or non-numeric one is an error.
    func numbers(columns: [Int], file: String) throws -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(rows.count * columns.count)
        for (r, row) in rows.enumerated() {
            for c in columns {
                guard let v = Float(row[c].trimmingCharacters(in: .whitespaces)), v.isFinite else {
                    throw OwnDataError.badValue(file, row: r + 1, column: header[c], value: row[c])
                }
                out.append(v)
            }
        }
        return out
    }
}
