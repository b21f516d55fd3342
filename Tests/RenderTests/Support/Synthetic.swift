import Foundation
import Render

/// Small deterministic data for figure tests (closed-form patterns, no RNG), chosen so a
/// reader of a golden image can tell what it should look like.
enum Synthetic {
    /// `[kh, kw, in, out]` kernels: oriented edge detectors whose angle turns with the
    /// output index and whose sign flips with the input index.
    static func kernels(size: Int = 5, inputs: Int = 1, outputs: Int = 8, gain: Float = 1) -> FloatArray {
        var values = [Float](repeating: 0, count: size * size * inputs * outputs)
        for y in 0..<size { for x in 0..<size { for i in 0..<inputs { for o in 0..<outputs {
            let angle = Float(o) * .pi / Float(outputs)
            let u = Float(x) - Float(size - 1) / 2, v = Float(y) - Float(size - 1) / 2
            let sign: Float = i % 2 == 0 ? 1 : -0.6
            values[((y * size + x) * inputs + i) * outputs + o] = gain * sign * (u * cos(angle) + v * sin(angle)) / Float(size)
        } } } }
        return try! FloatArray(shape: [size, size, inputs, outputs], values: values)
    }

    /// A 28×28 "digit": a ring (a zero) with a stroke, values in 0...1.
    static func digit(size: Int = 28, variant: Int = 0) -> FloatArray {
        var values = [Float](repeating: 0, count: size * size)
        let c = Float(size - 1) / 2
        for y in 0..<size { for x in 0..<size {
            let r = ((Float(x) - c) * (Float(x) - c) / 0.5 + (Float(y) - c) * (Float(y) - c)).squareRoot()
            let ring = max(0, 1 - abs(r - Float(size) * 0.32) / 2.2)
            let bar = variant % 2 == 1 && abs(Float(x) - c - Float(y - size / 2) * 0.2) < 1.6 ? Float(1) : 0
            values[y * size + x] = variant % 2 == 1 ? bar : ring
        } }
        return try! FloatArray(shape: [size, size], values: values)
    }

    /// `[h, w, c]` activations: channel `k` responds to a blob moving across the image;
    /// `signed` subtracts a bias so some values are negative.
    static func activations(size: Int, channels: Int, signed: Bool = false) -> FloatArray {
        var values = [Float](repeating: 0, count: size * size * channels)
        for y in 0..<size { for x in 0..<size { for k in 0..<channels {
            let cx = Float(k % 8) / 7 * Float(size - 1), cy = Float(k / 8 % 8) / 7 * Float(size - 1)
            let d2 = (Float(x) - cx) * (Float(x) - cx) + (Float(y) - cy) * (Float(y) - cy)
            let v = exp(-d2 / Float(size)) * (1 + Float(k % 3)) - (signed ? 0.4 : 0)
            values[(y * size + x) * channels + k] = v
        } } }
        return try! FloatArray(shape: [size, size, channels], values: values)
    }
}
