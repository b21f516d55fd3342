import Foundation
import NeuralNet
import Render
import Tensor
import Trace

/// Figures of a GAN on points in the plane: the two models at chosen steps (D's field,
/// the real and generated points, the generator's pushes), the losses and D's outputs
/// against their equilibrium values, and the modes of the ring covered over training.
enum GANFigures {
    /// Options of `gan-field`: `run` (default the main run), `steps` (default five spread
    /// over training), `frames` (extra evenly spaced frames for the gallery's slider, default 10), `arrows` (samples
    /// that get an arrow, default 48).
    static let fieldOptions: [String: LessonPlot.OptionKind] = ["run": .text, "steps": .integers, "frames": .integers,
                                                              "arrows": .integers]

    static func run(_ c: FigureContext) throws -> (name: String, gan: GANTrace) {
        guard let name = c.text("run") else { return (c.baseline, try GANTrace(c.main)) }
        guard let run = c.runs.first(where: { $0.name == name }) else {
            throw FigureUnavailable("no run named '\(name)' (runs: \(c.runs.map(\.name).joined(separator: ", ")))")
        }
        return (name, try GANTrace(run.figures))
    }

    /// A frame series: `frames` evenly spaced kept steps and the chosen `steps`, one full
    /// panel each, for the gallery; the handout prints the `steps` as small multiples.
    /// D(x) has one fixed scale, [0, 1], in every frame; arrows are scaled per frame
    /// (their directions, not their lengths, are compared).
    static func field(_ c: FigureContext) throws -> NamedFigure {
        let (name, gan) = try run(c)
        let held = gan.probeSteps
        guard let last = held.last else { throw FigureUnavailable("the trace keeps no generated samples (record policy)") }
        let real = try gan.realPoints()
        let plane = square(around: real)
        let arrows = c.integers("arrows")?.first ?? 48
        let wanted = c.integers("steps") ?? [0, last / 16, last / 4, last / 2, last]
        let steps = TraceFigures.nearestSteps(wanted, held: held)
        let panels = try steps.map { try panel(gan, step: $0, real: real, plane: plane, arrows: arrows, long: false) }
        let suffix = c.text("run") == nil ? "" : "-\(name)"
        let count = try gan.samples(atStep: last).shape[0]
        // Two columns: each panel carries its own colorbar and axis labels at the figure's text
        // size, and in three columns the plane itself shrank to a stamp.
        let figure = try SmallMultiples(
            title: "Generator against discriminator" + (c.text("run") == nil ? "" : " (\(name))"),
            subtitle: "colour: D(x); black: real data; green: G(z) for \(count) fixed z; arrows: −∂ℓ_G/∂x on "
                + "\(min(arrows, count)) of them, scaled per panel",
            panels: panels, columns: min(2, panels.count), panelDesignWidth: 340)
        let shown = Set(DecisionBoundaryFigures.evenlySpaced(c.integers("frames")?.first ?? 10, held: held) + steps).sorted()
        let frames = try shown.map { step in
            FigureFrame.step(step, try panel(gan, step: step, real: real, plane: plane, arrows: arrows, long: true))
        }
        return NamedFigure("gan-field" + suffix, figure, frames: frames)
    }

    /// The square plane around the real points (both axes one range: equal aspect).
    static func square(around real: Tensor) -> PlaneGrid {
        let grid = PlaneGrid(around: real, margin: 0.1)
        let lo = min(grid.xRange.lowerBound, grid.yRange.lowerBound), hi = max(grid.xRange.upperBound, grid.yRange.upperBound)
        return PlaneGrid(xRange: lo...hi, yRange: lo...hi)
    }

    /// One step: D over the plane, the real points, the samples, and arrows on some of them.
    static func panel(_ gan: GANTrace, step: Int, real: Tensor, plane: PlaneGrid, arrows: Int,
                      long: Bool) throws -> AdversarialPlane {
        let d = try gan.discriminator(atStep: step)
        let logits = try d.predict(plane.inputs, batchSize: 4096)
        let field = try FloatArray(shape: [plane.rows, plane.columns], values: logits.scalars.map { 1 / (1 + exp(-$0)) })
        let samples = try gan.samples(atStep: step)
        let gradients = try gan.sampleGradients(atStep: step)
        let n = samples.shape[0]
        let chosen = stride(from: 0, to: n, by: max(1, n / max(arrows, 1))).prefix(arrows)
        let norms = chosen.map { i in Double(hypotf(gradients.scalars[2 * i], gradients.scalars[2 * i + 1])) }
        let longest = norms.max() ?? 0
        let length = 0.14 * (plane.xRange.upperBound - plane.xRange.lowerBound)
        let pushes: [(x: Double, y: Double, dx: Double, dy: Double)] = longest > 0 ? chosen.map { i in
            (Double(samples.scalars[2 * i]), Double(samples.scalars[2 * i + 1]),
             -Double(gradients.scalars[2 * i]) / longest * length, -Double(gradients.scalars[2 * i + 1]) / longest * length)
        } : []
        var title = "step \(step)"
        if let ring = gan.ring {
            title += long ? ": \(ring.covered(samples)) of \(ring.centres.count) modes covered, "
                + "\(Int((100 * ring.onModes(samples)).rounded())) % of samples on a mode"
                : ": \(ring.covered(samples)) of \(ring.centres.count) modes"
        }
        func coordinates(_ t: Tensor) -> (x: [Double], y: [Double]) {
            ((0..<t.shape[0]).map { Double(t.scalars[2 * $0]) }, (0..<t.shape[0]).map { Double(t.scalars[2 * $0 + 1]) })
        }
        return try AdversarialPlane(title: title, xRange: plane.xRange, yRange: plane.yRange, field: field,
                                    real: coordinates(real), generated: coordinates(samples), arrows: pushes, legend: long)
    }

    /// Moving average over `window` steps (centred; shorter at the ends).
    static func smoothed(_ values: [Double], window: Int) -> [Double] {
        guard window > 1 else { return values }
        let half = window / 2
        var prefix = [0.0]
        for v in values { prefix.append(prefix.last! + v) }
        return values.indices.map { i in
            let lo = max(0, i - half), hi = min(values.count, i + half + 1)
            return (prefix[hi] - prefix[lo]) / Double(hi - lo)
        }
    }

    /// Option `run` (default the main run): `loss_d` and `loss_g` with log 4 and log 2,
    /// and mean D(x) and D(G(z)) with ½, per step, smoothed over a fiftieth of the run.
    static func losses(_ c: FigureContext) throws -> Figure {
        let (name, gan) = try run(c)
        func series(_ scalar: String, _ label: String) throws -> Series {
            let column = try gan.scalar(scalar)
            guard !column.isEmpty else { throw FigureUnavailable("the trace has no scalar '\(scalar)' (not a GAN run?)") }
            let window = max(1, column.count / 50)
            return Series(name: label, x: column.map { Double($0.step) }, y: smoothed(column.map(\.value), window: window))
        }
        let lossD = try series(AdversarialScalar.discriminatorLoss, "L_D")
        let lossG = try series(AdversarialScalar.generatorLoss, "L_G = −log D(G(z))")
        // Above log 4 and the curves (the legend goes under the plot when it would cover them).
        let top = max(2.0, 1.15 * ((lossD.y + lossG.y).filter(\.isFinite).max() ?? 1))
        // The players in colours no run takes (a run is blue or vermillion): the generator
        // green as its samples G(z) are in the field figure, the discriminator purple; and
        // D's verdicts on real and generated data black and green, as those points are there.
        let losses = try LineChart(
            title: "Losses", xLabel: "step", yLabel: "loss (nats)", series: [lossD, lossG],
            categories: [4, 2], yRange: 0...top,
            // Short labels under the lines: the curves settle on them, and a label's patch hides what it covers.
            referenceLines: [ReferenceLine(log(4.0), label: "log 4", labelSide: .below),
                             ReferenceLine(log(2.0), label: "log 2", labelSide: .below)])
        let real = try series(AdversarialScalar.discriminatorReal, "D(x), real")
        let fake = try series(AdversarialScalar.discriminatorFake, "D(G(z)), generated")
        let outputs = try LineChart(
            title: "What the discriminator says", xLabel: "step", yLabel: "mean D (probability of real)",
            series: [real, fake], categories: [7, 2], yRange: 0...1,
            referenceLines: [ReferenceLine(0.5, label: "½", labelSide: .below)])
        return try SmallMultiples(title: "The two players' losses" + (c.text("run") == nil ? "" : " (\(name))"),
                                  subtitle: "moving average over \(max(1, lossD.x.count / 50)) steps; dashed: the equilibrium (G matches "
                                      + "the data, D = ½ everywhere: L_D = log 4 ≈ 1.386, L_G = log 2 ≈ 0.693)",
                                  panels: [losses, outputs], columns: 2)
    }

    /// Option `runs` (default all): modes of the ring covered by the probe's samples at every
    /// recorded step, one line per run, and the share of samples within 3σ of a mode.
    static func modes(_ c: FigureContext) throws -> Figure {
        var covered: [Series] = [], share: [Series] = [], categories: [Int] = []
        var modeCount = 8
        for run in try c.selectedRuns() {
            let gan = try GANTrace(run.figures)
            guard let ring = gan.ring else { throw FigureUnavailable("\(run.name) did not learn the ring of Gaussians") }
            modeCount = ring.centres.count
            let steps = gan.probeSteps
            let samples = try steps.map { try gan.samples(atStep: $0) }
            covered.append(Series(name: run.name, x: steps.map(Double.init), y: samples.map { Double(ring.covered($0)) }))
            share.append(Series(name: run.name, x: steps.map(Double.init), y: samples.map { 100 * ring.onModes($0) }))
            categories.append(GradientOverTimeFigures.category(of: run.name, in: c))
        }
        let panels: [Figure] = [
            try LineChart(title: "Modes covered", xLabel: "step",
                          yLabel: "modes with ≥ \(Int(100 * ModeCoverage.minimumShare)) % of samples",
                          series: covered, markers: true, categories: categories, yRange: 0...Double(modeCount) + 0.5),
            try LineChart(title: "Samples on a mode", xLabel: "step", yLabel: "% of samples within 3σ of a mode",
                          series: share, markers: true, categories: categories, yRange: 0...100),
        ]
        return try SmallMultiples(title: "How many of the \(modeCount) modes the generator covers",
                                  subtitle: "the same fixed z at every recorded step; covered: ≥ \(Int(100 * ModeCoverage.minimumShare)) % "
                                      + "of the samples within 3σ of the mode's centre",
                                  panels: panels, columns: 2)
    }
}
