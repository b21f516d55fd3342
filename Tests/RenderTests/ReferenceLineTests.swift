import Foundation
import XCTest
@testable import Render

/// A reference line's label sits above its right end, or below it when asked (where the
/// data run just above the line), and a value off the axis draws nothing.
final class ReferenceLineTests: XCTestCase {
    private func axes(_ canvas: Canvas) -> Axes {
        Axes(in: Rect(x: 0, y: 0, width: 400, height: 300), x: AxisSpec(label: "step", lower: 0, upper: 100),
             y: AxisSpec(label: "loss", lower: 0, upper: 2), title: nil, canvas: canvas)
    }

    func testLabelSitsAboveOrBelowTheLinesRightEnd() throws {
        let canvas = try ImageCanvas(size: Size(400, 300), scale: 1, theme: .standard).canvas
        let axes = axes(canvas), y = try XCTUnwrap(axes.y.position(log(4.0)))
        let above = try XCTUnwrap(ReferenceLine(log(4.0), label: "log 4").labelOutline(on: canvas, axes: axes))
        let below = try XCTUnwrap(ReferenceLine(log(4.0), label: "log 4", labelSide: .below).labelOutline(on: canvas, axes: axes))
        XCTAssertLessThanOrEqual(above.map(\.y).max()!, y, "above: the whole label is over the line")
        XCTAssertGreaterThanOrEqual(below.map(\.y).min()!, y, "below: the whole label is under the line")
        for outline in [above, below] {
            XCTAssertLessThanOrEqual(outline.map(\.x).max()!, axes.plotArea.maxX, "inside the plot, at its right end")
            XCTAssertGreaterThan(outline.map(\.x).min()!, axes.plotArea.center.x, "a short label stays at the right end")
        }
    }

    func testValueOffTheAxisOrEmptyLabelHasNoOutline() throws {
        let canvas = try ImageCanvas(size: Size(400, 300), scale: 1, theme: .standard).canvas
        let axes = axes(canvas)
        XCTAssertNil(ReferenceLine(5, label: "off the axis").labelOutline(on: canvas, axes: axes))
        XCTAssertNil(ReferenceLine(1, label: "").labelOutline(on: canvas, axes: axes))
    }
}
