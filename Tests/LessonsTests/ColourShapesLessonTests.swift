import Foundation
import SnapshotTesting
import Trace
import XCTest
@testable import Lessons

/// The colour-shapes lesson: a folder of colour PNGs beside the lesson read as
/// `[32, 32, 3]` pictures (four classes, by sub-folder), a CNN whose first-layer
/// filters read three channels, a grey twin of the same pictures, and the figures
/// that show the inputs in colour.
final class ColourShapesLessonTests: XCTestCase {
    static let run = Result { try LessonQuickRun("colour-shapes") }
    var run: LessonQuickRun { get throws { try Self.run.get() } }

    override class func tearDown() { try? run.get().remove() }

    func testQuickRunReadsTheColourFolderAndDrawsEachFigure() throws {
        let run = try run
        XCTAssertEqual(run.summary.dataset, "images")
        XCTAssertEqual(run.summary.variants.map(\.name), ["grey"])
        // 1600 pictures: 320 (a fifth) are the test set, of which quick mode keeps 100; it keeps
        // 200 of the other 1280 for training, a tenth of them to validate.
        XCTAssertEqual(run.summary.testExamples, 100)
        XCTAssertEqual(run.summary.trainExamples + (run.summary.validationExamples ?? 0), 200)
        XCTAssertEqual(run.summary.figures.map(\.file), [
            "figures/01-filters.png", "figures/02-feature-maps.png", "figures/03-saliency.png", "figures/04-curves.png",
            "figures/05-compare-val_accuracy.png", "figures/06-confusion.png", "figures/07-mistakes.png"])
    }

    func testColourRunKeepsThreeChannelsAndTheGreyTwinOne() throws {
        let run = try run
        let colour = try ModelArchitecture.read(from: run.runFolder.appendingPathComponent("trace"))
        XCTAssertEqual(colour.inputShape, [32, 32, 3])
        XCTAssertEqual(colour.classNames, ["circle", "cross", "square", "triangle"])
        XCTAssertEqual(colour.dataset, "images")
        let grey = try ModelArchitecture.read(from: run.runFolder.appendingPathComponent("variants/grey/trace"))
        XCTAssertEqual(grey.inputShape, [32, 32, 1])
        // What the figures draw: the probe pictures and the mistakes keep their three channels.
        let trace = try TraceReader(directory: run.runFolder.appendingPathComponent("trace"))
        let step = try XCTUnwrap(trace.tensors().filter { $0.name == "input" && $0.kind == .input }.map(\.step).max())
        XCTAssertEqual(try trace.tensor("input", kind: .input, step: step).shape.last, 3)
        XCTAssertEqual(try trace.tensor("conv1.weight", kind: .weight, step: step).shape, [3, 3, 3, 16])
        let evaluation = try XCTUnwrap(try EvaluationRecord.read(fromTrace: run.runFolder.appendingPathComponent("trace")))
        if !evaluation.mistakeIndices.isEmpty { XCTAssertEqual(evaluation.mistakeImages.shape.last, 3) }
    }

    func testFolderHoldsFourClassesOf400Pictures() throws {
        let folder = try LessonCatalog.locate().lessonFolder("colour-shapes").appendingPathComponent("shapes")
        let data = try ImageFolderDataset(path: folder.path, size: 32, channels: 3).examples(in: folder)
        XCTAssertEqual(data.count, 1600)
        XCTAssertEqual(Dictionary(grouping: data.labels, by: { $0 }).mapValues(\.count), [0: 400, 1: 400, 2: 400, 3: 400])
    }

    /// make_shapes.py is deterministic and made the committed files: its first two pictures
    /// of each class, drawn again, are the committed bytes (skipped where python3 is missing).
    func testGeneratorRedrawsTheCommittedPictures() throws {
        let lesson = try LessonCatalog.locate().lessonFolder("colour-shapes")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("shapes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let status: Int32
        do {
            status = try ONNXExportTests.python([lesson.appendingPathComponent("make_shapes.py").path, "--count", "2",
                                                 "--out", out.path])
        } catch { throw XCTSkip("python3 is not available: \(error)") }
        if status == 127 { throw XCTSkip("python3 is not available") }
        XCTAssertEqual(status, 0)
        for name in ["circle", "cross", "square", "triangle"] {
            for file in ["000.png", "001.png"] {
                let redrawn = try Data(contentsOf: out.appendingPathComponent("\(name)/\(file)"))
                XCTAssertEqual(redrawn, try Data(contentsOf: lesson.appendingPathComponent("shapes/\(name)/\(file)")), "\(name)/\(file)")
            }
        }
    }

    func testLessonSnapshot() throws {
        assertSnapshot(of: try run.traceText(), as: .lines, named: "colour-shapes-quick")
    }
}
