import Foundation
import Render

/// Draws a run's figures from its traces into `figures/NN-name.png`. A figure the
/// traces cannot support is skipped with a warning; when none can be drawn the
/// caller gets an error, never a folder of blank images.
public enum FigureRenderer {
    /// Every plot with no caption or options, for traces without a lesson file.
    public static var allFigures: [FigureSpec] {
        PlotCatalog.plots.map { FigureSpec(plot: $0.name, caption: "") }
    }

    /// The variant traces of a run folder (`variants/NAME/trace`), in the order
    /// `names` gives, or alphabetical when it is nil.
    public static func variantTraces(runFolder: URL, names: [String]?) -> [(name: String, trace: URL)] {
        let root = runFolder.appendingPathComponent("variants", isDirectory: true)
        let found = names ?? ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
        return found.map { ($0, root.appendingPathComponent($0).appendingPathComponent("trace", isDirectory: true)) }
            .filter { FileManager.default.fileExists(atPath: $0.1.appendingPathComponent("manifest.json").path) }
    }

    public static func render(traceFolder: URL, baseline: String = "baseline",
                              variants: [(name: String, trace: URL)] = [], figures: [FigureSpec],
                              into runFolder: URL, warn: (String) -> Void) throws -> [RenderedFigure] {
        let main = try TraceFigures(traceFolder: traceFolder)
        let others = try variants.map { (name: $0.name, figures: try TraceFigures(traceFolder: $0.trace)) }
        let folder = runFolder.appendingPathComponent("figures", isDirectory: true)
        try FileProblem.createOutputFolder(folder)
        var rendered: [RenderedFigure] = []
        for (index, spec) in figures.enumerated() {
            let plot = PlotCatalog.plot(spec.plot)
            let context = FigureContext(main: main, baseline: baseline, variants: others, spec: spec)
            do {
                for (position, named) in try plot.make(context).enumerated() {
                    let file = "figures/" + String(format: "%02d-", index + 1) + named.name + ".png"
                    let png = try named.figure.pngData()
                    try png.write(to: runFolder.appendingPathComponent(file), options: .atomic)
                    let image = try RasterImage(png: png)
                    // Detail figures (e.g. filters at each recorded step) follow the lesson's
                    // figure in the gallery, titled by the plot itself, and stay out of the handout.
                    let detail = position > 0
                    rendered.append(RenderedFigure(file: file, kind: spec.plot.rawValue,
                                                   caption: detail ? "" : spec.caption, handout: spec.handout && !detail,
                                                   width: image.width, height: image.height))
                }
            } catch let reason as FigureUnavailable {
                warn("warning: skipped figure '\(spec.plot.rawValue)': \(reason)")
            } catch let error as RenderError {
                warn("warning: skipped figure '\(spec.plot.rawValue)': \(error)")
            }
        }
        if rendered.isEmpty && !figures.isEmpty {
            throw FigureUnavailable("no figure could be drawn from the trace in \(traceFolder.path)")
        }
        return rendered
    }
}
