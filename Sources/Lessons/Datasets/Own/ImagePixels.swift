import Render
import Tensor

/// A decoded picture as a network input: `[height, width, channels]` in [0, 1],
/// resized by area averaging (`areaResample`, each output pixel the mean of the
/// input area it covers). Transparent pixels count as white paper. One channel is
/// the luminance 0.299 R + 0.587 G + 0.114 B; three are R, G, B.
public enum ImagePixels {
    public static func tensor(_ image: RasterImage, channels: Int, height: Int, width: Int) -> Tensor {
        let planes = channels == 1 ? [ImageInput.grey(image)] : (0..<3).map { colourPlane(image, $0) }
        let resized = planes.map { areaResample($0, width: image.width, height: image.height, toWidth: width, toHeight: height) }
        var out = [Float](repeating: 0, count: height * width * channels)
        for (c, plane) in resized.enumerated() {
            for i in 0..<(height * width) { out[i * channels + c] = plane[i] }
        }
        return Tensor(shape: [height, width, channels], scalars: out)
    }

    /// Channel `index` (0 red, 1 green, 2 blue) of premultiplied ARGB pixels over white, in [0, 1].
    static func colourPlane(_ image: RasterImage, _ index: Int) -> [Float] {
        let shift = UInt32(16 - 8 * index)
        return image.pixels.map { p in (Float((p >> shift) & 0xFF) + 255 - Float(p >> 24)) / 255 }
    }
}
