import Foundation
import XCTest
@testable import Render

/// Axis ticks thin out on short axes, and subtitles wrap to the figure's width.
final class AxesLayoutTests: XCTestCase {
    private func canvas() throws -> Canvas { try ImageCanvas(size: Size(400, 400), scale: 1, theme: .standard).canvas }

    /// On an axis too short for six labels, neighbouring tick labels keep a gap: no overlap.
    func testShortAxisGetsFewerTicksWhoseLabelsDoNotOverlap() throws {
        let canvas = try canvas(), theme = canvas.theme
        let tall = Axes(in: Rect(x: 0, y: 0, width: 300, height: 300), x: AxisSpec(label: "x", lower: 0, upper: 1),
                        y: AxisSpec(label: "w", lower: -0.3, upper: 0.3), title: nil, canvas: canvas)
        let short = Axes(in: Rect(x: 0, y: 0, width: 300, height: 95), x: AxisSpec(label: "x", lower: 0, upper: 1),
                         y: AxisSpec(label: "w", lower: -0.3, upper: 0.3), title: nil, canvas: canvas)
        XCTAssertGreaterThan(tall.yTicks.count, short.yTicks.count)
        XCTAssertGreaterThanOrEqual(short.yTicks.count, 2)
        let positions = short.yTicks.compactMap { short.y.position($0) }.sorted()
        for (a, b) in zip(positions, positions.dropFirst()) {
            XCTAssertGreaterThanOrEqual(b - a, theme.tickSize * 1.2, "labels \(short.yTicks) overlap")
        }
    }

    func testLongXTickLabelsThinOut() throws {
        let canvas = try canvas()
        let axes = Axes(in: Rect(x: 0, y: 0, width: 160, height: 200), x: AxisSpec(label: "step", lower: 0, upper: 120_000),
                        y: AxisSpec(label: "y", lower: 0, upper: 1), title: nil, canvas: canvas)
        let labels = axes.xTicks.map { axes.x.tickLabel($0, among: axes.xTicks) }
        let placed = zip(axes.xTicks, labels).compactMap { t, l in axes.x.position(t).map { ($0, canvas.measure(l, canvas.theme.tickStyle).width) } }
        for (a, b) in zip(placed, placed.dropFirst()) { XCTAssertGreaterThan(b.0 - a.0, (a.1 + b.1) / 2, "\(labels)") }
    }

    /// Given ticks (the learning rates a sweep tried) label a log axis where they have room;
    /// on an axis too short for their labels, round numbers that fit replace them.
    func testGivenTicksAreUsedWhereTheirLabelsFit() throws {
        let canvas = try canvas(), rates = [0.003, 0.01, 0.03, 0.1, 0.3]
        let spec = AxisSpec(label: "learning rate", kind: .log, lower: 0.002, upper: 0.45, ticks: rates + [5])
        let wide = Axes(in: Rect(x: 0, y: 0, width: 400, height: 200), x: spec,
                        y: AxisSpec(label: "y", lower: 0, upper: 1), title: nil, canvas: canvas)
        XCTAssertEqual(wide.xTicks, rates, "those inside the domain")
        XCTAssertEqual(wide.x.tickLabel(0.003, among: wide.xTicks), "0.003")
        let narrow = Axes(in: Rect(x: 0, y: 0, width: 120, height: 200), x: spec,
                          y: AxisSpec(label: "y", lower: 0, upper: 1), title: nil, canvas: canvas)
        XCTAssertNotEqual(narrow.xTicks, rates)
        XCTAssertFalse(narrow.xTicks.isEmpty)
    }

    /// A subtitle wider than the figure takes more lines, and the figure grows to hold them.
    func testLongSubtitleWrapsAndTheHeaderGrows() {
        let theme = Theme.standard
        let short = FigureHeader(title: "t", subtitle: "short")
        let long = FigureHeader(title: "t", subtitle: String(repeating: "a long subtitle that goes on ", count: 8))
        XCTAssertEqual(FigureHeader.lineCount("short", width: 500, theme: theme), 1)
        XCTAssertGreaterThanOrEqual(FigureHeader.lineCount(long.subtitle!, width: 500, theme: theme), 3)
        XCTAssertGreaterThan(long.height(width: 500, theme: theme), short.height(width: 500, theme: theme) + 2 * theme.labelSize)
        XCTAssertEqual(long.height(width: 5000, theme: theme), short.height(width: 5000, theme: theme))
    }

    /// A title wider than the plot area (a wide y label pushes the plot right) moves left to
    /// stay inside the axes' rectangle, and one wider than the rectangle is set smaller.
    func testTitleStaysInsideTheAxesRectangle() throws {
        let canvas = try canvas()
        let axes = Axes(in: Rect(x: 0, y: 0, width: 400, height: 300), x: AxisSpec(label: "x", lower: 0, upper: 1),
                        y: AxisSpec(label: "a long y label", lower: 0.001, upper: 0.1), title: "t", canvas: canvas)
        let short = "Short", long = "How much the last step's loss depends on each input"
        XCTAssertEqual(axes.titlePlacement(short, canvas: canvas).center, axes.plotArea.center.x, "a short title is centred")
        let (center, style) = axes.titlePlacement(long, canvas: canvas)
        let width = canvas.measure(long, style).width
        XCTAssertLessThan(center, axes.plotArea.center.x, "moved left")
        XCTAssertGreaterThanOrEqual(center - width / 2, -0.5)
        XCTAssertLessThanOrEqual(center + width / 2, 400.5, "inside the right edge")
    }
}
