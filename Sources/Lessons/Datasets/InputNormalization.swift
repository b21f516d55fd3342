import NeuralNet
import Tensor

/// How a lesson rescales its inputs before the network sees them (`data.normalize`).
public enum NormalizationMethod: String, Codable, CaseIterable, Sendable {
    /// The values as stored: pixel bytes 0…255; synthetic points as generated.
    case none
    /// Pixels divided by 255, into [0, 1], as Keras lessons do (images only).
    case scale
    /// Pixels into [−1, 1], 2·x/255 − 1 (images only): the range of a tanh, so that a
    /// GAN's generator ending in tanh can produce every pixel value (Radford et al. 2015).
    case symmetric
    /// Per channel `(x − μ) / σ`, with μ and σ measured on the training examples.
    case standardize

    /// What a dataset gets when its lesson names no method: images are scaled
    /// (the loaders already divide by 255), synthetic points left as generated.
    public static func standard(for dataset: LessonDataset) -> NormalizationMethod {
        if dataset.isImages { return .scale }
        // A table's columns come in their own units (cm, kg, years): put them on one scale.
        if case .csv = dataset { return .standardize }
        return .none
    }
}

/// The affine map from inputs as the loaders give them (pixels already in
/// [0, 1]) to what the network is trained on, one pair of numbers per channel
/// (the last axis, as Keras' `Normalization(axis=-1)`):
///
///     x′ = (x − offset[c]) · factor[c]
///
/// `none` on images is `offset 0, factor 255` (back to pixel bytes), `scale` is
/// the identity, `symmetric` is `offset ½, factor 2`, `standardize` is `offset μ_c, factor 1/σ_c`. A grey image has
/// one channel, so MNIST gets one global μ and σ (≈ 0.13 and 0.31): a σ per
/// pixel would divide the always-black border pixels by σ ≈ 0 and blow up any
/// stray mark there. Points in the plane get a μ and σ per coordinate.
///
/// The statistics come from the training examples only; validation, test and
/// new inputs reuse them, so nothing about held-out data leaks into training.
/// The trained model keeps this map (`model.json`), so `learn predict` feeds
/// new inputs the same way.
public struct InputNormalization: Codable, Equatable, Sendable {
    public var method: NormalizationMethod
    public var offset: [Float]
    public var factor: [Float]

    public init(method: NormalizationMethod, offset: [Float], factor: [Float]) {
        self.method = method
        self.offset = offset
        self.factor = factor
    }

    /// The map of `method` for `inputs` (the training examples, `[N, ..., C]`);
    /// `images` says whether they are pixels scaled by 1/255 on loading. A
    /// channel with σ = 0 (constant) is only centred.
    public static func fitted(_ method: NormalizationMethod, to inputs: Tensor, images: Bool) throws -> InputNormalization {
        let channels = inputs.shape.last ?? 1
        switch method {
        case .none:
            return InputNormalization(method: method, offset: Array(repeating: 0, count: channels),
                                      factor: Array(repeating: images ? 255 : 1, count: channels))
        case .scale, .symmetric:
            guard images else { throw NormalizationError.scaleNeedsPixels(method) }
            let symmetric = method == .symmetric
            return InputNormalization(method: method, offset: Array(repeating: symmetric ? 0.5 : 0, count: channels),
                                      factor: Array(repeating: symmetric ? 2 : 1, count: channels))
        case .standardize:
            let moments = channelMoments(inputs)
            return InputNormalization(method: method, offset: moments.map { Float($0.mean) },
                                      factor: moments.map { $0.std > 0 ? Float(1 / $0.std) : 1 })
        }
    }

    /// Whether the map changes nothing (then it is not applied at all).
    public var isIdentity: Bool { offset.allSatisfy { $0 == 0 } && factor.allSatisfy { $0 == 1 } }

    /// `inputs` (`[..., C]`) mapped channel by channel: x′ = (x − offset[c]) · factor[c].
    public func apply(_ inputs: Tensor) -> Tensor {
        perChannel(inputs) { x, o, f in (x - o) * f }
    }

    /// The inverse map, x = x′ / factor[c] + offset[c]: a generator's samples back to
    /// pixels in [0, 1] as the loaders give them (for pictures and pixel distances).
    public func invert(_ inputs: Tensor) -> Tensor {
        perChannel(inputs) { x, o, f in x / f + o }
    }

    /// `map(x, offset[c], factor[c])` for every value of `inputs` in channel c.
    @inline(__always)
    private func perChannel(_ inputs: Tensor, _ map: (Float, Float, Float) -> Float) -> Tensor {
        guard !isIdentity else { return inputs }
        let channels = offset.count
        precondition(inputs.shape.last == channels, "normalisation of \(channels) channels for shape \(inputs.shape)")
        var out = inputs.scalars
        for c in 0..<channels {
            let (o, f) = (offset[c], factor[c])
            for i in stride(from: c, to: out.count, by: channels) { out[i] = map(out[i], o, f) }
        }
        return Tensor(shape: inputs.shape, scalars: out)
    }

    /// The same examples with normalised inputs.
    public func apply(_ data: LabeledData) -> LabeledData {
        var mapped = data
        mapped.inputs = apply(data.inputs)
        return mapped
    }
}

/// Mean and population standard deviation of each channel (last axis) over
/// every other axis, accumulated in Double.
public func channelMoments(_ inputs: Tensor) -> [(mean: Double, std: Double)] {
    let channels = max(1, inputs.shape.last ?? 1)
    var sum = [Double](repeating: 0, count: channels), squares = sum
    for c in 0..<channels {
        for i in stride(from: c, to: inputs.count, by: channels) {
            let v = Double(inputs.scalars[i])
            sum[c] += v
            squares[c] += v * v
        }
    }
    let n = Double(max(1, inputs.count / channels))
    return (0..<channels).map { c in
        let mean = sum[c] / n
        return (mean, max(0, squares[c] / n - mean * mean).squareRoot())
    }
}

/// A normalisation that does not fit the data.
public enum NormalizationError: Error, CustomStringConvertible, Equatable {
    /// `scale` or `symmetric` on data that are not pixels.
    case scaleNeedsPixels(NormalizationMethod)

    public var description: String {
        switch self {
        case let .scaleNeedsPixels(method):
            return "data.normalize: '\(method.rawValue)' maps pixel values 0–255, and this dataset has no pixels "
                + "(use 'none' or 'standardize')"
        }
    }
}
