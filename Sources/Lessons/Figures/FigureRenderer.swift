import Foundation
import Render

/// Draws a run's figures from its traces into `figures/NN-name.png` (and a series'
/// frames into `figures/NN-name-KEY.png`), and in each other format asked for beside
/// them (`NN-name.svg`, `NN-name.pdf`). The PNG is always written: the gallery page and
/// the handout show it. A figure the
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
                              into runFolder: URL, formats: [FigureFormat] = [.png],
                              warn: (String) -> Void) throws -> [RenderedFigure] {
        let extra = formats.filter { $0 != .png }
        let main = try TraceFigures(traceFolder: traceFolder)
        let others = try variants.map { (name: $0.name, figures: try TraceFigures(traceFolder: $0.trace)) }
        let folder = runFolder.appendingPathComponent("figures", isDirectory: true)
        try FileProblem.createOutputFolder(folder)
        var rendered: [RenderedFigure] = []
        for (index, spec) in figures.enumerated() {
            let plot = PlotCatalog.plot(spec.plot)
            let context = FigureContext(main: main, baseline: baseline, variants: others, spec: spec)
            do {
                let named = try plot.make(context)
                let stem = "figures/" + String(format: "%02d-", index + 1) + named.name
                let still = try write(named.figure, to: stem, in: runFolder, also: extra)
                let frames = try named.frames.map { frame in
                    let image = try write(frame.figure, to: stem + "-" + frame.key, in: runFolder, also: extra)
                    return RenderedFigure.Frame(file: image.file, label: frame.label, width: image.width, height: image.height)
                }
                rendered.append(RenderedFigure(file: still.file, kind: spec.plot.rawValue, caption: spec.caption,
                                               handout: spec.handout, width: still.width, height: still.height,
                                               id: spec.id, frames: frames.isEmpty ? nil : frames,
                                               smallestTextSize: still.smallestText))
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

    /// Writes one figure's PNG `stem.png` and its other `formats` beside it (each
    /// atomically) and returns the PNG's file, pixel size and smallest text (points).
    private static func write(_ figure: Figure, to stem: String, in runFolder: URL, also formats: [FigureFormat])
        throws -> (file: String, width: Int, height: Int, smallestText: Double?) {
        let file = stem + ".png"
        let (png, smallestText) = try figure.pngDataMeasuringText(scale: RenderedFigure.pixelsPerPoint)
        try png.write(to: runFolder.appendingPathComponent(file), options: .atomic)
        for format in formats {
            try figure.write(format, to: runFolder.appendingPathComponent(stem + "." + format.fileExtension).path)
        }
        let image = try RasterImage(png: png)
        return (file, image.width, image.height, smallestText)
    }
}
