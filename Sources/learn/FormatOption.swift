import ArgumentParser
import Render

/// `--format png,svg,pdf`, shared by the commands that draw figures. The PNG is always
/// written (the gallery page and the handout show it); SVG and PDF are drawn by the same
/// code as vectors, for papers and slides. An unknown name is reported by `parsed()`
/// before anything is read or written, as one `error:` line naming it and the formats.
struct FormatOption: ParsableArguments {
    @Option(name: .customLong("format"),
            help: "Figure formats, comma-separated: png, svg, pdf (default: png; the PNG is always written).")
    var format = "png"

    /// The formats asked for, in order.
    func parsed() throws -> [FigureFormat] { try FigureFormat.list(parsing: format) }
}
