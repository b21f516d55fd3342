/// A vertical colour ramp with its value range labelled: nice ticks inside the range plus
/// the two end values, so a reader sees both the scale and the exact extremes.
public struct Colorbar {
    public var scale: ColorScale
    public var label: String

    public init(scale: ColorScale, label: String) { self.scale = scale; self.label = label }

    /// Width a colorbar needs beside a plot.
    public static func width(theme: Theme) -> Double { 16 + 8 + theme.tickSize * 4.6 + theme.labelSize * 1.6 }

    /// Draws into a strip `rect`; the bar spans the strip's height.
    public func draw(on canvas: Canvas, in rect: Rect) throws {
        let theme = canvas.theme
        let bar = Rect(x: rect.minX, y: rect.minY, width: 14, height: rect.height)
        let steps = 256
        let ramp = (0..<steps).map { scale.colormap.color(at: 1 - (Double($0) + 0.5) / Double(steps)) }
        try canvas.image(ramp, width: 1, height: steps, in: bar)
        canvas.stroke(bar, theme.ink, width: theme.thinLineWidth)
        let axis = Scale(kind: .linear, lower: scale.lower, upper: scale.upper, start: bar.maxY, end: bar.minY)
        var ticks = axis.ticks(target: 4)
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : scale.upper - scale.lower
        // Drop nice ticks whose labels would touch the labelled ends.
        let room = theme.tickSize * 1.3
        ticks = ticks.filter { t in
            guard let y = axis.position(t) else { return false }
            return abs(y - bar.minY) > room && abs(y - bar.maxY) > room
        }
        var labelled = ticks.map { ($0, Ticks.label($0, step: step)) }
        labelled += [(scale.lower, Ticks.compact(scale.lower)), (scale.upper, Ticks.compact(scale.upper))]
        for (value, text) in labelled {
            guard let y = axis.position(value) else { continue }
            canvas.line(from: Point(bar.maxX, y), to: Point(bar.maxX + 3, y), theme.ink, width: theme.thinLineWidth)
            canvas.text(text, at: Point(bar.maxX + 5, y), theme.tickStyle, anchor: .left)
        }
        if !label.isEmpty {
            canvas.text(label, at: Point(rect.maxX, bar.center.y), theme.labelStyle, anchor: .bottom, angle: -Double.pi / 2)
        }
    }
}
