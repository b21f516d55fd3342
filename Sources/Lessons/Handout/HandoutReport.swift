import Render

/// What a handout's layout came to: how much of each page's text column is used, and
/// the size each figure's smallest text prints at (its smallest text in points of its
/// layout, times the width it is printed at over its layout width). FIGURES.md asks for
/// 7 pt or more and no half-empty pages; `learn handout NAME --layout` prints this, and
/// tests hold lessons to the 7-pt floor.
public struct HandoutReport: Sendable, Equatable {
    /// One printed figure: its number, file, page, printed width (pt) and smallest text
    /// as printed (pt; nil when the summary does not know it).
    public struct PrintedFigure: Sendable, Equatable {
        public var number: Int
        public var file: String
        public var page: Int
        public var printedWidth: Double
        public var smallestText: Double?
    }

    /// Per page, the share of its text column that the cursor reached (1 = full).
    public var pageFill: [Double] = []
    public var figures: [PrintedFigure] = []

    /// The smallest printed text size FIGURES.md allows.
    public static let minimumPrintedText = 7.0

    /// Figures whose smallest text prints under `minimumPrintedText`.
    public var figuresWithSmallText: [PrintedFigure] {
        figures.filter { ($0.smallestText ?? .infinity) < Self.minimumPrintedText - 0.05 }
    }

    /// Lines for a terminal: one per page, then one per figure.
    public var lines: [String] {
        pageFill.enumerated().map { "page \($0.offset + 1): \(Int(($0.element * 100).rounded())) % full" }
            + figures.map { f in
                let text = f.smallestText.map { Ticks.fixed($0, decimals: 1) + " pt" } ?? "unknown"
                return "figure \(f.number) (\(f.file)), page \(f.page), \(Ticks.fixed(f.printedWidth, decimals: 0)) pt wide: "
                    + "smallest text \(text)" + ((f.smallestText ?? .infinity) < Self.minimumPrintedText - 0.05 ? "  (under 7 pt)" : "")
            }
    }
}
