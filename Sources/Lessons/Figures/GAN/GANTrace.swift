import Foundation
import NeuralNet
import Tensor
import Trace

/// A GAN run's trace as its figures read it: the generated samples of the probe's fixed
/// noise and their pushes (−∂ℓ_G/∂x) at the recorded steps, the discriminator rebuilt
/// from the trace's weights at any of those steps, the real points, and, for the ring,
/// how many of its modes the samples cover.
struct GANTrace {
    let figures: TraceFigures
    let architecture: GANArchitecture

    init(_ figures: TraceFigures) throws {
        guard let architecture = try GANArchitecture.read(from: figures.folder) else {
            throw FigureUnavailable("the run is not a GAN (no \(GANArchitecture.fileName) beside its trace)")
        }
        self.figures = figures
        self.architecture = architecture
    }

    /// Steps at which the trace keeps the probe's samples (and both models' weights).
    var probeSteps: [Int] { figures.steps(holding: GANSpec.generatorName, kind: .activation) }

    /// The generated samples of the probe's noise at `step`, `[P, data shape…]`.
    func samples(atStep step: Int) throws -> Tensor {
        try figures.reader.tensor(GANSpec.generatorName, kind: .activation, step: step)
    }

    /// ∂ℓ_j/∂x of each probe sample's own generator loss at `step` (minus it: the push).
    func sampleGradients(atStep step: Int) throws -> Tensor {
        try figures.reader.tensor(GANSpec.generatorName, kind: .gradient, step: step)
    }

    /// The discriminator with the weights its forward pass used at `step`.
    func discriminator(atStep step: Int) throws -> Sequential {
        let d = try architecture.models().discriminator
        var state: [String: Tensor] = [:]
        for p in d.parameters { state[p.name] = try figures.reader.tensor(p.name, kind: .weight, step: step) }
        try d.loadStateDict(state)
        return d
    }

    /// The real examples the run trained on.
    func realPoints() throws -> Tensor {
        guard let record = try TrainingSetRecord.read(fromTrace: figures.folder) else {
            throw FigureUnavailable("the run kept no training set beside its trace")
        }
        return record.inputs
    }

    /// The ring's modes and σ when the run learned the ring (nil for other data).
    var ring: ModeCoverage? {
        let hyper = figures.reader.manifest.run.hyperparameters
        guard hyper["dataset"] == SyntheticDataset.ring.rawValue, let sigma = hyper["data_noise"].flatMap(Double.init) else {
            return nil
        }
        return ModeCoverage(centres: SyntheticDataset.ringCentres, sigma: sigma)
    }

    /// The run's scalar `name` at every step.
    func scalar(_ name: String) throws -> [(step: Int, value: Double)] {
        try figures.reader.scalars().column(name).map { ($0.step, $0.value) }
    }
}

/// Which modes of a mixture of Gaussians (centres, common σ) generated samples cover. A
/// sample is on a mode when it lies within 3σ of that mode's centre (the "high-quality
/// samples" of Srivastava et al. 2017, VEEGAN); a mode is covered when at least
/// `minimumShare` of the samples are on it (2 %: 11 of 512; a fair share of 8 modes is 12.5 %).
struct ModeCoverage {
    let centres: [(x: Double, y: Double)]
    let sigma: Double
    static let minimumShare = 0.02

    /// Samples on each mode, `[P, 2]` points in; a sample counts for the nearest centre within 3σ.
    func counts(_ samples: Tensor) -> [Int] {
        var counts = [Int](repeating: 0, count: centres.count)
        for i in 0..<samples.shape[0] {
            let x = Double(samples.scalars[2 * i]), y = Double(samples.scalars[2 * i + 1])
            let distances = centres.map { ((x - $0.x) * (x - $0.x) + (y - $0.y) * (y - $0.y)).squareRoot() }
            if let k = distances.indices.min(by: { distances[$0] < distances[$1] }), distances[k] <= 3 * sigma {
                counts[k] += 1
            }
        }
        return counts
    }

    /// Modes holding at least `minimumShare` of the samples.
    func covered(_ samples: Tensor) -> Int {
        let need = Double(samples.shape[0]) * Self.minimumShare
        return counts(samples).filter { Double($0) >= need }.count
    }

    /// The fraction of samples within 3σ of some mode.
    func onModes(_ samples: Tensor) -> Double {
        Double(counts(samples).reduce(0, +)) / Double(max(samples.shape[0], 1))
    }
}

extension PlaneGrid {
    /// A grid over the given ranges (so that every panel of a series shares its plane).
    init(xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, columns: Int = 100, rows: Int = 100) {
        self.xRange = xRange
        self.yRange = yRange
        self.columns = columns
        self.rows = rows
    }
}
