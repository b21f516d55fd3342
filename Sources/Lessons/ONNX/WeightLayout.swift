import Tensor

/// Convolution weights between the engine's layout and ONNX's:
/// the engine keeps Keras's `[kh, kw, in, out]` (HWIO), ONNX's Conv takes
/// `[out, in, kh, kw]` (OIHW). Both maps are the permutation
/// W_oihw[o, i, r, s] = W_hwio[r, s, i, o].
enum WeightLayout {
    static func oihw(fromHWIO w: Tensor) -> Tensor {
        let (kh, kw, ci, co) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        var out = [Float](repeating: 0, count: w.count)
        let x = w.scalars
        for r in 0..<kh { for s in 0..<kw { for i in 0..<ci { for o in 0..<co {
            out[((o * ci + i) * kh + r) * kw + s] = x[((r * kw + s) * ci + i) * co + o]
        } } } }
        return Tensor(shape: [co, ci, kh, kw], scalars: out)
    }

    static func hwio(fromOIHW w: Tensor) -> Tensor {
        let (co, ci, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
        var out = [Float](repeating: 0, count: w.count)
        let x = w.scalars
        for o in 0..<co { for i in 0..<ci { for r in 0..<kh { for s in 0..<kw {
            out[((r * kw + s) * ci + i) * co + o] = x[((o * ci + i) * kh + r) * kw + s]
        } } } }
        return Tensor(shape: [kh, kw, ci, co], scalars: out)
    }

    /// A Dense weight read from an NCHW model's `Flatten` output (channel-major
    /// features c·H·W + h·W + w) reordered for the engine's NHWC flatten
    /// (h·W·C + w·C + c): row r of the engine's `[features, units]` matrix is
    /// row r′ of the given one.
    static func denseRowsFromCHW(_ w: Tensor, height: Int, width: Int, channels: Int) -> Tensor {
        let units = w.shape[1]
        var out = [Float](repeating: 0, count: w.count)
        let x = w.scalars
        for h in 0..<height { for v in 0..<width { for c in 0..<channels {
            let engineRow = (h * width + v) * channels + c, onnxRow = (c * height + h) * width + v
            for u in 0..<units { out[engineRow * units + u] = x[onnxRow * units + u] }
        } } }
        return Tensor(shape: w.shape, scalars: out)
    }
}
