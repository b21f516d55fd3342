import Foundation
import XCTest
import Render

final class ScatterAndBoundaryTests: XCTestCase {
    /// Two interleaved spirals, 40 points each.
    static func spirals() -> (x: [Double], y: [Double], classes: [Int]) {
        var x: [Double] = [], y: [Double] = [], c: [Int] = []
        for k in 0..<2 { for i in 0..<40 {
            let r = Double(i) / 40 * 2.6, a = Double(i) / 40 * 3 * .pi + Double(k) * .pi
            x.append(r * cos(a)); y.append(r * sin(a)); c.append(k)
        } }
        return (x, y, c)
    }

    func testScatterByClassMatchesGolden() throws {
        let s = Self.spirals()
        let plot = try ScatterPlot(title: "Two spirals", x: s.x, y: s.y, classes: s.classes, classNames: ["class A", "class B"])
        try Golden.assertMatches(plot, named: "scatter")
    }

    func testDecisionBoundaryMatchesGolden() throws {
        let s = Self.spirals()
        // A "model" that splits the plane along a wavy line, confident far from it.
        let (nx, ny) = (60, 60)
        var p = [Float]()
        for i in 0..<ny { for j in 0..<nx {
            let x = -3 + 6 * (Double(j) + 0.5) / Double(nx), y = -3 + 6 * (Double(i) + 0.5) / Double(ny)
            p.append(Float(1 / (1 + exp(-2 * (y - sin(x * 1.5))))))
        } }
        let plot = try DecisionBoundary(title: "Decision boundary after 200 steps", xRange: -3...3, yRange: -3...3,
                                        probabilities: FloatArray(shape: [ny, nx, 1], values: p),
                                        x: s.x, y: s.y, classes: s.classes, classNames: ["class A", "class B"])
        try Golden.assertMatches(plot, named: "decision-boundary")
    }

    func testBadPointsThrow() {
        XCTAssertThrowsError(try ScatterPlot(title: "t", x: [], y: [], classes: [], classNames: []))
        XCTAssertThrowsError(try ScatterPlot(title: "t", x: [1], y: [1], classes: [2], classNames: ["a", "b"]))
        XCTAssertThrowsError(try ScatterPlot(title: "t", x: [1, 2], y: [1], classes: [0, 0], classNames: ["a"]))
        XCTAssertThrowsError(try DecisionBoundary(title: "t", xRange: 0...1, yRange: 0...1,
                                                  probabilities: FloatArray(shape: [2, 2], values: [0, 0, 0, 0]),
                                                  x: [], y: [], classes: [], classNames: ["a", "b"]))
    }
}
