/// Lesson Markdown rewritten, without changing what it means, into the forms Ink reads as
/// CommonMark does. Ink (the Markdown parser of the gallery page and the handout) differs
/// in two places that lesson texts hit:
/// - a paragraph line that starts with inline code (`` `x` ``) starts a new paragraph in
///   Ink; in CommonMark it continues the paragraph. Such a line is joined onto the one
///   before it (a soft line break is a space either way).
/// - an indented code block (four spaces, after a blank line, outside a list) becomes a
///   paragraph in Ink, its lines run together; it is rewritten as a fenced block.
/// Fenced code blocks pass through untouched.
enum InkMarkdown {
    static func normalized(_ markdown: String) -> String {
        var out: [String] = []
        var fence: String?          // the fence of the open fenced block, if any
        var inIndentedCode = false
        var previousBlankAfter: String? // the last non-blank line before a blank line, once one is seen
        var lastNonBlank: String?
        var previousBlank = true
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.drop { $0 == " " }
            if let open = fence {
                out.append(line)
                if trimmed.hasPrefix(open) { fence = nil }
                continue
            }
            let indent = line.count - trimmed.count
            if inIndentedCode {
                if indent >= 4 || trimmed.isEmpty {
                    out.append(trimmed.isEmpty ? "" : String(line.dropFirst(4)))
                    continue
                }
                closeIndentedCode(&out)
                inIndentedCode = false
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = String(trimmed.prefix(3))
            } else if indent >= 4, previousBlank, !trimmed.isEmpty, !continuesList(previousBlankAfter) {
                out.append("```")
                out.append(String(line.dropFirst(4)))
                inIndentedCode = true
                previousBlank = false
                continue
            } else if trimmed.hasPrefix("`"), !previousBlank, let last = out.last, continuesParagraph(last) {
                out[out.count - 1] = last + " " + trimmed
                continue
            }
            if trimmed.isEmpty {
                if !previousBlank { previousBlankAfter = lastNonBlank }
                previousBlank = true
            } else {
                previousBlank = false
                lastNonBlank = line
            }
            out.append(line)
        }
        if inIndentedCode { closeIndentedCode(&out) }
        return out.joined(separator: "\n")
    }

    /// Ends an indented block rewritten as a fence, keeping its trailing blank lines after the fence.
    private static func closeIndentedCode(_ out: inout [String]) {
        var blanks = 0
        while out.last == "" { out.removeLast(); blanks += 1 }
        out.append("```")
        out += Array(repeating: "", count: blanks)
    }

    /// Whether a line of text can be continued by the next: not a heading, table row, rule or fence.
    private static func continuesParagraph(_ line: String) -> Bool {
        let t = line.drop { $0 == " " }
        return !t.isEmpty && !t.hasPrefix("#") && !t.hasPrefix("|") && !t.hasPrefix("```") && !t.hasPrefix("~~~")
            && !t.allSatisfy { "-*_= ".contains($0) }
    }

    /// Whether the block before a blank line belongs to a list, so that an indented line
    /// after the blank continues a list item instead of starting code.
    private static func continuesList(_ line: String?) -> Bool {
        guard let line else { return false }
        if line.first == " " { return true }
        let t = Substring(line)
        if t.hasPrefix("- ") || t.hasPrefix("* ") || t.hasPrefix("+ ") { return true }
        let digits = t.prefix { $0.isNumber }
        return !digits.isEmpty && (t.dropFirst(digits.count).hasPrefix(". ") || t.dropFirst(digits.count).hasPrefix(") "))
    }
}
