import Render
import Tensor

/// A picture (a PNG someone drew or photographed) made into what a network
/// trained on MNIST-like data expects: one grey channel in [0, 1], bright ink
/// on a black background, at the model's input size. Normalisation is applied
/// later, by the model's own `InputNormalization`.
///
/// 1. Grey: transparent pixels count as white paper; grey = luminance
///    0.299 R + 0.587 G + 0.114 B.
/// 2. Invert when the background is light (the mean of the border pixels is
///    above ½): MNIST digits are white on black, drawings usually the reverse.
/// 3. Resize by area averaging (each output pixel is the mean of the input area
///    it covers). With `frameDigit`, first crop to the ink and frame it the way
///    MNIST was made: its longer side scaled to 20 of 28 pixels, its centre of
///    mass put at the centre.
public struct ImageInput {
    /// `[height, width, 1]`, values in [0, 1], ink bright.
    public let pixels: Tensor
    /// Whether the picture was dark on light and so inverted.
    public let inverted: Bool

    /// Pixels darker than this (after inversion) are background when framing.
    static let inkThreshold: Float = 0.2

    public init(_ image: RasterImage, height: Int, width: Int, frameDigit: Bool) throws {
        var grey = Self.grey(image)
        inverted = Self.borderMean(grey, width: image.width, height: image.height) > 0.5
        if inverted { grey = grey.map { 1 - $0 } }
        let values: [Float]
        if frameDigit {
            guard let framed = Self.framed(grey, width: image.width, height: image.height, toWidth: width, toHeight: height)
            else { throw PredictionError.blankImage }
            values = framed
        } else {
            values = areaResample(grey, width: image.width, height: image.height, toWidth: width, toHeight: height)
        }
        pixels = Tensor(shape: [height, width, 1], scalars: values)
    }

    /// Luminance in [0, 1] of premultiplied ARGB pixels composited over white.
    static func grey(_ image: RasterImage) -> [Float] {
        image.pixels.map { p in
            let alpha = Float(p >> 24)
            // Premultiplied: over white, each channel becomes c + (255 − α).
            func channel(_ shift: UInt32) -> Float { Float((p >> shift) & 0xFF) + 255 - alpha }
            return (0.299 * channel(16) + 0.587 * channel(8) + 0.114 * channel(0)) / 255
        }
    }

    /// Mean of the outermost rows and columns.
    static func borderMean(_ v: [Float], width: Int, height: Int) -> Float {
        let border = (0..<height).flatMap { y in (0..<width).filter { x in y == 0 || y == height - 1 || x == 0 || x == width - 1 }
            .map { v[y * width + $0] } }
        return border.reduce(0, +) / Float(max(1, border.count))
    }

    /// The ink cropped, scaled so its longer side is 20/28 of the output, and
    /// placed with its centre of mass at the output's centre; nil if there is no ink.
    static func framed(_ v: [Float], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [Float]? {
        let ink = v.indices.filter { v[$0] > inkThreshold }
        guard !ink.isEmpty else { return nil }
        let xs = ink.map { $0 % width }, ys = ink.map { $0 / width }
        let (x0, x1, y0, y1) = (xs.min()!, xs.max()!, ys.min()!, ys.max()!)
        let (cropW, cropH) = (x1 - x0 + 1, y1 - y0 + 1)
        let crop = (y0...y1).flatMap { y in v[(y * width + x0)...(y * width + x1)] }
        let box = Double(min(toWidth, toHeight)) * 20 / 28
        let scale = box / Double(max(cropW, cropH))
        let (w, h) = (max(1, Int((Double(cropW) * scale).rounded())), max(1, Int((Double(cropH) * scale).rounded())))
        let patch = areaResample(crop, width: cropW, height: cropH, toWidth: w, toHeight: h)
        // Centre of mass of the patch, then the offset that puts it at the middle (kept inside the frame).
        let mass = max(patch.reduce(0, +), 1e-6)
        let cx = patch.indices.map { Float($0 % w) * patch[$0] }.reduce(0, +) / mass
        let cy = patch.indices.map { Float($0 / w) * patch[$0] }.reduce(0, +) / mass
        let left = min(max(0, Int((Float(toWidth) / 2 - 0.5 - cx).rounded())), toWidth - w)
        let top = min(max(0, Int((Float(toHeight) / 2 - 0.5 - cy).rounded())), toHeight - h)
        var out = [Float](repeating: 0, count: toWidth * toHeight)
        for y in 0..<h { for x in 0..<w { out[(top + y) * toWidth + left + x] = patch[y * w + x] } }
        return out
    }
}

/// A row-major `width × height` image resized by area averaging: each output
/// pixel is the mean of the input over the rectangle it covers, partly covered
/// input pixels weighted by the part covered. Rows first, then columns.
func areaResample(_ v: [Float], width: Int, height: Int, toWidth: Int, toHeight: Int) -> [Float] {
    let rows = (0..<height).flatMap { y in resample1D(Array(v[(y * width)..<((y + 1) * width)]), to: toWidth) }
    var out = [Float](repeating: 0, count: toWidth * toHeight)
    for x in 0..<toWidth {
        let column = resample1D((0..<height).map { rows[$0 * toWidth + x] }, to: toHeight)
        for y in 0..<toHeight { out[y * toWidth + x] = column[y] }
    }
    return out
}

/// Output i averages the input over [i·s, (i+1)·s) with s = count / n.
private func resample1D(_ v: [Float], to n: Int) -> [Float] {
    let s = Double(v.count) / Double(n)
    return (0..<n).map { i in
        let (lo, hi) = (Double(i) * s, Double(i + 1) * s)
        var sum = 0.0
        for j in Int(lo)..<min(v.count, Int(hi.rounded(.up))) {
            sum += Double(v[j]) * (min(hi, Double(j + 1)) - max(lo, Double(j)))
        }
        return Float(sum / s)
    }
}
