import Foundation

/// Where each figure of a run stands and which number it has — one answer for the gallery
/// page and the handout, so a figure has the same number in both and sits beside the
/// paragraph that reads it.
///
/// A lesson's Markdown places a figure with a marker on a line of its own:
///
/// ```markdown
/// The boundary first tilts through the middle, then winds round with the arms.
///
/// {{figure: decision-boundary}}
/// ```
///
/// The id is the figure's `FigureSpec.id` (its `id:` in `lesson.yaml`, else its plot's
/// name, `-2`, `-3` … for later uses of the same plot). Figures no marker places follow
/// the narrative, in lesson order, before the exercises. Numbers count the figures the
/// handout prints, in the order they appear; a gallery-only figure (`handout: false`)
/// has no number, so that no number is missing from the handout.
struct FigurePlacement {
    /// A piece of a Markdown file: text, or the figure at `index` in the run's figures.
    enum Part: Equatable {
        case markdown(String)
        case figure(Int)
    }

    /// Each narrative file, split at its markers.
    var narrative: [[Part]]
    /// The exercises, split at their markers.
    var exercises: [Part]?
    /// Figures no marker places, in lesson order.
    var unplaced: [Int]
    /// Figure number by index into the run's figures; nil for a gallery-only figure.
    var numbers: [Int: Int]

    init(texts: LessonTexts, figures: [RenderedFigure]) {
        func index(of id: String) -> Int? { figures.firstIndex { $0.id == id } }
        narrative = texts.narrative.map { Self.parts(of: $0.text, index: index) }
        exercises = texts.exercises.map { Self.parts(of: $0.text, index: index) }
        let placed = (narrative.flatMap { $0 } + (exercises ?? [])).compactMap { part -> Int? in
            if case let .figure(i) = part { return i }
            return nil
        }
        unplaced = figures.indices.filter { !placed.contains($0) }
        let narrativePlaced = narrative.flatMap { $0 }.compactMap { part -> Int? in
            if case let .figure(i) = part { return i }
            return nil
        }
        let order = narrativePlaced + unplaced + placed.dropFirst(narrativePlaced.count)
        numbers = [:]
        for i in order where figures[i].handout { numbers[i] = numbers.count + 1 }
    }

    /// The id a line places, if it is a marker: `{{figure: ID}}` alone on its line.
    static func markerID(_ line: Substring) -> String? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("{{figure:"), trimmed.hasSuffix("}}") else { return nil }
        return trimmed.dropFirst("{{figure:".count).dropLast(2).trimmingCharacters(in: .whitespaces)
    }

    /// Markdown split at marker lines outside fenced code; a marker whose figure was not
    /// drawn (skipped with a warning) leaves nothing.
    static func parts(of markdown: String, index: (String) -> Int?) -> [Part] {
        var parts: [Part] = []
        var lines: [Substring] = []
        var fence: Substring?
        func flush() {
            if lines.contains(where: { !$0.allSatisfy(\.isWhitespace) }) { parts.append(.markdown(lines.joined(separator: "\n"))) }
            lines = []
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if let open = fence {
                if trimmed.hasPrefix(open) { fence = nil }
            } else if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = trimmed.prefix(3)
            } else if let id = markerID(line) {
                flush()
                if let i = index(id) { parts.append(.figure(i)) }
                continue
            }
            lines.append(line)
        }
        flush()
        return parts
    }

    /// Every marker of a lesson's Markdown names one of its figures, once: checked before
    /// a run trains, so a typo costs no training time.
    static func check(texts: LessonTexts, ids: [String]) throws {
        var seen: Set<String> = []
        for file in texts.narrative + (texts.exercises.map { [$0] } ?? []) {
            var fence: Substring?
            for (number, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.drop { $0 == " " }
                if let open = fence {
                    if trimmed.hasPrefix(open) { fence = nil }
                    continue
                }
                if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { fence = trimmed.prefix(3); continue }
                guard let id = markerID(line) else { continue }
                guard ids.contains(id) else {
                    throw PublishError.unknownFigure(file: file.path, line: number + 1, id: id, known: ids)
                }
                guard seen.insert(id).inserted else {
                    throw PublishError.figurePlacedTwice(file: file.path, line: number + 1, id: id)
                }
            }
        }
    }
}
