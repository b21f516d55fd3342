import Foundation
import NeuralNet

/// A training set and the test set it is judged on.
public struct DatasetSplit: Sendable {
    public var train: LabeledData
    public var test: LabeledData

    public init(train: LabeledData, test: LabeledData) {
        self.train = train
        self.test = test
    }
}

/// Where a lesson's images come from: a dataset (which says what the labels
/// mean) and a folder holding its four MNIST-format files (which says where the
/// pixels are). The command line builds one from `--dataset` and `--data DIR`;
/// without `--data`, `standard` picks the bundled MNIST subset or Debian's
/// Fashion-MNIST.
///
/// ```swift
/// let source = try DatasetSource.standard(.mnist)        // lessons/data
/// let split = try source.load()                          // 4000 train, 1000 test
/// split.train.inputs.shape                               // [4000, 28, 28, 1]
/// ```
public struct DatasetSource: Equatable, Sendable {
    /// Where Debian's `dataset-fashion-mnist` package installs the full set.
    public static let debianFashionMNISTFolder = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist",
                                                     isDirectory: true)
    public static let fashionMNISTAptPackage = "dataset-fashion-mnist"

    public var dataset: ImageDataset
    public var folder: URL

    public init(dataset: ImageDataset, folder: URL) {
        self.dataset = dataset
        self.folder = folder
    }

    /// The default source of `dataset`: the bundled MNIST subset (found by
    /// `BundledData.folder`) or the installed Fashion-MNIST package.
    public static func standard(_ dataset: ImageDataset,
                                searchingFrom starts: [URL] = BundledData.defaultSearchStarts) throws -> DatasetSource {
        switch dataset {
        case .mnist: return try bundledMNIST(searchingFrom: starts)
        case .fashionMNIST: return try fashionMNIST()
        }
    }

    /// The 5000-digit MNIST subset committed under `lessons/data/`.
    public static func bundledMNIST(searchingFrom starts: [URL] = BundledData.defaultSearchStarts) throws -> DatasetSource {
        DatasetSource(dataset: .mnist, folder: try BundledData.folder(searchingFrom: starts))
    }

    /// Full Fashion-MNIST (60000 + 10000) from `folder`, by default where the
    /// Debian package puts it; a missing folder means the package is missing.
    public static func fashionMNIST(installedAt folder: URL = debianFashionMNISTFolder) throws -> DatasetSource {
        guard isFolder(folder) else {
            throw DatasetError.notInstalled(.fashionMNIST, folder: folder, aptPackage: fashionMNISTAptPackage)
        }
        return DatasetSource(dataset: .fashionMNIST, folder: folder)
    }

    /// Reads the four files: images as `[N, 28, 28, 1]` in [0, 1], labels
    /// checked against the class count, image and label counts checked to agree.
    /// All four files are located before any is read, so a missing one is
    /// reported at once.
    public func load() throws -> DatasetSplit {
        guard isFolder(folder) else { throw DatasetError.noSuchFolder(folder) }
        let trainImages = try locate(.trainImages), trainLabels = try locate(.trainLabels)
        let testImages = try locate(.testImages), testLabels = try locate(.testLabels)
        return DatasetSplit(train: try examples(images: trainImages, labels: trainLabels),
                            test: try examples(images: testImages, labels: testLabels))
    }

    /// The file itself, or its gzip twin `NAME.gz`.
    private func locate(_ name: MNISTFileName) throws -> URL {
        for candidate in [name.rawValue, name.rawValue + ".gz"] {
            let url = folder.appendingPathComponent(candidate)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        throw IDXError.missingInFolder(folder: folder, fileName: name.rawValue)
    }

    private func examples(images imagesURL: URL, labels labelsURL: URL) throws -> LabeledData {
        let images = try IDXFile.images(at: imagesURL)
        let labels = try IDXFile.labels(at: labelsURL, classCount: dataset.classNames.count)
        guard images.shape[0] == labels.count else {
            throw IDXError.countMismatch(images: imagesURL, imageCount: images.shape[0],
                                         labels: labelsURL, labelCount: labels.count)
        }
        return try LabeledData(inputs: images, labels: labels, classNames: dataset.classNames)
    }
}
