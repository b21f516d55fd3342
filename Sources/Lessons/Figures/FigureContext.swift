import Foundation
import Render

/// What a plot draws from: the main run's trace, the variants' traces (in the
/// lesson's order), and the figure's options as the lesson file gives them
/// (already checked against the plot's `OptionKind`s).
public struct FigureContext {
    public let main: TraceFigures
    /// The main run's name in comparisons (`baseline`).
    public let baseline: String
    public let variants: [(name: String, figures: TraceFigures)]
    public let spec: FigureSpec

    /// Every run, main first.
    public var runs: [(name: String, figures: TraceFigures)] { [(baseline, main)] + variants }

    /// The runs named by option `runs` (in its order), or all of them.
    public func selectedRuns() throws -> [(name: String, figures: TraceFigures)] {
        guard let names = spec.options["runs"] else { return runs }
        return try names.map { name in
            guard let run = runs.first(where: { $0.name == name }) else {
                throw FigureUnavailable("no run named '\(name)' (runs: \(runs.map(\.name).joined(separator: ", ")))")
            }
            return run
        }
    }

    /// The run called `name` (option `run`), or the main run when no name is given.
    public func run(named name: String?) throws -> (name: String, figures: TraceFigures) {
        guard let name else { return (baseline, main) }
        guard let run = runs.first(where: { $0.name == name }) else {
            throw FigureUnavailable("no run named '\(name)' (runs: \(runs.map(\.name).joined(separator: ", ")))")
        }
        return run
    }

    /// Run colours in the order runs take them: `Theme.distinctCategories` (blue,
    /// vermillion, black, purple, green, sky, brown, orange, yellow).
    static let runPalette = Theme.distinctCategories

    /// The colour (theme category) of run `name`: from its place among all the lesson's
    /// runs, so that a run keeps one colour in every figure of the lesson.
    public func category(ofRun name: String) -> Int {
        Self.runPalette[(runs.firstIndex { $0.name == name } ?? 0) % Self.runPalette.count]
    }

    /// The colour (theme category) of the per-epoch held-out curve in this lesson's
    /// training curves: of a hue family that none of its runs takes (`Theme.heldOutCategory`),
    /// so that "validation" is not mistaken for a run in another figure.
    /// A sweep's runs are left out: the sweep figure colours them by batch size, never by run.
    public var heldOutCategory: Int {
        let coloured = runs.filter { SweepSpec.point(inVariantNamed: $0.name) == nil }
        return Theme.standard.heldOutCategory(avoiding: coloured.map { category(ofRun: $0.name) })
    }

    /// Colours for `count` series that are neither runs nor roles (a sweep's batch sizes):
    /// the distinct order without the families of the lesson's runs and of its held-out
    /// curve, so that no line looks like a run drawn in another figure (workflow's batch
    /// size 128 was orange beside the vermillion run 'scaled'); the whole order where too
    /// few are left.
    func spareCategories(_ count: Int) -> [Int] {
        let theme = Theme.standard
        let taken = runs.filter { SweepSpec.point(inVariantNamed: $0.name) == nil }.map { category(ofRun: $0.name) }
            + [heldOutCategory]
        let spare = Theme.distinctCategories.filter { c in !taken.contains { theme.sameHueFamily($0, c) } }
        let pool = spare.count >= count ? spare : Theme.distinctCategories
        return (0..<count).map { pool[$0 % pool.count] }
    }

    /// Options `reference` (values the text quotes: ln 10, a noise floor) and
    /// `reference_label` (one label per value; default: the value itself).
    static let referenceOptions: [String: LessonPlot.OptionKind] = ["reference": .numbers, "reference_label": .text]

    /// The labelled reference lines of options `reference` and `reference_label`.
    func referenceLines() -> [ReferenceLine] {
        let labels = texts("reference_label") ?? []
        return (numbers("reference") ?? []).enumerated().map { k, value in
            ReferenceLine(value, label: k < labels.count ? labels[k] : String(format: "%g", value))
        }
    }

    public func text(_ key: String) -> String? { spec.options[key]?.first }
    public func texts(_ key: String) -> [String]? { spec.options[key] }
    public func integers(_ key: String) -> [Int]? { spec.options[key]?.compactMap { Int($0) } }
    public func numbers(_ key: String) -> [Double]? { spec.options[key]?.compactMap { Double($0) } }

    /// Option `key` as a word of `Word` (the parser checked it against the plot's choices).
    func word<Word: RawRepresentable>(_ key: String, _ type: Word.Type) -> Word? where Word.RawValue == String {
        text(key).flatMap(Word.init(rawValue:))
    }
}
