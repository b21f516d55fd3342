import Foundation
import NeuralNet
import Tensor

/// Small datasets drawn from formulas, so a lesson can show every point and the
/// whole input plane: the classic TensorFlow Playground sets, a Gaussian
/// mixture, and a noisy sine for regression. Inputs lie in about [-1, 1] (sine:
/// [-3, 3]); each set is a pure function of (seed, part), so the training and
/// test sets differ and a run is reproducible.
///
/// ```swift
/// let train = SyntheticDataset.spirals.generate(count: 400, noise: 0.05, seed: 42, part: "train")
/// train.inputs.shape   // [400, 2]
/// ```
public enum SyntheticDataset: String, CaseIterable, Sendable {
    /// Two interleaved spirals, 1¾ turns each.
    case spirals
    /// Two interleaving half circles (scikit-learn's `make_moons`).
    case moons
    /// Points in the square labelled by whether x and y have different signs.
    case xor
    /// A disc inside a ring.
    case circles
    /// Three Gaussian clusters.
    case blobs
    /// y = sin(x) plus noise, x in [-3, 3]: a regression task.
    case sine
    /// Eight Gaussians (σ = the noise) centred on the unit circle at angles 2πk/8: the
    /// classic test of whether a GAN covers every mode. The label is the mode.
    case ring

    public var classNames: [String] {
        switch self {
        case .spirals, .moons: return ["A", "B"]
        case .xor: return ["same sign", "different sign"]
        case .circles: return ["ring", "disc"]
        case .blobs: return ["A", "B", "C"]
        case .sine: return []
        case .ring: return Self.ringCentres.indices.map { "mode \($0 + 1)" }
        }
    }

    public var isRegression: Bool { self == .sine }

    /// Noise used when a lesson gives none: the Gaussian jitter's standard deviation.
    public var defaultNoise: Double { self == .sine ? 0.1 : 0.05 }

    /// `count` examples, classes balanced by taking them in turn.
    public func generate(count: Int, noise: Double, seed: UInt64, part: String) throws -> LabeledData {
        var rng = RandomStream(seed: seed, name: "dataset-\(rawValue)-\(part)")
        let sigma = Float(noise)
        if self == .sine {
            var xs: [Float] = [], ys: [Float] = []
            for _ in 0..<count {
                let x = rng.nextUniform(-3, 3)
                xs.append(x)
                ys.append(sin(x) + sigma * rng.nextNormal())
            }
            return try LabeledData(inputs: Tensor(shape: [count, 1], scalars: xs),
                               targets: Tensor(shape: [count, 1], scalars: ys))
        }
        var points: [Float] = [], labels: [Int] = []
        for i in 0..<count {
            let label = self == .xor ? -1 : i % classNames.count
            var (x, y, l) = point(label: label, rng: &rng)
            x += sigma * rng.nextNormal()
            y += sigma * rng.nextNormal()
            points += [x, y]
            labels.append(l)
        }
        return try LabeledData(inputs: Tensor(shape: [count, 2], scalars: points), labels: labels, classNames: classNames)
    }

    /// One noiseless point of class `label` (XOR decides the class from the point).
    private func point(label: Int, rng: inout RandomStream) -> (Float, Float, Int) {
        switch self {
        case .spirals:
            // r = t, θ = 3.5πt + πc: the two arms are half a turn apart.
            let t = rng.nextUniform(0.05, 1)
            let angle = 3.5 * Float.pi * t + Float(label) * Float.pi
            return (t * cos(angle), t * sin(angle), label)
        case .moons:
            let theta = rng.nextUniform(0, Float.pi)
            return label == 0 ? (cos(theta) * 0.6 - 0.3, sin(theta) * 0.6 - 0.15, 0)
                : ((1 - cos(theta)) * 0.6 - 0.3, (0.5 - sin(theta)) * 0.6 - 0.15, 1)
        case .xor:
            let x = rng.nextUniform(-1, 1), y = rng.nextUniform(-1, 1)
            return (x, y, (x > 0) != (y > 0) ? 1 : 0)
        case .circles:
            let theta = rng.nextUniform(0, 2 * Float.pi)
            let r = label == 0 ? rng.nextUniform(0.7, 1) : rng.nextUniform(0, 0.4)
            return (r * cos(theta), r * sin(theta), label)
        case .blobs:
            let centres: [(Float, Float)] = [(-0.5, -0.4), (0.5, -0.3), (0, 0.5)]
            let (cx, cy) = centres[label]
            return (cx + 0.18 * rng.nextNormal(), cy + 0.18 * rng.nextNormal(), label)
        case .sine:
            return (0, 0, 0)
        case .ring:
            let (cx, cy) = Self.ringCentres[label]
            return (Float(cx), Float(cy), label)
        }
    }

    /// The ring's mode centres: (cos 2πk/8, sin 2πk/8), k = 0…7.
    public static let ringCentres: [(x: Double, y: Double)] = (0..<8).map { k in
        (cos(2 * Double.pi * Double(k) / 8), sin(2 * Double.pi * Double(k) / 8))
    }
}
