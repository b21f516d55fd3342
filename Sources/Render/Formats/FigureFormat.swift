import Foundation

/// A file format a figure can be written in. Cairo draws all three from the same
/// `Figure.draw` code: PNG rasterises at `scale` pixels per point (the gallery and the
/// handout use it); SVG and PDF keep lines and text as vectors (for papers and slides),
/// one page of the figure's size in points.
public enum FigureFormat: String, CaseIterable, Sendable {
    case png, svg, pdf

    /// The file name extension, without the dot.
    public var fileExtension: String { rawValue }

    /// Parses a comma-separated list such as `png,svg,pdf` (spaces allowed, order kept,
    /// repeats dropped). An unknown or empty name throws `FigureFormatError`.
    public static func list(parsing text: String) throws -> [FigureFormat] {
        var formats: [FigureFormat] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = item.trimmingCharacters(in: .whitespaces)
            guard let format = FigureFormat(rawValue: name.lowercased()) else {
                throw FigureFormatError.unknown(name)
            }
            if !formats.contains(format) { formats.append(format) }
        }
        return formats
    }
}

/// A figure format the renderer does not write.
public enum FigureFormatError: Error, CustomStringConvertible, Equatable {
    case unknown(String)

    public var description: String {
        let known = FigureFormat.allCases.map(\.rawValue).joined(separator: ", ")
        switch self {
        case let .unknown(name) where name.isEmpty:
            return "empty figure format in --format; formats: \(known)"
        case let .unknown(name):
            return "unknown figure format '\(name)'; formats: \(known)"
        }
    }
}
