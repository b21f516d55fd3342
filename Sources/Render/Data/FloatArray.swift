/// An n-dimensional array of Float in row-major order: the plain form in which plots take
/// tensors, so the renderer needs nothing from the engine or the trace reader. Layouts
/// follow the engine (NHWC, Keras): an image or activation is `[height, width, channels]`,
/// a convolution kernel is `[kernelHeight, kernelWidth, inChannels, outChannels]`, a matrix
/// is `[rows, columns]`.
public struct FloatArray: Equatable, Sendable {
    public let shape: [Int]
    public let values: [Float]

    /// Throws if `values.count` is not the product of `shape` or a dimension is negative.
    public init(shape: [Int], values: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
            throw RenderError.badShape(figure: "FloatArray", what: "\(values.count) values", shape: shape,
                                       expected: "a shape whose product is \(values.count)")
        }
        self.shape = shape
        self.values = values
    }

    /// A `[rows, columns]` matrix from nested rows (all rows the same length).
    public init(rows: [[Float]]) throws {
        let columns = rows.first?.count ?? 0
        guard rows.allSatisfy({ $0.count == columns }) else {
            throw RenderError.badShape(figure: "FloatArray", what: "rows", shape: rows.map(\.count),
                                       expected: "rows of equal length")
        }
        try self.init(shape: [rows.count, columns], values: rows.flatMap { $0 })
    }

    public var isEmpty: Bool { values.isEmpty }

    /// Channel `c` of a `[height, width, channels]` array as a row-major `height × width` plane.
    func channel(_ c: Int) -> [Float] {
        let (h, w, channels) = (shape[0], shape[1], shape[2])
        var plane = [Float](repeating: 0, count: h * w)
        for i in 0..<(h * w) { plane[i] = values[i * channels + c] }
        return plane
    }

    /// The `kh × kw` plane of kernel (`input`, `output`) of a `[kh, kw, in, out]` weight.
    func kernel(input: Int, output: Int) -> [Float] {
        let (kh, kw, inputs, outputs) = (shape[0], shape[1], shape[2], shape[3])
        return (0..<(kh * kw)).map { values[($0 * inputs + input) * outputs + output] }
    }

    /// Shape written as `26×26×8`.
    public var shapeText: String { shape.map(String.init).joined(separator: "×") }
}

/// A named series of (x, y) points for line charts and curves. Non-finite points break the
/// line (a diverging loss shows as a line that stops) rather than being drawn.
public struct Series: Equatable, Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// Half-widths of error bars (one standard error, say) per point; nil draws none.
    public var errors: [Double]?

    public init(name: String, x: [Double], y: [Double], errors: [Double]? = nil) {
        self.name = name; self.x = x; self.y = y; self.errors = errors
    }

    /// `y` against `0, 1, 2, ...`.
    public init(name: String, y: [Double]) { self.init(name: name, x: y.indices.map(Double.init), y: y) }

    var points: [(Double, Double)] { Array(zip(x, y)) }
}
