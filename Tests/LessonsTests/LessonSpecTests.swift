import XCTest
@testable import Lessons

final class LessonSpecTests: XCTestCase {
    static let minimal = """
    title: T
    summary: S
    data: {dataset: mnist}
    model:
      layers:
        - {type: Flatten}
        - {type: Dense, units: 10}
    training: {loss: softmax_cross_entropy, optimizer: adam}
    """

    private func parseError(_ yaml: String) -> String {
        do {
            _ = try LessonSpecParser.parse(yaml: yaml, file: "lessons/x/lesson.yaml", name: "x")
            return "no error"
        } catch { return "\(error)" }
    }

    func testMinimalLessonGetsKerasDefaults() throws {
        let spec = try LessonSpecParser.parse(yaml: Self.minimal, file: "f", name: "x")
        XCTAssertEqual(spec.layers, [.flatten, .dense(units: 10, activation: .linear, initializer: .glorotUniform)])
        XCTAssertEqual(spec.training.epochs, 5)
        XCTAssertEqual(spec.training.batchSize, 64)
        XCTAssertEqual(spec.data.dataset, .image(.mnist))
        XCTAssertEqual(spec.record, .default)
    }

    func testUnknownLayerTypeNamesLineKeyAndNearestType() {
        let yaml = Self.minimal.replacingOccurrences(of: "{type: Flatten}", with: "{type: Conv2d, filters: 3, kernel: 3}")
        let message = parseError(yaml)
        XCTAssert(message.hasPrefix("lessons/x/lesson.yaml:6: model.layers[0].type: unknown value 'Conv2d'"), message)
        XCTAssert(message.contains("did you mean 'Conv2D'?"), message)
        XCTAssert(message.contains("MaxPool2D"), message)
    }

    func testUnknownKeyIsRejectedWithValidKeys() {
        let message = parseError(Self.minimal + "\nepocs: 3\n")
        XCTAssert(message.contains("unknown key 'epocs'"), message)
        XCTAssert(message.contains("valid keys: title"), message)
        let inTraining = parseError(Self.minimal.replacingOccurrences(of: "optimizer: adam", with: "optimizer: adam, batchsize: 3"))
        XCTAssert(inTraining.contains("training.batchsize"), inTraining)
        XCTAssert(inTraining.contains("did you mean 'batch_size'?"), inTraining)
    }

    func testMalformedYAMLGivesTheLine() {
        let message = parseError("title: T\nsummary: [unclosed\ndata: {dataset: mnist}\n")
        XCTAssert(message.hasPrefix("lessons/x/lesson.yaml:"), message)
        XCTAssert(message.contains("malformed YAML"), message)
    }

    func testMissingRequiredKeyAndBadValues() {
        XCTAssert(parseError("title: T\n").contains("missing required key 'summary'"))
        let badNumber = parseError(Self.minimal.replacingOccurrences(of: "units: 10", with: "units: ten"))
        XCTAssert(badNumber.contains("model.layers[1].units: expected a whole number, got 'ten'"), badNumber)
        let noLayers = parseError(Self.minimal.replacingOccurrences(of: "data: {dataset: mnist}", with: "data: {dataset: cifar}"))
        XCTAssert(noLayers.contains("unknown value 'cifar'"), noLayers)
    }

    func testEveryShippedLessonParses() throws {
        let catalog = try LessonCatalog.locate(searchingFrom: [URL(fileURLWithPath: #filePath)])
        XCTAssert(catalog.names.contains("cnn-mnist"))
        for name in catalog.names { XCTAssertNoThrow(try catalog.spec(name), name) }
    }

    /// Every `{{figure: ID}}` of a shipped lesson names one of its figures, and every figure
    /// is placed beside a paragraph.
    func testEveryShippedLessonPlacesEachFigureOnceByAKnownID() throws {
        let catalog = try LessonCatalog.locate(searchingFrom: [URL(fileURLWithPath: #filePath)])
        for name in catalog.names {
            let spec = try catalog.spec(name)
            let texts = try LessonTexts(spec: spec, lessonFolder: try catalog.lessonFolder(name))
            let placed = (texts.narrative + (texts.exercises.map { [$0] } ?? [])).flatMap { file in
                file.text.split(separator: "\n").compactMap(FigurePlacement.markerID)
            }
            XCTAssertEqual(Set(placed), Set(spec.figures.map(\.id)), name)
        }
    }

    /// A shipped lesson lists its figures in `lesson.yaml` in the order its text places them,
    /// so that a figure's file (`03-name.png`, numbered in lesson order) has the number the
    /// gallery and the handout give it (numbered in text order).
    func testEveryShippedLessonListsItsFiguresInTheOrderItsTextPlacesThem() throws {
        let catalog = try LessonCatalog.locate(searchingFrom: [URL(fileURLWithPath: #filePath)])
        for name in catalog.names {
            let spec = try catalog.spec(name)
            let texts = try LessonTexts(spec: spec, lessonFolder: try catalog.lessonFolder(name))
            let rendered = spec.figures.map {
                RenderedFigure(file: "\($0.id).png", kind: $0.plot.rawValue, caption: $0.caption, handout: $0.handout,
                               width: 1, height: 1, id: $0.id)
            }
            let placement = FigurePlacement(texts: texts, figures: rendered)
            func placed(_ parts: [FigurePlacement.Part]) -> [Int] {
                parts.compactMap { part -> Int? in
                    if case let .figure(i) = part { return i }
                    return nil
                }
            }
            // As the gallery shows them: the narrative's, any unplaced, then the exercises'.
            let textOrder = (placed(placement.narrative.flatMap { $0 }) + placement.unplaced
                             + placed(placement.exercises ?? [])).map { spec.figures[$0].id }
            let printed = spec.figures.map(\.id)
            XCTAssertEqual(printed, textOrder, "\(name): order lesson.yaml's figures as the {{figure:}} markers of its text")
        }
    }

    func testFigureIDsArePlotNamesNumberedFromTheSecondUseOrGiven() throws {
        let spec = try LessonSpecParser.parse(yaml: Self.minimal + """

            figures:
              - {plot: curves, caption: a}
              - {plot: curves, caption: b}
              - {plot: confusion, caption: c, id: matrix}
            """, file: "lessons/x/lesson.yaml", name: "x")
        XCTAssertEqual(spec.figures.map(\.id), ["curves", "curves-2", "matrix"])
        XCTAssert(parseError(Self.minimal + """

            figures:
              - {plot: curves, caption: a, id: curves-2}
              - {plot: curves, caption: b}
            """).contains("two figures have the id 'curves-2'"))
    }

    func testCurriculumListsEveryShippedLessonOnceAndSetsTheirOrder() throws {
        let catalog = try LessonCatalog.locate(searchingFrom: [URL(fileURLWithPath: #filePath)])
        let curriculum = try catalog.curriculum()
        XCTAssertEqual(Set(curriculum).count, curriculum.count, "no lesson listed twice")
        XCTAssertEqual(Set(curriculum), Set(catalog.names), "curriculum.yaml lists exactly the lesson folders")
        XCTAssertEqual(catalog.names, curriculum)
        XCTAssertLessThan(try XCTUnwrap(curriculum.firstIndex(of: "fnn-spirals")), try XCTUnwrap(curriculum.firstIndex(of: "cnn-mnist")))
        XCTAssertEqual(LessonCatalog.teachingOrder(of: ["zeta", "b", "mine", "a"], curriculum: ["b", "gone", "a"]),
                       ["b", "a", "mine", "zeta"], "listed first in their order, others alphabetically")
    }

    func testLessonNamesAreCheckedAndSuggested() throws {
        let catalog = try LessonCatalog.locate(searchingFrom: [URL(fileURLWithPath: #filePath)])
        XCTAssertThrowsError(try catalog.lessonFolder("cnn mnist")) { XCTAssertEqual($0 as? LessonError, .invalidName("cnn mnist")) }
        // A path (with a '/' or a leading '.') is a lesson folder anywhere on disk, checked as such.
        XCTAssertThrowsError(try catalog.lessonFolder("./no-such-lesson-folder")) {
            XCTAssertEqual($0 as? LessonError, .noLessonFolder("./no-such-lesson-folder", reason: "no such folder"))
        }
        XCTAssertEqual(try catalog.lessonFolder(catalog.folder.path + "/cnn-mnist/").path,
                       catalog.folder.appendingPathComponent("cnn-mnist").standardizedFileURL.path)
        XCTAssertEqual(try catalog.spec(catalog.folder.path + "/iris-csv").name, "iris-csv")
        XCTAssertThrowsError(try catalog.lessonFolder("cnn-mnst")) { error in
            XCTAssert("\(error)".contains("did you mean 'cnn-mnist'?"), "\(error)")
        }
    }

    func testNearestFindsTyposOnly() {
        XCTAssertEqual(nearest("Conv2d", in: ["Conv2D", "Dense"]), ["Conv2D"])
        XCTAssertEqual(nearest("xyzzy", in: ["Conv2D", "Dense"]), [])
        XCTAssertEqual(editDistance("kitten", "sitting"), 3)
    }
}
