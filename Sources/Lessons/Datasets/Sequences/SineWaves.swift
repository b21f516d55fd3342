import Foundation
import NeuralNet
import Tensor

/// Windows of noisy sine waves for next-value prediction: each sequence is
/// y_s = A·sin(ω·s + φ) (half of them plus a second wave of another frequency) plus
/// Gaussian noise, sampled at steps s = 0…T; the input is y_0…y_{T−1} `[T, 1]` and
/// the target at every step the next value y_1…y_T. Amplitudes, frequencies and
/// phases are drawn per sequence from (seed, part), so a model must read the wave it
/// is given rather than memorise one.
public enum SineWaves {
    /// `count` sequences of `length` steps.
    public static func generate(count: Int, length: Int, noise: Double, seed: UInt64, part: String) throws -> SequenceData {
        var rng = RandomStream(seed: seed, name: "sine-waves-\(part)")
        var inputs: [Float] = [], targets: [Float] = []
        inputs.reserveCapacity(count * length)
        targets.reserveCapacity(count * length)
        for n in 0..<count {
            let wave = Wave(&rng, sum: n % 2 == 1)
            let values = (0...length).map { s in wave.value(at: Float(s)) + Float(noise) * rng.nextNormal() }
            inputs += values.prefix(length)
            targets += values.dropFirst()
        }
        return try SequenceData(inputs: Tensor(shape: [count, length, 1], scalars: inputs),
                                targets: Tensor(shape: [count, length, 1], scalars: targets))
    }

    /// One long series of `length` steps (a sum of two waves), noisy and clean: what a
    /// model's forecast fed back on itself is compared with.
    public static func longSeries(length: Int, noise: Double, seed: UInt64) -> (values: [Float], clean: [Float]) {
        var rng = RandomStream(seed: seed, name: "sine-waves-long")
        let wave = Wave(&rng, sum: true)
        let clean = (0..<length).map { wave.value(at: Float($0)) }
        return (clean.map { $0 + Float(noise) * rng.nextNormal() }, clean)
    }

    /// One or two sinusoids: the clean signal a sequence is drawn from.
    public struct Wave: Sendable {
        public var amplitudes: [Float]
        public var frequencies: [Float]
        public var phases: [Float]

        init(_ rng: inout RandomStream, sum: Bool) {
            let waves = sum ? 2 : 1
            amplitudes = (0..<waves).map { _ in rng.nextUniform(0.5, 1) / Float(waves) }
            frequencies = (0..<waves).map { k in rng.nextUniform(0.15, 0.45) * (k == 0 ? 1 : 2.3) }
            phases = (0..<waves).map { _ in rng.nextUniform(0, 2 * Float.pi) }
        }

        public func value(at s: Float) -> Float {
            zip(amplitudes, zip(frequencies, phases)).reduce(0) { $0 + $1.0 * sin($1.1.0 * s + $1.1.1) }
        }
    }
}
