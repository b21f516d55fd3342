import XCTest
import Tensor
@testable import Trace

final class TraceSummaryTests: XCTestCase {
    func testStatisticsLinesRoundToSignificantDigits() throws {
        let directory = try makeTemporaryDirectory("summary")
        defer { try? FileManager.default.removeItem(at: directory) }
        let writer = try TraceWriter(directory: directory, run: denseRunInfo, policy: .none)
        feedDenseRun(writer, steps: 0..<2)
        try writer.finish()
        let trace = try TraceReader(directory: directory)

        let lines = try TraceSummary.statisticsLines(trace, significantDigits: 4)
        XCTAssertEqual(lines.count, 2 * denseStepTensors(step: 0).count)
        XCTAssertTrue(lines.contains("1 input/input n=2 mean=-0.5 std=3.5 min=-4 max=3 l2=5"), lines.joined(separator: "\n"))
        XCTAssertTrue(TraceSummary.overview(trace).contains("steps: 2 completed (0...1), finished"))
    }

    func testNegativeZeroPrintsAsZero() {
        XCTAssertEqual(TraceSummary.format(-0.0, 6), "0")
        XCTAssertEqual(TraceSummary.format(1.0 / 3, 3), "0.333")
    }
}
