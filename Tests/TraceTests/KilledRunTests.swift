import XCTest
import NeuralNet
import Tensor
@testable import Trace

/// A trace writer process killed with SIGKILL at an arbitrary moment. The test
/// re-launches this test binary as the writer (`testChildWriterRunsUntilKilled`,
/// which does nothing unless the parent sets `childDirectoryVariable`), waits
/// until it has flushed some steps, kills it, and opens what it left.
final class KilledRunTests: XCTestCase {
    private static let childDirectoryVariable = "LEARN_TRACE_TEST_CHILD_DIR"

    func testChildWriterRunsUntilKilled() throws {
        guard let path = ProcessInfo.processInfo.environment[Self.childDirectoryVariable] else {
            throw XCTSkip("runs only as the child of testSigkilledWriterLeavesReadableTrace")
        }
        let writer = try TraceWriter(directory: URL(fileURLWithPath: path), run: denseRunInfo,
                                     policy: RecordPolicy(every: 2, epochEnds: true), flushInterval: 3)
        let deadline = Date().addingTimeInterval(60)   // never outlive a parent that died
        var step = 0
        while Date() < deadline {
            feedDenseRun(writer, steps: step..<(step + 1), stepsPerEpoch: 7)
            step += 1
            usleep(2_000)
        }
    }

    func testSigkilledWriterLeavesReadableTrace() throws {
        #if os(Linux)
        let directory = try makeTemporaryDirectory("killed")
        defer { try? FileManager.default.removeItem(at: directory) }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["TraceTests.KilledRunTests/testChildWriterRunsUntilKilled"]
        child.environment = ProcessInfo.processInfo.environment
            .merging([Self.childDirectoryVariable: directory.path]) { _, new in new }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }

        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, ((try? TraceReader(directory: directory))?.steps.count ?? 0) < 20 {
            usleep(3_000)
        }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal)

        let trace = try TraceReader(directory: directory)
        XCTAssertFalse(trace.manifest.finished)
        XCTAssertGreaterThanOrEqual(trace.steps.count, 20)
        XCTAssertEqual(trace.steps, Array(0..<trace.steps.count), "completed steps are 0, 1, 2, ... with no hole")
        XCTAssertEqual(try trace.scalars().rows.count, trace.steps.count)
        XCTAssertEqual(try trace.series(.l2, of: "dense.weight", kind: .gradient).map(\.step), trace.steps)
        for entry in trace.tensors() {
            let expected = denseStepTensors(step: entry.step).first { $0.0 == entry.kind && $0.1 == entry.name }!.2
            XCTAssertEqual(try trace.tensor(entry.name, kind: entry.kind, step: entry.step), expected)
        }
        #else
        throw XCTSkip("re-launching the test binary as a child is set up for Linux's xctest runner")
        #endif
    }
}
