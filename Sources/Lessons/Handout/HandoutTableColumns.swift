import Foundation
import Render

/// The column widths of a handout table and where its cells may wrap: a cell breaks only
/// at spaces and after `_` or `-` (a run named `lr=0.003_bs=32` wraps as
/// `lr=0.003_` / `bs=32`), never inside a word, so each column is made at least as wide
/// as its widest unbreakable piece ("Optimizer", "standardized") when the table's width
/// allows all of them; the rest of the width is shared as before, in proportion to each
/// column's longest cell.
enum HandoutTableColumns {
    /// Zero-width space: a break opportunity that draws nothing.
    static let breakOpportunity = "\u{200B}"

    /// `markup` with a zero-width space after each `_` of its text (not inside its tags),
    /// where Pango may then wrap; it already may after `-` and at spaces.
    static func breakable(_ markup: String) -> String {
        var result = "", inTag = false
        for character in markup {
            result.append(character)
            if character == "<" { inTag = true } else if character == ">" { inTag = false }
            if !inTag, character == "_" { result += breakOpportunity }
        }
        return result
    }

    /// The pieces of a cell's text that must stay on one line.
    static func unbreakablePieces(_ plain: String) -> [String] {
        var pieces: [String] = [], current = ""
        for character in plain {
            if character == " " {
                pieces.append(current); current = ""
                continue
            }
            current.append(character)
            if "_-".contains(character) { pieces.append(current); current = "" }
        }
        pieces.append(current)
        return pieces.filter { !$0.isEmpty }
    }

    /// `proposed` widths with each column raised to its minimum, the room taken from the
    /// columns wider than their minimum in proportion to their excess. When the minimums
    /// add up to more than the table's width, they are scaled down to fit (Pango then has to
    /// break some word).
    static func fitted(_ proposed: [Double], minimums: [Double]) -> [Double] {
        let total = proposed.reduce(0, +), needed = minimums.reduce(0, +)
        guard needed <= total else { return minimums.map { $0 * total / needed } }
        let deficit = zip(proposed, minimums).map { max($1 - $0, 0) }.reduce(0, +)
        guard deficit > 0 else { return proposed }
        let excess = zip(proposed, minimums).map { max($0 - $1, 0) }
        let totalExcess = excess.reduce(0, +)
        return zip(proposed, minimums).enumerated().map { i, pair in
            pair.0 < pair.1 ? pair.1 : pair.0 - deficit * excess[i] / totalExcess
        }
    }
}
