/// A 2-D GAN at one moment (GAN Lab's main view): the discriminator's output D(x) at every
/// point of the plane as a pale diverging field (blue: "generated", white: D = ½, unsure;
/// red: "real"), the real data as small dark dots, the generator's samples as green dots,
/// and, from some samples, arrows along −∂ℓ_G/∂x: where the generator's update pushes them.
/// Input: `field` `[ny, nx]` of D(x) ∈ [0, 1] on a grid over `xRange × yRange` in mesh-grid
/// order (row 0 is the lowest y, as `DecisionBoundary` takes it); `arrows` start at
/// (x, y) and end at (x + dx, y + dy), in data units.
public struct AdversarialPlane: Figure {
    public let title: String
    public let xRange: ClosedRange<Double>
    public let yRange: ClosedRange<Double>
    public let field: FloatArray
    public let real: (x: [Double], y: [Double])
    public let generated: (x: [Double], y: [Double])
    public let arrows: [(x: Double, y: Double, dx: Double, dy: Double)]
    /// Whether to show the colour bar (panels in a row may leave it to one of them).
    public let colorbar: Bool
    /// Whether to show the legend (small panels leave it to their figure's subtitle:
    /// in a panel a third of a page wide it would cover the data).
    public let legend: Bool

    public static let generatedColor = Color(hex: 0x009E73)
    static let realColor = Color(hex: 0x222222)

    public init(title: String, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, field: FloatArray,
                real: (x: [Double], y: [Double]), generated: (x: [Double], y: [Double]),
                arrows: [(x: Double, y: Double, dx: Double, dy: Double)] = [], colorbar: Bool = true,
                legend: Bool = true) throws {
        let figure = "adversarial plane '\(title)'"
        guard field.shape.count == 2, field.shape.allSatisfy({ $0 > 0 }) else {
            throw RenderError.badShape(figure: figure, what: "field", shape: field.shape, expected: "[ny, nx], all > 0")
        }
        guard xRange.upperBound > xRange.lowerBound, yRange.upperBound > yRange.lowerBound else {
            throw RenderError.invalidSize(what: "\(figure): range width", value: 0)
        }
        guard real.x.count == real.y.count else {
            throw RenderError.countMismatch(figure: figure, what: "real y", expected: real.x.count, got: real.y.count)
        }
        guard generated.x.count == generated.y.count else {
            throw RenderError.countMismatch(figure: figure, what: "generated y", expected: generated.x.count,
                                            got: generated.y.count)
        }
        guard field.values.hasFiniteValue else { throw RenderError.noFiniteValues(figure: figure, what: "field") }
        self.title = title; self.xRange = xRange; self.yRange = yRange; self.field = field
        self.real = real; self.generated = generated; self.arrows = arrows; self.colorbar = colorbar
        self.legend = legend
    }

    /// D's scale: 0 ("generated") blue, ½ white, 1 ("real") red.
    static func scale(_ theme: Theme) -> ColorScale {
        ColorScale(colormap: theme.diverging, lower: 0, upper: 1, missing: theme.missingValue)
    }

    func barWidth(_ theme: Theme) -> Double { colorbar ? Colorbar.width(theme: theme) : 0 }

    /// Square plot area: the plane is drawn with equal aspect when the ranges are equal.
    public func height(forWidth width: Double, theme: Theme) -> Double {
        let plot = width - 2 * theme.margin - barWidth(theme) - 58
        return (plot * (yRange.upperBound - yRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) + 82).rounded()
    }

    public func draw(on canvas: Canvas, in frame: Rect) throws {
        let theme = canvas.theme
        let inner = frame.inset(by: theme.margin)
        let bar = barWidth(theme)
        let axes = Axes(in: Rect(x: inner.minX, y: inner.minY, width: inner.width - bar, height: inner.height),
                        x: AxisSpec(label: "x₁", lower: xRange.lowerBound, upper: xRange.upperBound),
                        y: AxisSpec(label: "x₂", lower: yRange.lowerBound, upper: yRange.upperBound),
                        title: title, canvas: canvas)
        let scale = Self.scale(theme)
        let (ny, nx) = (field.shape[0], field.shape[1])
        var pixels = [Color](repeating: .white, count: nx * ny)
        for i in 0..<ny { for j in 0..<nx {
            pixels[(ny - 1 - i) * nx + j] = Color.white.mixed(with: scale.color(Double(field.values[i * nx + j])), 0.6)
        } }
        try canvas.image(pixels, width: nx, height: ny, in: axes.plotArea)
        canvas.clipped(to: axes.plotArea) {
            for (u, v) in zip(real.x, real.y) {
                if let p = axes.point(u, v) { canvas.circle(center: p, radius: 1.5, fill: Self.realColor.withAlpha(0.55)) }
            }
            for (u, v) in zip(generated.x, generated.y) {
                if let p = axes.point(u, v) {
                    canvas.circle(center: p, radius: 2.6, fill: Self.generatedColor, stroke: .white, lineWidth: 0.6)
                }
            }
            for a in arrows {
                guard let p = axes.point(a.x, a.y), let q = axes.point(a.x + a.dx, a.y + a.dy) else { continue }
                canvas.arrow(from: p, to: q, theme.ink, width: 1.1, head: 5)
            }
        }
        axes.drawDecorations(on: canvas)
        if legend { drawLegend(on: canvas, axes: axes) }
        if colorbar {
            let rect = Rect(x: inner.maxX - bar + theme.gap, y: axes.plotArea.minY, width: bar - theme.gap,
                            height: axes.plotArea.height)
            try Colorbar(scale: scale, label: "D(x): P(real)").draw(on: canvas, in: rect)
        }
    }

    private func drawLegend(on canvas: Canvas, axes: Axes) {
        let theme = canvas.theme
        var entries = [LegendEntry(label: "real data", color: Self.realColor, mark: .dot),
                       LegendEntry(label: "generated G(z)", color: Self.generatedColor, mark: .dot)]
        if !arrows.isEmpty { entries.append(LegendEntry(label: "→ −∂ℓ_G/∂x", color: theme.ink, mark: .line)) }
        Legend(entries).draw(on: canvas, in: axes.plotArea,
                             avoiding: axes.placed(real.x + generated.x, real.y + generated.y).map { [$0] })
    }
}
