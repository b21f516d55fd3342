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

    // MARK: a manifest naming files outside the trace

    private var manifestURL: URL { directory.appendingPathComponent(TraceManifest.fileName) }

    private func editManifest(_ edit: (inout TraceManifest) -> Void) throws {
        var manifest = try JSONDecoder().decode(TraceManifest.self, from: Data(contentsOf: manifestURL))
        edit(&manifest)
        try JSONEncoder().encode(manifest).write(to: manifestURL)
    }

    /// A copy of the trace's step-2 tensor file beside the trace folder: a file the reader
    /// would read without complaint if it followed a manifest out of the folder.
    private func readableFileOutside() throws -> (url: URL, relative: String) {
        let url = directory.deletingLastPathComponent().appendingPathComponent("outside-\(UUID().uuidString).safetensors")
        try FileManager.default.copyItem(at: directory.appendingPathComponent("tensors/step-000002.safetensors"), to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        XCTAssertNoThrow(try SafetensorsFile(url: url).entry("weight/dense.weight"), "the outside file is readable")
        return (url, "../" + url.lastPathComponent)
    }

    func testManifestNamingAFileOutsideTheTraceIsRefusedBeforeAnythingIsOpened() throws {
        try writeDenseTrace()
        let outside = try readableFileOutside()
        let pristine = try Data(contentsOf: manifestURL)
        let places: [(String, (inout TraceManifest, String) -> Void)] = [
            ("tensor file", { m, path in
                for i in m.tensors.indices where m.tensors[i].file == "tensors/step-000002.safetensors" { m.tensors[i].file = path }
            }),
            ("statistics chunk", { m, path in m.statistics.chunks[0].file = path }),
            ("scalars file", { m, path in m.scalars.file = path }),
            ("files entry", { m, path in m.files[path] = 1 }),
        ]
        for (place, edit) in places {
            for path in ["/etc/passwd", outside.relative, "tensors/../" + outside.relative, "", outside.url.path] {
                try pristine.write(to: manifestURL)
                try editManifest { edit(&$0, path) }
                XCTAssertThrowsError(try TraceReader(directory: directory), "\(place) '\(path)'") { error in
                    XCTAssertEqual(error as? TraceError, .unsafeManifestPath(manifest: manifestURL.path, path: path))
                    XCTAssert("\(error)".contains(manifestURL.path) && "\(error)".contains("'\(path)'"), "\(error)")
                }
            }
        }
    }

    func testManifestPathLeadingOutThroughASymbolicLinkIsRefused() throws {
        try writeDenseTrace()
        let outside = try readableFileOutside()
        let link = directory.appendingPathComponent("linked")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: outside.url.deletingLastPathComponent())
        let path = "linked/" + outside.url.lastPathComponent
        try editManifest { m in
            for i in m.tensors.indices where m.tensors[i].file == "tensors/step-000002.safetensors" { m.tensors[i].file = path }
        }
        let trace = try TraceReader(directory: directory)
        XCTAssertThrowsError(try trace.tensor("dense.weight", kind: .weight, step: 2)) { error in
            XCTAssertEqual(error as? TraceError, .unsafeManifestPath(manifest: manifestURL.path, path: path))
        }
        XCTAssertNoThrow(try trace.tensor("dense.weight", kind: .weight, step: 0), "files inside the folder still load")
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
