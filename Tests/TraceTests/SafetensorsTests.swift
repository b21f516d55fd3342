import XCTest
import Tensor
@testable import Trace

final class SafetensorsTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws { directory = try makeTemporaryDirectory("safetensors") }
    override func tearDownWithError() throws { try FileManager.default.removeItem(at: directory) }

    /// A file with header `json` and `dataBytes` zero data bytes; `length` overrides the header length field.
    private func write(header json: String, dataBytes: Int = 0, length: UInt64? = nil) throws -> URL {
        var bytes = Data()
        withUnsafeBytes(of: (length ?? UInt64(json.utf8.count)).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(Data(json.utf8))
        bytes.append(Data(count: dataBytes))
        let url = directory.appendingPathComponent("bad.safetensors")
        try bytes.write(to: url)
        return url
    }

    private func assertRejected(_ url: URL, _ check: (SafetensorsError) -> Bool, line: UInt = #line) {
        XCTAssertThrowsError(try SafetensorsFile(url: url), line: line) { error in
            guard let error = error as? SafetensorsError else { return XCTFail("\(error)", line: line) }
            XCTAssertTrue(check(error), "\(error)", line: line)
            XCTAssertTrue(error.description.contains(url.path), "error names the file: \(error)", line: line)
        }
    }

    func testRoundTripKeepsEveryDTypeShapeAndMetadata() throws {
        var writer = SafetensorsWriter(metadata: ["step": "12"])
        let weight = Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0, .pi, -1e-7])
        try writer.add("weight/conv1.weight", weight)
        try writer.add("steps", shape: [3], payload: .i64([0, 1, Int64.max]))
        try writer.add("moments", shape: [1, 2], payload: .f64([0.1, -2e300]))
        try writer.add("histogram", shape: [2], payload: .i32([7, -1]))
        try writer.add("scalar", Tensor(scalar: 4))
        let url = directory.appendingPathComponent("a.safetensors")
        try writer.encoded().write(to: url)

        let file = try SafetensorsFile(url: url)
        XCTAssertEqual(file.metadata, ["step": "12"])
        XCTAssertEqual(try file.tensor("weight/conv1.weight"), weight)
        XCTAssertEqual(try file.tensor("scalar"), Tensor(scalar: 4))
        XCTAssertEqual(try file.payload("steps"), .i64([0, 1, Int64.max]))
        XCTAssertEqual(try file.payload("moments"), .f64([0.1, -2e300]))
        XCTAssertEqual(try file.payload("histogram"), .i32([7, -1]))
        XCTAssertEqual(try file.entry("moments").shape, [1, 2])
    }

    /// A file opened again with the layout of its first opening reads the same tensors
    /// without its header being parsed; one whose size has changed since is refused.
    func testReopeningWithAKnownLayoutReadsTheSameAndRefusesAChangedFile() throws {
        var writer = SafetensorsWriter(metadata: ["step": "3"])
        let weight = Tensor(shape: [2, 2], scalars: [1, -2, 3, 4])
        try writer.add("w", weight)
        let url = directory.appendingPathComponent("again.safetensors")
        try writer.encoded().write(to: url)
        let first = try SafetensorsFile(url: url)
        let again = try SafetensorsFile(url: url, layout: first.layout)
        XCTAssertEqual(try again.tensor("w"), weight)
        XCTAssertEqual(again.metadata, ["step": "3"])
        XCTAssertEqual(again.entries, first.entries)
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([0]))
        try handle.close()
        XCTAssertThrowsError(try SafetensorsFile(url: url, layout: first.layout)) { error in
            XCTAssertTrue("\(error)".contains(url.path), "\(error)")
        }
    }

    func testNamesNeedingEscapesRoundTripThroughAStreamedFile() throws {
        let names = ["quote\"d", "back\\slash", "line\nbreak", "bell\u{07}", "ünïcode/✓", "a/b"]
        var writer = SafetensorsWriter(metadata: ["note": "tab\there \"quoted\""])
        for (i, name) in names.enumerated() { try writer.add(name, Tensor(shape: [i + 1], repeating: Float(i))) }
        let url = directory.appendingPathComponent("escaped.safetensors")
        let size = try writer.write(to: url)

        XCTAssertEqual(try Data(contentsOf: url), writer.encoded(), "streamed and in-memory files are the same bytes")
        XCTAssertEqual(size, try Data(contentsOf: url).count)
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path + ".tmp"))
        let file = try SafetensorsFile(url: url)
        XCTAssertEqual(file.metadata, ["note": "tab\there \"quoted\""])
        for (i, name) in names.enumerated() {
            XCTAssertEqual(try file.tensor(name), Tensor(shape: [i + 1], repeating: Float(i)), name)
        }
    }

    func testReadsAFileWrittenByPythonSafetensors() throws {
        // safetensors.numpy.save({"weight": float32 [[1.5, -2, 3.25]], "steps": int64 [7, 8],
        //                         "b": float64 [0.5]}, metadata={"step": "3"}), safetensors 0.8.0.
        let python = "0AAAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJzdGVwIjoiMyJ9LCJzdGVwcyI6eyJkdHlwZSI6Ikk2NCIsInNoYXBlIjpbMl0sImRh"
            + "dGFfb2Zmc2V0cyI6WzAsMTZdfSwiYiI6eyJkdHlwZSI6IkY2NCIsInNoYXBlIjpbMV0sImRhdGFfb2Zmc2V0cyI6WzE2LDI0XX0sIndl"
            + "aWdodCI6eyJkdHlwZSI6IkYzMiIsInNoYXBlIjpbMSwzXSwiZGF0YV9vZmZzZXRzIjpbMjQsMzZdfX0gICAgBwAAAAAAAAAIAAAAAAAA"
            + "AAAAAAAAAOA/AADAPwAAAMAAAFBA"
        let url = directory.appendingPathComponent("python.safetensors")
        try Data(base64Encoded: python)!.write(to: url)
        let file = try SafetensorsFile(url: url)
        XCTAssertEqual(file.metadata, ["step": "3"])
        XCTAssertEqual(try file.tensor("weight"), Tensor(shape: [1, 3], scalars: [1.5, -2, 3.25]))
        XCTAssertEqual(try file.payload("steps"), .i64([7, 8]))
        XCTAssertEqual(try file.payload("b"), .f64([0.5]))
    }

    func testEmptyTensorMaySitWhereAnotherStarts() throws {
        let url = try write(header: #"{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "#
                                + #""z": {"dtype": "F32", "shape": [0, 3], "data_offsets": [0, 0]}}"#, dataBytes: 4)
        XCTAssertEqual(try SafetensorsFile(url: url).tensor("z"), Tensor(shape: [0, 3], scalars: []))
    }

    func testHeaderIsPaddedToEightBytes() throws {
        var writer = SafetensorsWriter()
        try writer.add("x", Tensor(shape: [1], scalars: [1]))
        let bytes = writer.encoded()
        let length = bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        XCTAssertEqual(length % 8, 0)
        XCTAssertEqual(bytes.count, 8 + Int(length) + 4)
    }

    func testAddingANameTwiceIsAnError() throws {
        var writer = SafetensorsWriter()
        try writer.add("x", Tensor(scalar: 1))
        XCTAssertThrowsError(try writer.add("x", Tensor(scalar: 2)))
    }

    func testReadingAMissingOrWronglyTypedTensorIsAnError() throws {
        var writer = SafetensorsWriter()
        try writer.add("counts", shape: [1], payload: .i32([1]))
        let url = directory.appendingPathComponent("c.safetensors")
        try writer.encoded().write(to: url)
        let file = try SafetensorsFile(url: url)
        XCTAssertThrowsError(try file.tensor("nothing")) {
            XCTAssertEqual($0 as? SafetensorsError, .missingTensor(file: url.path, tensor: "nothing"))
        }
        XCTAssertThrowsError(try file.tensor("counts")) {
            XCTAssertEqual($0 as? SafetensorsError,
                           .wrongDType(file: url.path, tensor: "counts", expected: .f32, actual: .i32))
        }
    }

    func testHugeHeaderLengthIsRejectedBeforeAllocating() throws {
        let url = try write(header: "{}", length: UInt64.max)
        assertRejected(url) { if case .headerTooLarge = $0 { return true } else { return false } }
    }

    func testHeaderLengthPastTheEndOfFileIsRejected() throws {
        let url = try write(header: "{}", length: 5000)
        assertRejected(url) { if case .headerBeyondFile = $0 { return true } else { return false } }
    }

    func testFileShorterThanTheLengthFieldIsRejected() throws {
        let url = directory.appendingPathComponent("short.safetensors")
        try Data([1, 2, 3]).write(to: url)
        assertRejected(url) { $0 == .tooShort(file: url.path, size: 3) }
    }

    func testMalformedJSONIsRejected() throws {
        assertRejected(try write(header: "{\"x\": [")) { if case .malformedHeader = $0 { return true } else { return false } }
        assertRejected(try write(header: "[1, 2]")) { if case .malformedHeader = $0 { return true } else { return false } }
        assertRejected(try write(header: #"{"x": {"dtype": "F32"}}"#)) {
            if case .malformedHeader = $0 { return true } else { return false }
        }
        assertRejected(try write(header: #"{"__metadata__": {"a": 1}}"#)) {
            if case .malformedHeader = $0 { return true } else { return false }
        }
    }

    func testUnknownDTypeIsRejected() throws {
        let url = try write(header: #"{"x": {"dtype": "Q4", "shape": [1], "data_offsets": [0, 1]}}"#, dataBytes: 1)
        assertRejected(url) { $0 == .unknownDType(file: url.path, tensor: "x", dtype: "Q4") }
    }

    func testNegativeOrOverflowingShapeIsRejected() throws {
        let negative = try write(header: #"{"x": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}"#, dataBytes: 4)
        assertRejected(negative) { $0 == .invalidShape(file: negative.path, tensor: "x") }
        let huge = try write(header: #"{"x": {"dtype": "F32", "shape": [4294967296, 4294967296], "data_offsets": [0, 4]}}"#,
                             dataBytes: 4)
        assertRejected(huge) { $0 == .invalidShape(file: huge.path, tensor: "x") }
    }

    func testOffsetsOutsideTheDataAreRejected() throws {
        let url = try write(header: #"{"x": {"dtype": "F32", "shape": [1000000000], "data_offsets": [0, 4000000000]}}"#,
                            dataBytes: 8)
        assertRejected(url) { if case .offsetsOutOfRange = $0 { return true } else { return false } }
    }

    func testOffsetsThatDisagreeWithTheShapeAreRejected() throws {
        let url = try write(header: #"{"x": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}"#, dataBytes: 8)
        assertRejected(url) { $0 == .sizeMismatch(file: url.path, tensor: "x", expected: 12, actual: 8) }
    }

    func testOverlappingTensorsAreRejected() throws {
        let url = try write(header: #"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "#
                                + #""b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}"#, dataBytes: 12)
        assertRejected(url) { $0 == .overlappingOrGap(file: url.path, tensor: "b") }
    }

    func testTruncatedDataIsRejectedAtOpen() throws {
        var writer = SafetensorsWriter()
        try writer.add("x", Tensor(shape: [4], scalars: [1, 2, 3, 4]))
        let url = directory.appendingPathComponent("t.safetensors")
        try writer.encoded().dropLast(3).write(to: url)
        assertRejected(url) { if case .offsetsOutOfRange = $0 { return true } else { return false } }
    }
}
