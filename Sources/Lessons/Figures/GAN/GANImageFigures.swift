import Foundation
import NeuralNet
import Render
import Tensor
import Trace

/// Figures of a GAN on images: the samples of the probe's fixed noise at every recorded
/// step (a strip of small grids, and a full grid per step as a frame series), some final
/// samples above their nearest training images with the distance (is it copying?), and
/// how varied the samples are and how far from the training set over training.
/// Pictures show pixels in [0, 1] (the lesson's normalisation undone); distances are
/// Euclidean over those pixels.
enum GANImageFigures {
    /// Options of the image plots: `run` (default the main run), `steps` (`gan-samples`:
    /// the strip's steps, default every recorded one), `count` (samples per strip panel,
    /// default 16; `gan-nearest`: samples shown, default 8).
    static let options: [String: LessonPlot.OptionKind] = ["run": .text, "steps": .integers, "count": .integers]

    /// An image GAN's trace: the probe's samples as pixels per recorded step, and the
    /// training images with their labels.
    struct ImageTrace {
        let name: String
        let gan: GANTrace
        let steps: [Int]

        init(_ c: FigureContext) throws {
            let (name, gan) = try GANFigures.run(c)
            guard gan.architecture.isImage else {
                throw FigureUnavailable("\(name) generates \(gan.architecture.dataShape), not images (see gan-field for points)")
            }
            guard !gan.probeSteps.isEmpty else {
                throw FigureUnavailable("the trace keeps no generated samples (record policy)")
            }
            (self.name, self.gan, steps) = (name, gan, gan.probeSteps)
        }

        func pixels(atStep step: Int) throws -> Tensor { gan.architecture.pixels(try gan.samples(atStep: step)) }

        func training() throws -> (pixels: Tensor, labels: [Int]?) {
            guard let record = try TrainingSetRecord.read(fromTrace: gan.figures.folder) else {
                throw FigureUnavailable("the run kept no training set beside its trace")
            }
            return (gan.architecture.pixels(record.inputs), record.labels)
        }

        /// "at the start" for step 0, else "after epoch e" (the epoch the step ends, 1-based).
        func when(_ step: Int) throws -> String {
            let label = try label(step)
            return step == 0 ? "at the start" : "after \(label)"
        }

        /// "start" for step 0, else "epoch e" for the epoch the step ends (1-based).
        func label(_ step: Int) throws -> String {
            guard step > 0 else { return "start" }
            let epochs = Dictionary(try gan.scalar(ScalarName.epoch).map { ($0.step, Int($0.value)) }) { a, _ in a }
            return epochs[step].map { "epoch \($0 + 1)" } ?? "step \(step)"
        }
    }

    /// Images `[N, h, w, c]` (pixels in [0, 1]) as a mosaic, about square unless `columns` is given.
    static func mosaic(_ images: Tensor, title: String, subtitle: String? = nil, captions: [String] = [],
                       columns: Int? = nil) throws -> ImageMosaic {
        let shape = Array(images.shape.dropFirst()), size = shape.reduce(1, *)
        let pictures = try (0..<images.shape[0]).map { i in
            try FloatArray(shape: shape, values: Array(images.scalars[(i * size)..<((i + 1) * size)]))
        }
        let square = Int(Double(pictures.count).squareRoot().rounded(.up))
        return try ImageMosaic(title: title, subtitle: subtitle, images: pictures, captions: captions,
                               columns: columns ?? square)
    }

    /// The first `count` rows of `t`.
    static func head(_ t: Tensor, _ count: Int) -> Tensor { t.gather(rows: Array(0..<min(count, t.shape[0]))) }

    /// `gan-samples`: a strip of small grids, the first `count` probe samples at each
    /// chosen step; then, as a frame series for the gallery, every probe sample at every
    /// recorded step (`gan-samples-step-NNNNNN`).
    static func samples(_ c: FigureContext) throws -> NamedFigure {
        let t = try ImageTrace(c)
        let count = c.integers("count")?.first ?? 16
        let chosen = c.integers("steps").map { TraceFigures.nearestSteps($0, held: t.steps) } ?? t.steps
        let panels = try chosen.map { step in
            try mosaic(head(try t.pixels(atStep: step), count), title: try t.label(step))
        }
        let probe = try t.gan.samples(atStep: t.steps[0]).shape[0]
        let suffix = c.text("run").map { "-\($0)" } ?? ""
        let strip = try SmallMultiples(
            title: "The generator's samples over training" + (c.text("run").map { " (\($0))" } ?? ""),
            subtitle: "G(z) for the same \(min(count, probe)) noise vectors z at the start and at the end of each epoch",
            panels: panels, columns: min(6, panels.count), panelDesignWidth: 200)
        // Every frame draws its pixels on the same fixed grey scale, so frames compare.
        let frames = try t.steps.map { step in
            FigureFrame.step(step, try mosaic(try t.pixels(atStep: step), title: "G(z) \(try t.when(step)) (step \(step))",
                                              subtitle: "the same \(probe) noise vectors z at every step"),
                             label: try t.label(step))
        }
        return NamedFigure("gan-samples" + suffix, strip, frames: frames)
    }

    /// `gan-nearest`: `count` samples of the last recorded step above their nearest
    /// training images, with the distance, and for scale the mean distance from a
    /// training digit to its nearest other training digit.
    static func nearest(_ c: FigureContext) throws -> Figure {
        let t = try ImageTrace(c)
        let last = t.steps.last!
        let all = try t.pixels(atStep: last)
        let count = min(c.integers("count")?.first ?? 8, all.shape[0])
        let picked = (0..<count).map { $0 * all.shape[0] / count }
        let samples = all.gather(rows: picked)
        let (train, labels) = try t.training()
        let distances = PixelDistances(train)
        let matches = distances.nearest(samples)
        let neighbours = train.gather(rows: matches.map(\.index))
        let captions = matches.map { m in
            String(format: "d = %.1f", m.distance) + (labels.map { " (a \($0[m.index]))" } ?? "")
        }
        let real = realNearestDistance(distances)
        let panels: [Figure] = [
            try mosaic(samples, title: "Generated \(try t.when(last)) (step \(last))", columns: count),
            try mosaic(neighbours, title: "Nearest of the \(train.shape[0]) training images", captions: captions,
                       columns: count),
        ]
        return try SmallMultiples(
            title: "Is the generator copying?" + (c.text("run").map { " (\($0))" } ?? ""),
            subtitle: String(format: "Euclidean distance d over %d pixels in [0, 1]; a training digit's nearest other "
                             + "training digit is at d = %.1f on average", train.count / max(train.shape[0], 1), real),
            panels: panels, columns: 1, panelDesignWidth: 720)
    }

    /// Mean distance from a training image to its nearest other training image, over
    /// 256 evenly spaced ones (the scale against which a sample's distance is read).
    static func realNearestDistance(_ distances: PixelDistances) -> Double {
        let n = distances.set.shape[0], k = min(256, n)
        let rows = (0..<k).map { $0 * n / k }
        guard n > 1 else { return 0 }
        let matches = distances.nearest(distances.set.gather(rows: rows), excluding: rows)
        return matches.map(\.distance).reduce(0, +) / Double(k)
    }

    /// `gan-diversity`: at every recorded step, the mean pairwise distance of the probe's
    /// samples relative to that of real digits (1: as varied as the data; collapse sinks
    /// towards 0), and the mean distance from a sample to its nearest training image
    /// beside the same for a training digit (near 0: copies).
    static func diversity(_ c: FigureContext) throws -> Figure {
        let t = try ImageTrace(c)
        let (train, _) = try t.training()
        let n = train.shape[0], k = min(512, n)
        let realSpread = PixelDistances.meanPairwise(train.gather(rows: (0..<k).map { $0 * n / k }))
        let distances = PixelDistances(train)
        let realNearest = realNearestDistance(distances)
        var spread: [Double] = [], novelty: [Double] = []
        for step in t.steps {
            let x = try t.pixels(atStep: step)
            spread.append(PixelDistances.meanPairwise(x) / realSpread)
            novelty.append(distances.nearest(x).map(\.distance).reduce(0, +) / Double(x.shape[0]))
        }
        let epochs = try t.steps.map { step -> Double in
            let label = try t.label(step)
            return label == "start" ? 0 : Double(label.split(separator: " ").last.flatMap { Int($0) } ?? step)
        }
        let panels: [Figure] = [
            try LineChart(title: String(format: "Variety: %.2f of the real digits'", spread.last ?? 0),
                          xLabel: "epoch", yLabel: "pairwise distance ÷ real",
                          series: [Series(name: "samples of the fixed z", x: epochs, y: spread)],
                          markers: true, categories: [0], yRange: 0...max(1.3, (spread.max() ?? 1) * 1.15),
                          referenceLines: [ReferenceLine(1, label: String(format: "real digits = 1 (mean distance %.1f)", realSpread))]),
            try LineChart(title: String(format: "Nearest training digit: %.1f away", novelty.last ?? 0),
                          xLabel: "epoch", yLabel: "mean distance d",
                          series: [Series(name: "samples of the fixed z", x: epochs, y: novelty)],
                          markers: true, categories: [0],
                          yRange: 0...max(realNearest, novelty.max() ?? 1) * 1.25,
                          referenceLines: [ReferenceLine(realNearest, label: String(
                              format: "a training digit to its nearest other: %.1f", realNearest), labelSide: .below)]),
        ]
        return try SmallMultiples(title: "How varied and how new the samples are" + (c.text("run").map { " (\($0))" } ?? ""),
                                  subtitle: "the same \(try t.gan.samples(atStep: t.steps[0]).shape[0]) noise vectors z at every "
                                      + "recorded step; Euclidean distances over pixels in [0, 1]",
                                  panels: panels, columns: 2)
    }
}
