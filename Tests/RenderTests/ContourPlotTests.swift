import Foundation
import XCTest
import Render

final class ContourPlotTests: XCTestCase {
    /// An elongated bowl f(w) = w₁² + 10·w₂² and gradient-descent paths on it.
    static func bowl() throws -> ContourPlot {
        let n = 41
        var values = [Float]()
        for i in 0..<n { for j in 0..<n {
            let (x, y) = (-3 + 6 * Double(j) / Double(n - 1), -2 + 4 * Double(i) / Double(n - 1))
            values.append(Float(x * x + 10 * y * y))
        } }
        func descend(_ lr: Double, _ momentum: Double) -> Series {
            var (x, y, vx, vy) = (-2.7, 1.5, 0.0, 0.0)
            var xs = [x], ys = [y]
            for _ in 0..<25 {
                vx = momentum * vx - lr * 2 * x; vy = momentum * vy - lr * 20 * y
                x += vx; y += vy; xs.append(x); ys.append(y)
            }
            return Series(name: momentum == 0 ? "SGD, lr \(lr)" : "momentum \(momentum)", x: xs, y: ys)
        }
        return try ContourPlot(title: "Gradient descent on an elongated bowl", xRange: -3...3, yRange: -2...2,
                               values: FloatArray(shape: [n, n], values: values),
                               trajectories: [descend(0.09, 0), descend(0.02, 0.8)], logLevels: true)
    }

    func testContoursWithTrajectoriesMatchGolden() throws {
        try Golden.assertMatches(try Self.bowl(), named: "contour")
    }

    func testLevelsLieStrictlyInsideTheDataRange() throws {
        let plot = try Self.bowl()
        let (lo, hi) = (plot.values.values.min()!, plot.values.values.max()!)
        XCTAssertEqual(plot.levels.count, 12)
        XCTAssertTrue(plot.levels.allSatisfy { $0 > lo && $0 < hi })
        XCTAssertEqual(plot.levels, plot.levels.sorted())
    }

    func testSparserDotsAndATargetCrossChangeOnlyWhatTheySay() throws {
        let plain = try Self.bowl()
        func variant(markerEvery: Int, target: (x: Double, y: Double)?) throws -> RasterImage {
            try ContourPlot(title: plain.title, xRange: plain.xRange, yRange: plain.yRange, values: plain.values,
                            trajectories: plain.trajectories, logLevels: true, markerEvery: markerEvery, target: target).raster()
        }
        XCTAssertEqual(try variant(markerEvery: 1, target: nil), try plain.raster(), "the defaults draw what they drew before")
        XCTAssertNotEqual(try variant(markerEvery: 5, target: nil), try plain.raster(), "fewer dots")
        XCTAssertNotEqual(try variant(markerEvery: 1, target: (0, 0)), try plain.raster(), "a cross at the minimum")
        XCTAssertEqual(try variant(markerEvery: 1, target: (10, 10)), try plain.raster(), "a target off the map is not drawn")
    }

    func testBadGridThrows() throws {
        XCTAssertThrowsError(try ContourPlot(title: "t", xRange: 0...1, yRange: 0...1, values: FloatArray(shape: [1, 5], values: [1, 2, 3, 4, 5])))
        XCTAssertThrowsError(try ContourPlot(title: "t", xRange: 1...1, yRange: 0...1, values: FloatArray(rows: [[1, 2], [3, 4]])))
    }
}
