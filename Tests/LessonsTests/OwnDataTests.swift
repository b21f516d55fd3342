import Foundation
import Lessons
import NeuralNet
import XCTest

/// The user's own data: a CSV table (`dataset: csv`) and a folder of PNGs, a sub-folder
/// per class (`dataset: images`), read as the lesson file says, and every bad input
/// reported with the file, row and column at fault.
final class OwnDataTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/own-data")
    static let iris = fixtures.appendingPathComponent("iris-12.csv")
    static let colours = fixtures.appendingPathComponent("colours")

    /// A temporary file holding `text`.
    func csvFile(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("own-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func assertError(_ body: @autoclosure () throws -> Any, _ parts: String..., file: StaticString = #filePath,
                     line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            let text = String(describing: error)
            for part in parts { XCTAssert(text.contains(part), "'\(part)' not in: \(text)", file: file, line: line) }
        }
    }

    func testLabelValuesBecomeClassesInOrderOfFirstAppearance() throws {
        let data = try CSVDataset(path: "", label: "species").examples(at: Self.iris)
        XCTAssertEqual(data.classNames, ["setosa", "versicolor", "virginica"])
        XCTAssertEqual(data.inputs.shape, [12, 4])
        XCTAssertEqual(data.labels, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
        XCTAssertEqual(Array(data.inputs.scalars.prefix(4)), [5.1, 3.5, 1.4, 0.2])
    }

    func testListedClassesSetTheOrder() throws {
        let data = try CSVDataset(path: "", label: "species", classes: ["virginica", "setosa", "versicolor"])
            .examples(at: Self.iris)
        XCTAssertEqual(data.labels.prefix(5), [1, 1, 1, 1, 2])
        assertError(try CSVDataset(path: "", label: "species", classes: ["setosa", "versicolor"]).examples(at: Self.iris),
                    "iris-12.csv: row 9 (line 10): label 'virginica' is not among the classes listed")
    }

    func testTargetsMakeARegressionAndFeaturesChooseColumns() throws {
        let data = try CSVDataset(path: "", targets: ["petal_width"], features: ["petal_length"]).examples(at: Self.iris)
        XCTAssert(data.isRegression)
        XCTAssertEqual(data.inputs.shape, [12, 1])
        XCTAssertEqual(data.targets?.shape, [12, 1])
        XCTAssertEqual(data.targets?.scalars.last, 1.8)
    }

    func testRowsAreSplitIntoTrainingAndTestSets() throws {
        let split = try CSVDataset(path: "iris-12.csv", label: "species", testSplit: 0.25)
            .load(relativeTo: Self.fixtures, seed: 1)
        XCTAssertEqual(split.train.count, 9)
        XCTAssertEqual(split.test.count, 3)
    }

    func testRaggedRowIsNamed() throws {
        let url = try csvFile("a,b,label\n1,2,x\n3,y\n5,6,y\n")
        assertError(try CSVDataset(path: "", label: "label").examples(at: url), url.lastPathComponent,
                    "row 2 (line 3) has 2 fields; the header has 3")
    }

    func testUnknownLabelColumnSuggestsTheNearest() throws {
        assertError(try CSVDataset(path: "", label: "specie").examples(at: Self.iris),
                    "no column 'specie' for the label (did you mean 'species'?)", "sepal_length")
    }

    func testNonNumericFeatureColumnsAreNamed() throws {
        let url = try csvFile("name,size,colour,label\nann,1,red,x\nbob,2,blue,y\n")
        assertError(try CSVDataset(path: "", label: "label").examples(at: url), "feature columns 'name', 'colour' are not numeric")
    }

    func testMissingAndNonNumericValuesNameRowAndColumn() throws {
        let missing = try csvFile("a,b,label\n1,2,x\n3,,y\n")
        assertError(try CSVDataset(path: "", label: "label").examples(at: missing),
                    "row 2 (line 3), column 'b': a missing value")
        let word = try csvFile("a,b,label\n1,2,x\n3,4,y\nfive,6,x\n")
        assertError(try CSVDataset(path: "", label: "label").examples(at: word),
                    "row 3 (line 4), column 'a': 'five', not a number")
    }

    func testOneClassIsAnError() throws {
        let url = try csvFile("a,label\n1,x\n2,x\n")
        assertError(try CSVDataset(path: "", label: "label").examples(at: url), "only one class (x)")
    }

    func testImageFolderReadsOneClassPerSubfolderInColour() throws {
        let data = try ImageFolderDataset(path: "", size: 4, channels: 3).examples(in: Self.colours)
        XCTAssertEqual(data.classNames, ["blue", "red"])
        XCTAssertEqual(data.inputs.shape, [16, 4, 4, 3])
        // Red pictures have more red than blue in total; blue ones the reverse.
        func sums(_ i: Int) -> (red: Float, blue: Float) {
            let v = data.inputs.slice(i).scalars
            return (stride(from: 0, to: v.count, by: 3).map { v[$0] }.reduce(0, +),
                    stride(from: 2, to: v.count, by: 3).map { v[$0] }.reduce(0, +))
        }
        for i in 0..<16 {
            let s = sums(i)
            XCTAssertEqual(s.red > s.blue, data.labels[i] == 1, "picture \(i)")
        }
        let grey = try ImageFolderDataset(path: "", size: 6, channels: 1).examples(in: Self.colours)
        XCTAssertEqual(grey.inputs.shape, [16, 6, 6, 1])
        XCTAssert(grey.inputs.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    /// A copy of the colour fixture to damage.
    func colourCopy() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("own-images-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.colours, to: url)
        return url
    }

    func testEmptyClassFolderIsNamed() throws {
        let folder = try colourCopy()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("green"), withIntermediateDirectories: false)
        assertError(try ImageFolderDataset(path: "").examples(in: folder), "green: class folder holds no PNG image")
    }

    func testNonPNGFileIsNamed() throws {
        let folder = try colourCopy()
        try "not a picture".write(to: folder.appendingPathComponent("red/notes.txt"), atomically: true, encoding: .utf8)
        assertError(try ImageFolderDataset(path: "").examples(in: folder), "red/notes.txt: not a PNG image")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("red/notes.txt"))
        try "garbage".write(to: folder.appendingPathComponent("red/broken.png"), atomically: true, encoding: .utf8)
        assertError(try ImageFolderDataset(path: "").examples(in: folder), "red/broken.png: not a PNG image")
    }

    func testOneClassFolderIsAnError() throws {
        let folder = try colourCopy()
        try FileManager.default.removeItem(at: folder.appendingPathComponent("blue"))
        assertError(try ImageFolderDataset(path: "").examples(in: folder), "only one class (red)")
    }

    func testLessonFileChecksOwnDataKeys() throws {
        func parse(_ data: String) throws -> LessonSpec {
            try LessonSpecParser.parse(yaml: """
                title: T
                summary: S
                data: \(data)
                model: {layers: [{type: Dense, units: 3}]}
                training: {loss: softmax_cross_entropy, optimizer: adam, epochs: 1, batch_size: 4}
                """, file: "x/lesson.yaml", name: "x")
        }
        let spec = try parse("{dataset: csv, path: iris.csv, label: species, classes: [a, b], test_split: 0.3}")
        XCTAssertEqual(spec.data.dataset, .csv(CSVDataset(path: "iris.csv", label: "species", classes: ["a", "b"], testSplit: 0.3)))
        XCTAssertEqual(try parse("{dataset: images, path: pics, size: 32, channels: 3}").data.dataset,
                       .imageFolder(ImageFolderDataset(path: "pics", size: 32, channels: 3)))
        assertError(try parse("{dataset: csv, path: a.csv}"), "x/lesson.yaml:3", "either 'label'", "not neither")
        assertError(try parse("{dataset: csv, label: y}"), "needs 'path'")
        assertError(try parse("{dataset: images, path: p, channels: 2}"), "channels is 1 (grey) or 3 (colour)")
        assertError(try parse("{dataset: spirals, path: p}"), "'path' is for your own data")
    }
}
