import Foundation
import NeuralNet
import Tensor
import XCTest
@testable import Lessons

final class MNISTTests: XCTestCase {
    private var bundledFolder: URL { IDXFixtures.repositoryRoot.appendingPathComponent("lessons/data") }
    /// The CSV the bundled subset was converted from (../shared/data in this setup).
    private var sourceCSV: URL {
        IDXFixtures.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data/mnist_5k.csv.gz")
    }

    // MARK: the bundled subset

    func testBundledSubsetSplits4000TrainAnd1000TestWith100TestImagesPerDigit() throws {
        let start = Date()
        let split = try DatasetSource(dataset: .mnist, folder: bundledFolder).load()
        print("bundled MNIST subset loaded in \(Int(Date().timeIntervalSince(start) * 1000)) ms")

        XCTAssertEqual(split.train.inputs.shape, [4000, 28, 28, 1])
        XCTAssertEqual(split.test.inputs.shape, [1000, 28, 28, 1])
        XCTAssertEqual(counts(split.train.labels), Array(repeating: 400, count: 10))
        XCTAssertEqual(counts(split.test.labels), Array(repeating: 100, count: 10))
        XCTAssertEqual(split.train.classNames, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
        for data in [split.train, split.test] {
            XCTAssertEqual(data.inputs.scalars.min(), 0)
            XCTAssertEqual(data.inputs.scalars.max(), 1)
        }
    }

    func testBundledImagesAndLabelsAreTheCSVRowsDividedBy255() throws {
        guard FileManager.default.fileExists(atPath: sourceCSV.path) else {
            throw XCTSkip("source CSV not present at \(sourceCSV.path)")
        }
        let checkedRows = [0, 4, 1234, 2503, 4998, 4999]
        let csv = try csvRows(sourceCSV, checkedRows)
        XCTAssertEqual(csv.count, 5000)
        let split = try DatasetSource(dataset: .mnist, folder: bundledFolder).load()

        // Row r goes to the test set when r % 5 == 4, at position r / 5; otherwise
        // to the training set, after the r - r / 5 earlier training rows.
        for row in checkedRows {
            let (data, index) = row % 5 == 4 ? (split.test, row / 5) : (split.train, row - row / 5)
            let values = try XCTUnwrap(csv.rows[row])
            XCTAssertEqual(values.count, 785, "CSV row \(row)")
            XCTAssertEqual(data.labels[index], values[784], "label of CSV row \(row)")
            XCTAssertEqual(data.inputs.slice(index).scalars, values[..<784].map { Float($0) / 255 },
                           "pixels of CSV row \(row)")
        }
    }

    func testBundledDataIsFoundFromASubfolderOfTheRepository() throws {
        let subfolder = IDXFixtures.repositoryRoot.appendingPathComponent("Sources/Lessons")
        let found = try BundledData.folder(searchingFrom: [subfolder], environment: [:])
        XCTAssertEqual(found.standardizedFileURL.path, bundledFolder.standardizedFileURL.path)
        let source = try DatasetSource.bundledMNIST(searchingFrom: [subfolder])
        XCTAssertEqual(source.dataset, .mnist)
    }

    func testEnvironmentVariableNamesTheLessonsFolder() throws {
        let elsewhere = try IDXFixtures.temporaryFolder(for: self)
        let lessons = IDXFixtures.repositoryRoot.appendingPathComponent("lessons").path
        let found = try BundledData.lessonsFolder(searchingFrom: [elsewhere],
                                                  environment: [BundledData.environmentVariable: lessons])
        XCTAssertEqual(found.path, lessons)

        let bogus = elsewhere.appendingPathComponent("no-lessons")
        XCTAssertThrowsError(try BundledData.folder(environment: [BundledData.environmentVariable: bogus.path])) {
            XCTAssertEqual($0 as? DatasetError, .noSuchFolder(bogus.appendingPathComponent("data")))
        }
    }

    func testBundledDataOutsideTheRepositoryIsNotFoundAndSaysWhatToSet() throws {
        // The ceiling keeps the search inside the temporary folder, which may itself lie
        // inside the repository (TMPDIR=repo/tmp): walking up from it would find lessons/.
        let elsewhere = try IDXFixtures.temporaryFolder(for: self)
        XCTAssertThrowsError(try BundledData.folder(searchingFrom: [elsewhere], environment: [:], ceiling: elsewhere)) { error in
            XCTAssertEqual(error as? DatasetError, .bundledDataNotFound(searchedFrom: [elsewhere]))
            XCTAssertTrue("\(error)".contains(BundledData.environmentVariable), "\(error)")
        }
    }

    func testSearchStopsAtTheCeilingAfterSearchingIt() throws {
        let subfolder = IDXFixtures.repositoryRoot.appendingPathComponent("Sources/Lessons")
        let root = IDXFixtures.repositoryRoot
        XCTAssertEqual(try BundledData.folder(searchingFrom: [subfolder], environment: [:], ceiling: root)
                        .standardizedFileURL.path, bundledFolder.standardizedFileURL.path, "the ceiling itself is searched")
        XCTAssertThrowsError(try BundledData.folder(searchingFrom: [subfolder], environment: [:],
                                                    ceiling: root.appendingPathComponent("Sources"))) {
            XCTAssertEqual($0 as? DatasetError, .bundledDataNotFound(searchedFrom: [subfolder]))
        }
        let unrelated = URL(fileURLWithPath: "/nonexistent/ceiling", isDirectory: true)
        XCTAssertNoThrow(try BundledData.folder(searchingFrom: [subfolder], environment: [:], ceiling: unrelated),
                         "a ceiling that is not above the start does not bound its walk")
    }

    // MARK: a --data folder

    func testDataFolderMixingRawAndGzipFilesLoads() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        try writeDataFolder(folder, trainImages: 3, trainLabels: 3)
        let split = try DatasetSource(dataset: .fashionMNIST, folder: folder).load()
        XCTAssertEqual(split.train.inputs.shape, [3, 2, 2, 1])
        XCTAssertEqual(split.test.inputs.shape, [2, 2, 2, 1])
        XCTAssertEqual(split.train.labels, [0, 1, 2])
        XCTAssertEqual(split.test.labels, [8, 9])
        XCTAssertEqual(split.test.classNames.last, "Ankle boot")
    }

    func testDataFolderLackingAFileNamesIt() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        try writeDataFolder(folder, trainImages: 3, trainLabels: 3)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        XCTAssertThrowsIDXError(try DatasetSource(dataset: .mnist, folder: folder).load(),
                                .missingInFolder(folder: folder, fileName: "t10k-labels-idx1-ubyte"),
                                mentioning: folder)
        XCTAssertThrowsError(try DatasetSource(dataset: .mnist, folder: folder).load()) {
            XCTAssertTrue("\($0)".contains("t10k-labels-idx1-ubyte"), "\($0)")
        }
    }

    func testImageAndLabelCountsMustAgree() throws {
        let folder = try IDXFixtures.temporaryFolder(for: self)
        try writeDataFolder(folder, trainImages: 3, trainLabels: 2)
        let images = folder.appendingPathComponent("train-images-idx3-ubyte")
        let labels = folder.appendingPathComponent("train-labels-idx1-ubyte.gz")
        XCTAssertThrowsIDXError(try DatasetSource(dataset: .mnist, folder: folder).load(),
                                .countMismatch(images: images, imageCount: 3, labels: labels, labelCount: 2),
                                mentioning: labels)
    }

    func testMissingDataFolderIsNamed() {
        let folder = URL(fileURLWithPath: "/nonexistent/mnist", isDirectory: true)
        XCTAssertThrowsError(try DatasetSource(dataset: .mnist, folder: folder).load()) {
            XCTAssertEqual($0 as? DatasetError, .noSuchFolder(folder))
        }
    }

    // MARK: Fashion-MNIST

    func testFashionMNISTLoadsTheFullSetWhenInstalled() throws {
        guard FileManager.default.fileExists(atPath: DatasetSource.debianFashionMNISTFolder.path) else {
            throw XCTSkip("dataset-fashion-mnist is not installed")
        }
        let start = Date()
        let split = try DatasetSource.standard(.fashionMNIST).load()
        print("Fashion-MNIST loaded in \(Int(Date().timeIntervalSince(start) * 1000)) ms")

        XCTAssertEqual(split.train.inputs.shape, [60000, 28, 28, 1])
        XCTAssertEqual(split.test.inputs.shape, [10000, 28, 28, 1])
        XCTAssertEqual(counts(split.train.labels), Array(repeating: 6000, count: 10))
        XCTAssertEqual(counts(split.test.labels), Array(repeating: 1000, count: 10))
        XCTAssertEqual(split.train.classNames[0], "T-shirt/top")
        XCTAssertEqual(split.train.classNames[9], "Ankle boot")
    }

    func testFashionMNISTMissingSaysWhichPackageToInstall() {
        let folder = URL(fileURLWithPath: "/nonexistent/fashion-mnist", isDirectory: true)
        XCTAssertThrowsError(try DatasetSource.fashionMNIST(installedAt: folder)) { error in
            XCTAssertEqual(error as? DatasetError,
                           .notInstalled(.fashionMNIST, folder: folder, aptPackage: "dataset-fashion-mnist"))
            XCTAssertTrue("\(error)".contains("apt-get install dataset-fashion-mnist"), "\(error)")
        }
    }

    // MARK: helpers

    private func counts(_ labels: [Int]) -> [Int] {
        labels.reduce(into: Array(repeating: 0, count: 10)) { $0[$1] += 1 }
    }

    /// Four tiny files of 2×2 images: train images raw, the rest gzip.
    private func writeDataFolder(_ folder: URL, trainImages: Int, trainLabels: Int) throws {
        let image: (Int) -> [UInt8] = { i in [UInt8(i), 0, 255, UInt8(10 * i)] }
        try IDXFixtures.write(IDXFixtures.images((0..<trainImages).map(image), rows: 2, columns: 2),
                              to: folder.appendingPathComponent("train-images-idx3-ubyte"))
        try IDXFixtures.writeGzip(IDXFixtures.labels((0..<trainLabels).map(UInt8.init)),
                                  to: folder.appendingPathComponent("train-labels-idx1-ubyte.gz"))
        try IDXFixtures.writeGzip(IDXFixtures.images([image(1), image(2)], rows: 2, columns: 2),
                                  to: folder.appendingPathComponent("t10k-images-idx3-ubyte.gz"))
        try IDXFixtures.writeGzip(IDXFixtures.labels([8, 9]),
                                  to: folder.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
    }

    /// The CSV's line count and the integers of the lines `wanted`, read
    /// through the same zlib reader; only those lines are parsed, to stay fast.
    private func csvRows(_ url: URL, _ wanted: [Int]) throws -> (count: Int, rows: [Int: [Int]]) {
        let lines = try GzipFile(url).read(upTo: 64 << 20).split(separator: UInt8(ascii: "\n"))
        let rows = Dictionary(uniqueKeysWithValues: wanted.map { row in
            (row, lines[row].split(separator: UInt8(ascii: ",")).map { Int(String(decoding: $0, as: UTF8.self))! })
        })
        return (lines.count, rows)
    }
}
