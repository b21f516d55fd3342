import Foundation
import NeuralNet
import Render
import Tensor

/// A folder of the user's own pictures as a dataset (`dataset: images`): one
/// sub-folder of PNG files per class, the sub-folder names (sorted) being the class
/// names. Each picture is made `size × size` with `channels` channels (1: grey,
/// 3: colour) by `ImagePixels`, in [0, 1] like the IDX loaders' pixels. The pictures
/// are split into training and test sets by `testSplit` (seeded); validation comes
/// out of the training part as for every dataset.
///
/// ```yaml
/// data: {dataset: images, path: photos, size: 32, channels: 3, validation_split: 0.1}
/// ```
public struct ImageFolderDataset: Equatable, Sendable {
    /// The folder as the lesson names it; a relative path is read from the lesson folder.
    public var path: String
    /// Height and width of every example, in pixels.
    public var size: Int
    /// 1 (grey) or 3 (colour).
    public var channels: Int
    /// Fraction of the pictures held out as the test set.
    public var testSplit: Double

    public init(path: String, size: Int = 28, channels: Int = 1, testSplit: Double = 0.2) {
        self.path = path
        self.size = size
        self.channels = channels
        self.testSplit = testSplit
    }

    /// Reads `folder` (or `path` under `lessonFolder`) and splits it into training and test sets.
    public func load(folder: URL? = nil, relativeTo lessonFolder: URL, seed: UInt64) throws -> DatasetSplit {
        let all = try examples(in: folder ?? resolve(path, relativeTo: lessonFolder))
        let (train, test) = all.split(validationFraction: testSplit, seed: seed)
        return DatasetSplit(train: train, test: test)
    }

    /// Every picture of every class folder: inputs `[N, size, size, channels]`, labels by folder.
    public func examples(in folder: URL) throws -> LabeledData {
        let classes = try Self.classFolders(folder)
        guard classes.count >= 2 else { throw OwnDataError.oneClass(folder.path, classes: classes.map(\.lastPathComponent)) }
        var pixels: [Float] = [], labels: [Int] = []
        for (label, classFolder) in classes.enumerated() {
            let files = try Self.visibleEntries(classFolder)
            guard !files.isEmpty else { throw OwnDataError.emptyClass(classFolder.path) }
            for file in files {
                pixels += try picture(file).scalars
                labels.append(label)
            }
        }
        let inputs = Tensor(shape: [labels.count, size, size, channels], scalars: pixels)
        return try LabeledData(inputs: inputs, labels: labels, classNames: classes.map(\.lastPathComponent))
    }

    /// One PNG file as `[size, size, channels]`.
    func picture(_ file: URL) throws -> Tensor {
        guard file.pathExtension.lowercased() == "png", let data = FileManager.default.contents(atPath: file.path),
              let image = try? RasterImage(png: data) else {
            throw OwnDataError.notPNG(file.path)
        }
        return ImagePixels.tensor(image, channels: channels, height: size, width: size)
    }

    /// The sub-folders of `folder`, sorted by name (other files there, a README say, are skipped).
    static func classFolders(_ folder: URL) throws -> [URL] {
        guard isFolder(folder) else { throw OwnDataError.unreadable(folder.path, reason: "no such folder") }
        return try visibleEntries(folder).filter(isFolder)
    }

    /// A folder's entries without hidden ones (`.DS_Store`), sorted by name.
    static func visibleEntries(_ folder: URL) throws -> [URL] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder.path) } catch {
            throw OwnDataError.unreadable(folder.path, reason: "cannot list the folder")
        }
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }
}
