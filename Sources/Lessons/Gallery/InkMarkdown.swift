/// Lesson Markdown rewritten, without changing what it means, into the forms Ink reads as
/// CommonMark does. Ink (the Markdown parser of the gallery page and the handout) differs
/// in two places that lesson texts hit:
/// - Ink reads a paragraph line by line: a line that starts with inline code (`` `x` ``)
///   or with `-` not followed by a space (`--temperature`) starts a new block, and an
///   inline code span cannot cross a line break. In CommonMark each continues the
///   paragraph, whose soft line breaks are spaces. So every line that does not start a
///   block of its own (`startsBlock`) is joined onto the paragraph line before it.
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
            } else if !previousBlank, !startsBlock(trimmed), let last = out.last, continuesParagraph(last) {
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

    /// Whether a line of text can be continued by the next: not a heading, table row, rule,
    /// fence or figure marker, and not ending in a hard line break (two spaces or `\`).
    private static func continuesParagraph(_ line: String) -> Bool {
        let t = line.drop { $0 == " " }
        return !t.isEmpty && !t.hasPrefix("#") && !t.hasPrefix("|") && !t.hasPrefix("```") && !t.hasPrefix("~~~")
            && !t.hasPrefix("{{") && !t.hasPrefix("<") && !t.allSatisfy { "-*_= ".contains($0) }
            && !line.hasSuffix("  ") && !line.hasSuffix("\\")
    }

    /// Whether a line (leading spaces dropped) can start a block of its own after a line of
    /// paragraph text: a heading, quote, table row, fence, HTML, figure marker, rule or
    /// setext underline, or a list item (`- `, `* `, `+ `, `1. `, `1) `). Any other line
    /// continues the paragraph: `--temperature`, or `-x` without a space, is text.
    private static func startsBlock(_ t: Substring) -> Bool {
        if t.isEmpty || t.allSatisfy({ "-*_= ".contains($0) }) { return true }
        if ["#", ">", "|", "```", "~~~", "<", "{{"].contains(where: { t.hasPrefix($0) }) { return true }
        if ["- ", "* ", "+ ", "-\t", "*\t", "+\t"].contains(where: { t.hasPrefix($0) }) { return true }
        let digits = t.prefix { $0.isNumber }
        let rest = t.dropFirst(digits.count)
        return !digits.isEmpty && digits.count <= 9 && (rest.hasPrefix(". ") || rest.hasPrefix(") ") || rest == "." || rest == ")")
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
