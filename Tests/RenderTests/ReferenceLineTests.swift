import Foundation
import XCTest
@testable import Render

/// A reference line's label sits above its right end, or below it when asked (where the
/// data run just above the line), moves off data that sit under that spot, and a value off
/// the axis draws nothing.
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

    /// Runs that end at chance (data along the line at its right end) push the label to the
    /// left end; data on both sides at both ends leave it where it hides the fewest points.
    func testLabelMovesOffDataAtTheLinesRightEnd() throws {
        let canvas = try ImageCanvas(size: Size(400, 300), scale: 1, theme: .standard).canvas
        let axes = axes(canvas), line = ReferenceLine(0.5, label: "chance")
        let atChanceOnTheRight = axes.placed([60, 80, 100], [0.52, 0.5, 0.48])
        let moved = try XCTUnwrap(line.labelOutline(on: canvas, axes: axes, avoiding: [atChanceOnTheRight]))
        XCTAssertLessThan(moved.map(\.x).max()!, axes.plotArea.center.x, "the label goes to the left end")
        let aboveOnTheRight = axes.placed([70, 100], [0.56, 0.56])
        let below = try XCTUnwrap(line.labelOutline(on: canvas, axes: axes, avoiding: [aboveOnTheRight]))
        XCTAssertGreaterThan(below.map(\.x).min()!, axes.plotArea.center.x, "it stays at the right end…")
        XCTAssertGreaterThanOrEqual(below.map(\.y).min()!, try XCTUnwrap(axes.y.position(0.5)), "…under the line")
        let free = try XCTUnwrap(line.labelOutline(on: canvas, axes: axes, avoiding: [axes.placed([0, 100], [1.8, 1.8])]))
        XCTAssertEqual(free.map(\.x), try XCTUnwrap(line.labelOutline(on: canvas, axes: axes)).map(\.x), "no data in the way: the default spot")
    }

    /// Data over and under the line at both ends (curves that start and end near it) leave
    /// the label a clear spot between, found by testing every candidate against all series.
    func testLabelFindsAClearSpotBetweenTheEnds() throws {
        let canvas = try ImageCanvas(size: Size(400, 300), scale: 1, theme: .standard).canvas
        let axes = axes(canvas), line = ReferenceLine(1, label: "log 4", labelSide: .below)
        let early = axes.placed([0, 5, 10, 15, 20, 25, 30], [0.6, 1.4, 0.6, 1.4, 0.6, 1.4, 0.6])
        let late = axes.placed([65, 70, 75, 80, 85, 90, 95, 100], [1.4, 0.6, 1.4, 0.6, 1.4, 0.6, 1.4, 0.6])
        let outline = try XCTUnwrap(line.labelOutline(on: canvas, axes: axes, avoiding: [early, late]))
        let box = Rect(x: outline.map(\.x).min()!, y: outline.map(\.y).min()!,
                       width: outline.map(\.x).max()! - outline.map(\.x).min()!, height: outline.map(\.y).max()! - outline.map(\.y).min()!)
        XCTAssertEqual(Legend.covered(Legend.densified([early, late], spacing: 1), box), 0, "the label hides no data")
        XCTAssertGreaterThan(box.minX, try XCTUnwrap(axes.x.position(30)), "it sits between the two bursts")
        XCTAssertLessThan(box.maxX, try XCTUnwrap(axes.x.position(65)))
    }

    /// A line at the top of the range has no room above it inside the frame: its label goes
    /// below, where the frame does not strike through it; one at the bottom goes above.
    func testLabelAtTheEdgeOfTheRangeStaysInsideTheFrame() throws {
        let canvas = try ImageCanvas(size: Size(400, 300), scale: 1, theme: .standard).canvas
        let axes = axes(canvas)
        let top = try XCTUnwrap(ReferenceLine(2, label: "ceiling").labelOutline(on: canvas, axes: axes))
        XCTAssertGreaterThanOrEqual(top.map(\.y).min()!, try XCTUnwrap(axes.y.position(2)), "under the line at the top")
        let bottom = try XCTUnwrap(ReferenceLine(0, label: "floor", labelSide: .below).labelOutline(on: canvas, axes: axes))
        XCTAssertLessThanOrEqual(bottom.map(\.y).max()!, axes.plotArea.maxY, "above the line at the bottom")
    }

    func testValueOffTheAxisOrEmptyLabelHasNoOutline() throws {
        let canvas = try ImageCanvas(size: Size(400, 300), scale: 1, theme: .standard).canvas
        let axes = axes(canvas)
        XCTAssertNil(ReferenceLine(5, label: "off the axis").labelOutline(on: canvas, axes: axes))
        XCTAssertNil(ReferenceLine(1, label: "").labelOutline(on: canvas, axes: axes))
    }
}
