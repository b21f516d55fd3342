import ArgumentParser
import Foundation
import Lessons
import Render
import Trace

/// `learn render TRACE_DIR`: redraw every figure of a run from its trace alone.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Redraw the figures of a run from its trace.",
        discussion: """
        Uses the figure list and captions of the trace's lesson when the lesson exists, \
        every figure kind otherwise. Figures go to OUT/figures/ (default: the run folder \
        that holds the trace). --format png,svg,pdf writes each figure in those formats \
        too (the PNG always).

        Examples:
          learn render output/cnn-mnist/trace
          learn render output/cnn-mnist/trace --out /tmp/redrawn
          learn render output/cnn-mnist/trace --format svg,pdf
        """)

    @Argument(help: "The trace folder (OUT/NAME/trace).") var trace: String
    @Option(help: "Folder to write figures/ into.") var out: String?
    @OptionGroup var figureFormats: FormatOption

    func run() throws {
        let formats = try figureFormats.parsed()
        let traceFolder = URL(fileURLWithPath: trace).standardizedFileURL
        let reader = try TraceReader(directory: traceFolder)
        let lesson = reader.manifest.run.lesson
        let spec = try? LessonCatalog.locate().spec(lesson)
        let runFolder = out.map { URL(fileURLWithPath: $0) } ?? traceFolder.deletingLastPathComponent()
        let variants = FigureRenderer.variantTraces(runFolder: traceFolder.deletingLastPathComponent(),
                                                    names: spec?.variants.map(\.name))
        let rendered = try FigureRenderer.render(traceFolder: traceFolder, baseline: spec?.baseline ?? "baseline",
                                                 variants: variants, figures: spec?.figures ?? FigureRenderer.allFigures,
                                                 into: runFolder, formats: formats) {
            FileHandle.standardError.write(Data(($0 + "\n").utf8))
        }
        for figure in rendered {
            let png = runFolder.appendingPathComponent(figure.file)
            print(png.path)
            for format in formats where format != .png {
                print(png.deletingPathExtension().appendingPathExtension(format.fileExtension).path)
            }
        }
    }
}
