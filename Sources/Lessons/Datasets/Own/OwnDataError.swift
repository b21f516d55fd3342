import Foundation

/// A user's own data file or folder that cannot be used as it is: every case names
/// the file (and for a table the row and column) and what is wrong with it.
public enum OwnDataError: Error, CustomStringConvertible, Equatable {
    /// The file or folder does not exist or cannot be read.
    case unreadable(String, reason: String)
    /// The CSV text itself is malformed (an unterminated quote).
    case malformed(String, reason: String)
    /// A header row and at least one row of values are needed.
    case noRows(String)
    /// `label` or a `targets` column that the header does not have.
    case unknownColumn(String, column: String, role: String, header: [String])
    /// A row with another number of fields than the header.
    case raggedRow(String, row: Int, fields: Int, expected: Int)
    /// Feature columns whose first value is not a number.
    case nonNumericColumns(String, columns: [String])
    /// A missing or non-numeric value (row counts data rows from 1; the header is line 1).
    case badValue(String, row: Int, column: String, value: String)
    /// A label the lesson's `classes` list does not name.
    case unknownClass(String, row: Int, value: String, classes: [String])
    /// No feature column is left after the label or targets.
    case noFeatures(String)
    /// Fewer than two classes: nothing to tell apart.
    case oneClass(String, classes: [String])
    /// A class folder with no PNG file.
    case emptyClass(String)
    /// A file in a class folder that is not a PNG image.
    case notPNG(String)
    /// An image whose channels cannot be turned into the lesson's.
    case badImage(String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): return "\(file): \(reason)"
        case let .malformed(file, reason): return "\(file): malformed CSV: \(reason)"
        case let .noRows(file): return "\(file): needs a header row and at least one row of values"
        case let .unknownColumn(file, column, role, header):
            let hint = nearest(column, in: header).map { " (did you mean '\($0)'?)" }.first ?? ""
            return "\(file): no column '\(column)' for \(role)\(hint); the header has: \(header.joined(separator: ", "))"
        case let .raggedRow(file, row, fields, expected):
            return "\(file): row \(row) (line \(row + 1)) has \(fields) field\(fields == 1 ? "" : "s"); the header has \(expected)"
        case let .nonNumericColumns(file, columns):
            return "\(file): feature column\(columns.count == 1 ? "" : "s") "
                + columns.map { "'\($0)'" }.joined(separator: ", ")
                + " \(columns.count == 1 ? "is" : "are") not numeric; make \(columns.count == 1 ? "it" : "them") the label, or remove \(columns.count == 1 ? "it" : "them")"
        case let .badValue(file, row, column, value):
            let what = value.trimmingCharacters(in: .whitespaces).isEmpty ? "a missing value" : "'\(value)', not a number,"
            return "\(file): row \(row) (line \(row + 1)), column '\(column)': \(what) where a number is needed"
        case let .unknownClass(file, row, value, classes):
            return "\(file): row \(row) (line \(row + 1)): label '\(value)' is not among the classes listed "
                + "(\(classes.joined(separator: ", ")))"
        case let .noFeatures(file): return "\(file): no feature column is left besides the label or targets"
        case let .oneClass(file, classes):
            return "\(file): only one class (\(classes.joined(separator: ", "))); a classifier needs at least two"
        case let .emptyClass(folder): return "\(folder): class folder holds no PNG image"
        case let .notPNG(file): return "\(file): not a PNG image (a class folder may hold only .png files)"
        case let .badImage(file, reason): return "\(file): \(reason)"
        }
    }
}
