import Render

/// What a handout's layout came to: how much of each page's text column is used, and
/// the size each figure's smallest text prints at (its smallest text in points of its
/// layout, times the width it is printed at over its layout width). FIGURES.md asks for
/// 7 pt or more and no half-empty pages; `learn handout NAME --layout` prints this, and
/// tests hold lessons to the 7-pt floor and to at most 30 % of a page left empty.
public struct HandoutReport: Sendable, Equatable {
    /// One printed figure: its number, file, page, the page of the paragraph before its
    /// marker (for a marker right after another, the page of that figure; nil for a
    /// figure no marker places), printed width (pt) and smallest text
    /// as printed (pt; nil when the summary does not know it).
    public struct PrintedFigure: Sendable, Equatable {
        public var number: Int
        public var file: String
        public var page: Int
        public var readingPage: Int?
        public var printedWidth: Double
        public var smallestText: Double?
    }

    /// Per page, the share of its text column that the cursor reached (1 = full).
    public var pageFill: [Double] = []
    public var figures: [PrintedFigure] = []

    /// The smallest printed text size FIGURES.md allows.
    public static let minimumPrintedText = 7.0

    /// The most of its text column a page may leave empty, the lesson's last page
    /// excepted (issue 20: no half-empty pages).
    public static let maximumEmptyShare = 0.30

    /// The numbers (from 1) of the pages before the last that leave more than
    /// `maximumEmptyShare` of their column empty.
    public var pagesLeftEmpty: [Int] {
        pageFill.dropLast().enumerated().filter { $0.element < 1 - Self.maximumEmptyShare }.map { $0.offset + 1 }
    }

    /// Figures whose smallest text prints under `minimumPrintedText`.
    public var figuresWithSmallText: [PrintedFigure] {
        figures.filter { ($0.smallestText ?? .infinity) < Self.minimumPrintedText - 0.05 }
    }

    /// Figures printed more than a page away from the paragraph before their marker.
    public var figuresAwayFromTheirParagraph: [PrintedFigure] {
        figures.filter { f in f.readingPage.map { abs(f.page - $0) > 1 } ?? false }
    }

    /// Lines for a terminal: one per page, then one per figure.
    public var lines: [String] {
        pageFill.enumerated().map { page, fill in
            "page \(page + 1): \(Int((fill * 100).rounded())) % full"
                + (pagesLeftEmpty.contains(page + 1) ? "  (more than \(Int(Self.maximumEmptyShare * 100)) % empty)" : "")
        }
            + figures.map { f in
                let text = f.smallestText.map { Ticks.fixed($0, decimals: 1) + " pt" } ?? "unknown"
                let read = f.readingPage.map { " (its paragraph: page \($0))" } ?? ""
                return "figure \(f.number) (\(f.file)), page \(f.page)\(read), \(Ticks.fixed(f.printedWidth, decimals: 0)) pt wide: "
                    + "smallest text \(text)" + ((f.smallestText ?? .infinity) < Self.minimumPrintedText - 0.05 ? "  (under 7 pt)" : "")
            }
    }
}
