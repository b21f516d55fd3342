import XCTest
import NeuralNet
import Tensor
@testable import Trace

/// A reader facing damaged or unfinished traces.
final class TraceReaderTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws { directory = try makeTemporaryDirectory("reader") }
    override func tearDownWithError() throws { try FileManager.default.removeItem(at: directory) }

    private func writeDenseTrace(steps: Range<Int> = 0..<6) throws {
        let writer = try TraceWriter(directory: directory, run: denseRunInfo,
                                     policy: RecordPolicy(first: 1, epochEnds: true), flushInterval: 2)
        feedDenseRun(writer, steps: steps)
        try writer.finish()
    }

    /// Flips one byte inside tensor `key`'s data in `file`.
    private func alterByte(of key: String, in file: String) throws {
        let url = directory.appendingPathComponent(file)
        let entry = try SafetensorsFile(url: url).entry(key)
        var bytes = try Data(contentsOf: url)
        let headerLength = bytes.prefix(8).withUnsafeBytes { Int($0.loadUnaligned(as: UInt64.self)) }
        bytes[8 + headerLength + entry.dataOffsets.lowerBound + 1] ^= 0x40
        try bytes.write(to: url)
    }

    func testAlteredTensorFileIsDetectedByItsChecksum() throws {
        try writeDenseTrace()
        let file = "tensors/step-000002.safetensors"
        try alterByte(of: "weight/dense.weight", in: file)
        let trace = try TraceReader(directory: directory)
        XCTAssertThrowsError(try trace.tensor("dense.weight", kind: .weight, step: 2)) { error in
            XCTAssertEqual(error as? TraceError, .checksumMismatch(
                file: directory.appendingPathComponent(file).path, tensor: "weight/dense.weight"))
        }
        XCTAssertNoThrow(try trace.tensor("dense.bias", kind: .weight, step: 2), "other tensors still load")
    }

    func testAlteredStatisticsChunkIsDetectedByItsChecksum() throws {
        try writeDenseTrace()
        let chunk = try TraceReader(directory: directory).manifest.statistics.chunks[0].file
        try alterByte(of: "gradient/dense/moments", in: chunk)
        XCTAssertThrowsError(try TraceReader(directory: directory).series(.l2, of: "dense", kind: .gradient)) { error in
            XCTAssertEqual(error as? TraceError, .checksumMismatch(
                file: directory.appendingPathComponent(chunk).path, tensor: "gradient/dense/moments"))
        }
    }

    func testTruncatedTensorFileIsDetectedAndNamed() throws {
        try writeDenseTrace()
        let url = directory.appendingPathComponent("tensors/step-000005.safetensors")
        let bytes = try Data(contentsOf: url)
        try bytes.dropLast(10).write(to: url)
        XCTAssertThrowsError(try TraceReader(directory: directory).tensor("dense", kind: .activation, step: 5)) { error in
            XCTAssertEqual(error as? TraceError, .sizeMismatch(file: url.path, expected: bytes.count,
                                                               actual: bytes.count - 10))
        }
    }

    func testFolderWithoutManifestIsNotATrace() {
        XCTAssertThrowsError(try TraceReader(directory: directory)) {
            XCTAssertEqual($0 as? TraceError, .missingManifest(directory: directory.path))
        }
    }

    func testAbandonedWriterLeavesEveryFlushedStepReadable() throws {
        // Flushes after steps 1 (interval), 2 (epoch end), 4 (interval), 5 (epoch end);
        // step 6 completes after the last flush, step 7 never ends; then the
        // process "dies": no finish().
        do {
            let writer = try TraceWriter(directory: directory, run: denseRunInfo,
                                         policy: RecordPolicy(first: 1, epochEnds: true), flushInterval: 2)
            feedDenseRun(writer, steps: 0..<7)
            writer.beginStep(StepInfo(step: 7, epoch: 2, endsEpoch: false))
            writer.record(.input, name: "input", tensor: Tensor(shape: [1], scalars: [1]))
        }
        // Debris a kill can leave: a half-written data file and a partial scalars row.
        try Data([1, 2, 3]).write(to: directory.appendingPathComponent("tensors/step-000007.safetensors.tmp"))
        let scalars = try FileHandle(forWritingTo: directory.appendingPathComponent("scalars.csv"))
        try scalars.seekToEnd()
        try scalars.write(contentsOf: Data("7,2,0.1".utf8))
        try scalars.close()

        let trace = try TraceReader(directory: directory)
        XCTAssertFalse(trace.manifest.finished)
        XCTAssertEqual(trace.steps, Array(0..<6))
        XCTAssertEqual(try trace.scalars().rows.count, 6)
        XCTAssertEqual(try trace.series(.mean, of: "dense", kind: .activation).map(\.step), Array(0..<6))
        XCTAssertEqual(try trace.tensor("dense", kind: .activation, step: 5), denseStepTensors(step: 5)[1].2)
    }
}
