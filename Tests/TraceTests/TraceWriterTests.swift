import XCTest
import NeuralNet
import Tensor
@testable import Trace

final class TraceWriterTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws { directory = try makeTemporaryDirectory("writer") }
    override func tearDownWithError() throws { try FileManager.default.removeItem(at: directory) }

    /// Six steps in two epochs, full tensors at steps 0, 2 and 5, flushed every 2 steps.
    private func writeDenseTrace() throws -> TraceWriter {
        let writer = try TraceWriter(directory: directory, run: denseRunInfo,
                                     policy: RecordPolicy(first: 1, epochEnds: true), flushInterval: 2)
        feedDenseRun(writer, steps: 0..<6)
        try writer.finish()
        return writer
    }

    func testManifestRecordsTheRunAndEveryCompletedStep() throws {
        _ = try writeDenseTrace()
        let trace = try TraceReader(directory: directory)
        XCTAssertEqual(trace.manifest.run, denseRunInfo)
        XCTAssertEqual(trace.manifest.policy, "first=1,epoch-end")
        XCTAssertTrue(trace.manifest.finished)
        XCTAssertEqual(trace.steps, Array(0..<6))
        XCTAssertEqual(trace.manifest.steps, [StepRange(epoch: 0, first: 0, last: 2), StepRange(epoch: 1, first: 3, last: 5)])
        XCTAssertEqual(trace.manifest.epochs.map(\.step), [2, 5])
        XCTAssertEqual(trace.manifest.epochs[1].metrics, ["val_loss": 0.25, "val_accuracy": 0.8])
    }

    /// The manifest is written incrementally (index entries encoded once, spliced in);
    /// it must decode to exactly what a plain encoding of the same manifest decodes to.
    func testIncrementallyEncodedManifestEqualsAPlainEncoding() throws {
        _ = try writeDenseTrace()
        let data = try Data(contentsOf: directory.appendingPathComponent(TraceManifest.fileName))
        let manifest = try JSONDecoder().decode(TraceManifest.self, from: data)
        XCTAssertEqual(manifest.tensors.count, denseStepTensors(step: 0).count * 3)
        // The writer's index lines were encoded on its file queue: the same bytes as encoding them here,
        // each step's entries in its file's order (by key).
        var fresh = ManifestEncoder()
        XCTAssertEqual(String(decoding: data, as: UTF8.self), String(decoding: try fresh.encode(manifest), as: UTF8.self))
        for step in Set(manifest.tensors.map(\.step)) {
            let keys = manifest.tensors.filter { $0.step == step }.map(\.key)
            XCTAssertEqual(keys, keys.sorted(), "step \(step)")
        }
        var encoder = ManifestEncoder()
        XCTAssertGreaterThan(manifest.statistics.chunks.count, 1, "chunks from several flushes")
        var partial = manifest
        partial.tensors = Array(manifest.tensors.prefix(4))
        partial.statistics.chunks = Array(manifest.statistics.chunks.prefix(1))
        _ = try encoder.encode(partial)                      // a first flush with four entries and a chunk...
        let again = try encoder.encode(manifest)             // ...then the rest appended
        XCTAssertEqual(try JSONDecoder().decode(TraceManifest.self, from: again), manifest)
        let text = String(decoding: again, as: UTF8.self)
        let index = text.components(separatedBy: "\"tensors\" : [").last!
        let lines = index.split(separator: "\n")
        XCTAssertEqual(lines.filter { $0.hasPrefix("    {") }.count, manifest.tensors.count, "one line per tensor")
        XCTAssertEqual(text.split(separator: "\n").filter { $0.hasPrefix("      {\"file\":\"statistics/") }.count,
                       manifest.statistics.chunks.count, "one line per chunk")
    }

    /// An index line written by hand is the text `JSONEncoder` writes for it, and odd
    /// names (quotes, backslashes, control characters, non-ASCII) read back unchanged.
    func testHandWrittenIndexEntryIsWhatJSONEncoderWrites() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let plain = TensorEntry(name: "conv1.weight", kind: .weight, step: 12, epoch: 3,
                                file: "tensors/step-000012.safetensors", key: "weight/conv1.weight",
                                shape: [3, 3, 1, 32], dtype: .f32, crc32: 4_000_000_123)
        XCTAssertEqual(plain.compactJSON, String(decoding: try encoder.encode(plain), as: UTF8.self))
        var scalar = plain
        scalar.shape = []
        XCTAssertEqual(scalar.compactJSON, String(decoding: try encoder.encode(scalar), as: UTF8.self))
        var odd = plain
        odd.name = "a\"b\\c\n\u{1}é/日本"
        odd.key = TensorEntry.key(kind: .gradient, name: odd.name)
        odd.kind = .gradient
        XCTAssertEqual(try JSONDecoder().decode(TensorEntry.self, from: Data(odd.compactJSON.utf8)), odd)
    }

    func testFullTensorsAreStoredAtPolicyStepsAndReadBackEqual() throws {
        _ = try writeDenseTrace()
        let trace = try TraceReader(directory: directory)
        XCTAssertEqual(trace.fullTensorSteps, [0, 2, 5])
        for step in [0, 2, 5] {
            XCTAssertEqual(trace.tensors(atStep: step).count, denseStepTensors(step: step).count)
            for (kind, name, tensor) in denseStepTensors(step: step) {
                XCTAssertEqual(try trace.tensor(name, kind: kind, step: step), tensor, "\(kind) \(name) at \(step)")
            }
        }
        XCTAssertThrowsError(try trace.tensor("dense.weight", kind: .weight, step: 1)) {
            XCTAssertEqual($0 as? TraceError, .noSuchTensor(name: "dense.weight", kind: "weight", step: 1))
        }
    }

    func testStatisticsCoverEveryTensorAtEveryStep() throws {
        _ = try writeDenseTrace()
        let trace = try TraceReader(directory: directory)
        XCTAssertEqual(trace.statisticsSeries.count, denseStepTensors(step: 0).count)
        let input = try trace.statistics(of: "input", kind: .input)
        XCTAssertEqual(input.map(\.step), Array(0..<6))
        // The input is [3, -4] at every step: mean −0.5, std 3.5, ‖x‖ = 5.
        XCTAssertEqual(input[4].statistics.mean, -0.5)
        XCTAssertEqual(input[4].statistics.std, 3.5)
        XCTAssertEqual(input[4].statistics.l2, 5)
        XCTAssertEqual(input[4].statistics.min, -4)
        XCTAssertEqual(input[4].statistics.histogram[31], 1)

        let norms = try trace.series(.l2, of: "dense.weight", kind: .gradient)
        XCTAssertEqual(norms.map(\.step), Array(0..<6))
        for (step, norm) in norms {
            XCTAssertEqual(norm, TensorStatistics(of: syntheticTensor([3, 4], salt: Double(step) + 0.4).scalars).l2)
        }
    }

    func testMeasuredMomentsStandInForAPassOverTheTensor() throws {
        let writer = try TraceWriter(directory: directory, run: denseRunInfo, policy: .default)
        let tensor = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        // Moments that disagree with the values show which ones the statistics came from.
        let other: [Float] = [10, 20, 30, 40]
        let moments = other.withUnsafeBufferPointer {
            TensorMoments(pieces: [MomentsKernel.measure($0.baseAddress!, count: 1),
                                   MomentsKernel.measure($0.baseAddress! + 1, count: 3)])
        }
        let short = TensorMoments(pieces: [moments.pieces[0]])
        writer.beginStep(StepInfo(step: 0, epoch: 0, endsEpoch: true))
        writer.record(.activation, name: "measured", tensor: tensor, moments: moments)
        writer.record(.activation, name: "short", tensor: tensor, moments: short)
        writer.endStep()
        writer.endEpoch(0, metrics: [:])
        try writer.finish()
        let trace = try TraceReader(directory: directory)
        let measured = try XCTUnwrap(trace.statistics(of: "measured", kind: .activation).first).statistics
        XCTAssertEqual(measured.mean, 25, accuracy: 1e-9)
        XCTAssertEqual(measured.max, 40)
        // Moments that do not cover the tensor are not used: the values are read instead.
        let fallback = try XCTUnwrap(trace.statistics(of: "short", kind: .activation).first).statistics
        XCTAssertEqual(fallback, TensorStatistics(of: tensor.scalars))
    }

    /// A tensor recorded as a base and its patches is stored as the patched tensor: its
    /// statistics at a statistics-only step (no copy made) and its values at a full step.
    func testPatchedTensorIsRecordedAsThePatchedValues() throws {
        let writer = try TraceWriter(directory: directory, run: denseRunInfo, policy: RecordPolicy(first: 1))
        let base = Tensor(shape: [50_000], scalars: (0..<50_000).map { Float($0 % 977) / 100 })
        let patches = TensorPatches(indices: (0..<500).map { Int32($0 * 100) }, values: (0..<500).map { -Float($0) })
        let patched = patches.applied(to: base)
        let moments = patched.scalars.withUnsafeBufferPointer {
            TensorMoments(pieces: [MomentsKernel.measure($0.baseAddress!, count: 20_000),
                                   MomentsKernel.measure($0.baseAddress! + 20_000, count: 30_000)])
        }
        for step in 0..<2 {
            writer.beginStep(StepInfo(step: step, epoch: 0, endsEpoch: step == 1))
            writer.record(.gradient, name: "conv", tensor: base, moments: moments, patches: patches)
            writer.record(.gradient, name: "plain", tensor: patched, moments: moments)
            writer.endStep()
        }
        writer.endEpoch(0, metrics: [:])
        try writer.finish()
        let trace = try TraceReader(directory: directory)
        let viaPatches = try trace.statistics(of: "conv", kind: .gradient)
        XCTAssertEqual(viaPatches.map(\.step), [0, 1])
        XCTAssertEqual(viaPatches.map(\.statistics), try trace.statistics(of: "plain", kind: .gradient).map(\.statistics))
        XCTAssertEqual(viaPatches[1].statistics.min, -499)
        XCTAssertEqual(try trace.tensor("conv", kind: .gradient, step: 0).scalars, patched.scalars)
    }

    /// At a statistics-only step a tensor's summary (moments and the values of its histogram's
    /// runs, `TensorSummary`) gives the statistics the tensor gives; the writer asks for none at
    /// a full step, and declines a summary for another sample or with non-finite moments.
    func testSummaryStandsInForTheTensorAtStatisticsOnlySteps() throws {
        let writer = try TraceWriter(directory: directory, run: denseRunInfo, policy: RecordPolicy(first: 1))
        func summary(_ t: Tensor, sample: Int) -> TensorSummary {
            let moments = t.scalars.withUnsafeBufferPointer {
                TensorMoments(pieces: [MomentsKernel.measure($0.baseAddress!, count: 30_000),
                                       MomentsKernel.measure($0.baseAddress! + 30_000, count: t.count - 30_000)])
            }
            let sampled = HistogramRuns(count: t.count, sample: sample).runs.flatMap { t.scalars[$0] }
            return TensorSummary(shape: t.shape, moments: moments, sample: sample, sampled: sampled)
        }
        let tensor = Tensor(shape: [100_000], scalars: (0..<100_000).map { Float(($0 * 7919) % 977) / 10 - 20 })
        var broken = tensor.scalars
        broken[77_777] = .infinity
        writer.beginStep(StepInfo(step: 0, epoch: 0, endsEpoch: false))
        XCTAssertNil(writer.histogramSample(.activation, name: "conv"), "a full step keeps the tensor")
        XCTAssertFalse(writer.record(.activation, name: "conv", summary: summary(tensor, sample: 4_096)))
        writer.endStep()
        writer.beginStep(StepInfo(step: 1, epoch: 0, endsEpoch: true))
        XCTAssertEqual(writer.histogramSample(.activation, name: "conv"), StatisticsKernel.reducedHistogramSample)
        XCTAssertEqual(writer.histogramSample(.weight, name: "dense.weight"), StatisticsKernel.histogramSample)
        XCTAssertTrue(writer.record(.activation, name: "conv", summary: summary(tensor, sample: 4_096)))
        // The same cut into pieces, measured by the writer from the tensor.
        writer.record(.activation, name: "plain", tensor: tensor, moments: summary(tensor, sample: 4_096).moments)
        XCTAssertFalse(writer.record(.activation, name: "other-sample", summary: summary(tensor, sample: 16_384)))
        XCTAssertFalse(writer.record(.activation, name: "infinite",
                                     summary: summary(Tensor(shape: [100_000], scalars: broken), sample: 4_096)))
        writer.endStep()
        writer.endEpoch(0, metrics: [:])
        try writer.finish()
        let trace = try TraceReader(directory: directory)
        let summarized = try trace.statistics(of: "conv", kind: .activation)
        XCTAssertEqual(summarized.map(\.step), [1])
        XCTAssertEqual(summarized.map(\.statistics), try trace.statistics(of: "plain", kind: .activation).map(\.statistics))
        XCTAssertEqual(summarized[0].statistics.histogram.reduce(0) { $0 + Int($1) }, 16 * 256)
        XCTAssertThrowsError(try trace.statistics(of: "infinite", kind: .activation))
    }

    /// A parameter's value and gradient (drawn by the distribution figures) and the input
    /// keep the full histogram sample; a layer output and its gradient, which no figure
    /// draws as a distribution, are binned from a quarter of it.
    func testHistogramSampleIsFullForParametersAndInputsReducedForLayerOutputs() throws {
        let writer = try TraceWriter(directory: directory, run: denseRunInfo, policy: .default)
        let large = Tensor(shape: [100_000], scalars: (0..<100_000).map { Float($0 % 977) })
        let reported: [(TensorKind, String)] = [(.weight, "dense.weight"), (.gradient, "dense.weight"),
                                                (.input, "input"), (.activation, "dense"), (.gradient, "dense")]
        writer.beginStep(StepInfo(step: 0, epoch: 0, endsEpoch: true))
        for (kind, name) in reported { writer.record(kind, name: name, tensor: large) }
        writer.endStep()
        writer.endEpoch(0, metrics: [:])
        try writer.finish()
        let trace = try TraceReader(directory: directory)
        func binned(_ kind: TensorKind, _ name: String) throws -> Int {
            let s = try XCTUnwrap(trace.statistics(of: name, kind: kind).first).statistics
            return s.histogram.reduce(0) { $0 + Int($1) }
        }
        // 100 000 values are 391 runs of 256: every 7th run (⌈100000 / 16384⌉ = 7) is 56 runs,
        // every 25th (⌈100000 / 4096⌉ = 25) is 16 runs, the last of them full.
        for (kind, name) in reported.prefix(3) { XCTAssertEqual(try binned(kind, name), 56 * 256, "\(kind) \(name)") }
        for (kind, name) in reported.suffix(2) { XCTAssertEqual(try binned(kind, name), 16 * 256, "\(kind) \(name)") }
    }

    /// The writer stores the scalars it is given (the trainer computes the norms), the
    /// core columns first and the others sorted, and adds no values of its own.
    func testScalarsHoldStepValuesNormsAndEpochMetrics() throws {
        _ = try writeDenseTrace()
        let scalars = try TraceReader(directory: directory).scalars()
        XCTAssertEqual(scalars.columns, ScalarsTable.coreColumns + ["grad_norm/dense.weight", "update_norm/dense.weight"])
        XCTAssertEqual(scalars.rows.count, 6)
        XCTAssertEqual(scalars.column(ScalarName.loss).map(\.value), (0..<6).map { 1 / Double($0 + 1) })
        XCTAssertEqual(scalars.column(ScalarName.epoch).map(\.value), [0, 0, 0, 1, 1, 1])
        XCTAssertEqual(scalars.column(ScalarName.validationLoss).map(\.step), [2, 5])
        XCTAssertEqual(scalars.column(ScalarName.validationLoss).map(\.value), [0.5, 0.25])
        XCTAssertEqual(scalars.column(ScalarName.gradientNorm(of: "dense.weight")).map(\.value), (0..<6).map { 2 + Double($0) })
    }

    func testBytesWrittenIsTheSizeOfTheTraceOnDisk() throws {
        let writer = try writeDenseTrace()
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.fileSizeKey])!
        let onDisk = try files.compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath }
            .map { try $0.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0 }.reduce(0, +)
        XCTAssertEqual(writer.bytesWritten, onDisk)
        XCTAssertEqual(try TraceReader(directory: directory).bytesOnDisk, onDisk)
    }

    func testExpectedSizeIsCloseToTheRealSize() throws {
        let policy = RecordPolicy(first: 2, every: 10, epochEnds: true)
        let writer = try TraceWriter(directory: directory, run: denseRunInfo, policy: policy, flushInterval: 20)
        feedDenseRun(writer, steps: 0..<200, stepsPerEpoch: 50)
        try writer.finish()
        let tensors = denseStepTensors(step: 0)
        let estimate = policy.expectedSize(totalSteps: 200, epochs: 4, tensorsPerStep: tensors.count,
                                           fullTensorBytesPerStep: tensors.map { $0.2.count * 4 }.reduce(0, +),
                                           flushInterval: 20)
        print("expected \(estimate), wrote \(TraceSizeEstimate.format(writer.bytesWritten))")
        XCTAssertEqual(estimate.fullTensorSteps, try TraceReader(directory: directory).fullTensorSteps.count)
        XCTAssertEqual(Double(estimate.totalBytes), Double(writer.bytesWritten), accuracy: 0.15 * Double(writer.bytesWritten))
    }

    func testStatisticsOnlyPolicyStoresNoFullTensors() throws {
        let writer = try TraceWriter(directory: directory, run: denseRunInfo, policy: .none)
        feedDenseRun(writer, steps: 0..<3)
        try writer.finish()
        let trace = try TraceReader(directory: directory)
        XCTAssertEqual(trace.fullTensorSteps, [])
        XCTAssertEqual(try trace.series(.mean, of: "dense", kind: .activation).count, 3)
    }

    func testSparseStatisticsPolicyRecordsEveryNthAndFullTensorSteps() throws {
        let writer = try TraceWriter(directory: directory, run: denseRunInfo,
                                     policy: RecordPolicy(first: 1, statisticsEvery: 3))
        feedDenseRun(writer, steps: 0..<8)
        try writer.finish()
        let trace = try TraceReader(directory: directory)
        XCTAssertEqual(try trace.series(.l2, of: "dense", kind: .activation).map(\.step), [0, 3, 6])
        XCTAssertEqual(try trace.scalars().column("loss").count, 8, "scalars are kept at every step")
        XCTAssertEqual(try trace.scalars().column(ScalarName.gradientNorm(of: "dense.weight")).count, 8, "the trainer's norms too")
    }

    func testWritingIntoAnOldTraceFolderReplacesTheOldTrace() throws {
        _ = try writeDenseTrace()
        let writer = try TraceWriter(directory: directory, run: denseRunInfo, policy: .none)
        feedDenseRun(writer, steps: 0..<1)
        try writer.finish()
        let trace = try TraceReader(directory: directory)
        XCTAssertEqual(trace.steps, [0])
        XCTAssertEqual(try trace.scalars().rows.count, 1)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("tensors").path), [])
    }
}
