import Foundation
import Render

/// Draws a run's figures from its trace into `figures/NN-name.png`. A figure the
/// trace cannot support is skipped with a warning; when none can be drawn the
/// caller gets an error, never a folder of blank images.
public enum FigureRenderer {
    /// Every figure kind with a generic caption, for traces without a lesson file.
    public static var allFigures: [FigureSpec] {
        FigureSpec.Kind.allCases.map { FigureSpec(kind: $0, caption: "", handout: true) }
    }

    public static func render(traceFolder: URL, figures: [FigureSpec], into runFolder: URL,
                              warn: (String) -> Void) throws -> [RenderedFigure] {
        let source = try TraceFigures(traceFolder: traceFolder)
        let folder = runFolder.appendingPathComponent("figures", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var rendered: [RenderedFigure] = []
        for (index, spec) in figures.enumerated() {
            do {
                for (position, (name, figure)) in try source.figures(spec.kind).enumerated() {
                    let file = "figures/" + String(format: "%02d-", index + 1) + name + ".png"
                    let png = try figure.pngData()
                    try png.write(to: runFolder.appendingPathComponent(file), options: .atomic)
                    let image = try RasterImage(png: png)
                    // Detail figures (e.g. filters at each recorded step) follow the lesson's
                    // figure in the gallery, titled by the plot itself, and stay out of the handout.
                    let detail = spec.kind == .filters && position > 0
                    rendered.append(RenderedFigure(file: file, kind: spec.kind.rawValue,
                                                   caption: detail ? "" : spec.caption, handout: spec.handout && !detail,
                                                   width: image.width, height: image.height))
                }
            } catch let reason as FigureUnavailable {
                warn("warning: skipped figure '\(spec.kind.rawValue)': \(reason)")
            } catch let error as RenderError {
                warn("warning: skipped figure '\(spec.kind.rawValue)': \(error)")
            }
        }
        if rendered.isEmpty && !figures.isEmpty {
            throw FigureUnavailable("no figure could be drawn from the trace in \(traceFolder.path)")
        }
        return rendered
    }
}
