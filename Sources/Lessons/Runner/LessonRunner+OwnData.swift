import Foundation

/// What `--data PATH` means for the user's own data: a CSV file for a `dataset: csv`
/// lesson, a folder of class sub-folders for a `dataset: images` lesson, and for an
/// MNIST-style lesson either the four IDX files or such a folder of PNGs.
extension LessonRunner {
    /// `--data` for a CSV lesson: a file (nil: the lesson's own `path`).
    static func dataFile(_ url: URL?) throws -> URL? {
        guard let url else { return nil }
        if isFolder(url) {
            throw LessonRunError.invalidOption("--data \(url.path) is a folder; this lesson reads a CSV file")
        }
        return url
    }

    /// `--data` for an image-folder lesson: a folder (nil: the lesson's own `path`).
    static func dataFolder(_ url: URL?) throws -> URL? {
        guard let url else { return nil }
        guard isFolder(url) else {
            throw LessonRunError.invalidOption("--data \(url.path) is not a folder; this lesson reads a folder "
                                               + "with one sub-folder of PNG images per class")
        }
        return url
    }

    /// A `--data` folder given to an MNIST-style lesson that holds class sub-folders of PNGs
    /// instead of the four IDX files: read as grey 28 × 28 images; nil for an IDX folder.
    static func ownImages(at url: URL, for dataset: ImageDataset) throws -> ImageFolderDataset? {
        guard isFolder(url) else {
            throw LessonRunError.invalidOption("--data \(url.path) is not a folder; this lesson (\(dataset.rawValue)) "
                                               + "reads the four IDX files or a folder of class sub-folders of PNGs")
        }
        let idx = MNISTFileName.allCases.contains { name in
            [name.rawValue, name.rawValue + ".gz"].contains {
                FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path)
            }
        }
        guard !idx, try !ImageFolderDataset.classFolders(url).isEmpty else { return nil }
        return ImageFolderDataset(path: url.path, size: 28, channels: 1)
    }

    /// The names of a table's feature columns (from `--data FILE` or the lesson's `path`),
    /// which the trained model keeps for its figures; nil for data other than a table.
    func inputNames(_ dataset: LessonDataset) throws -> [String]? {
        guard case let .csv(table) = dataset else { return nil }
        return try table.featureNames(at: try Self.dataFile(options.dataFolder) ?? resolve(table.path, relativeTo: lessonFolder))
    }

    /// The dataset name a trained model keeps: `images` also for an MNIST lesson given a
    /// folder of PNGs with `--data` (its pictures were taken as they are, not as MNIST digits).
    static func storedDatasetName(_ dataset: LessonDataset, dataFolder: URL?) -> String {
        if case let .image(d) = dataset, let folder = dataFolder, (try? ownImages(at: folder, for: d)) != nil {
            return "images"
        }
        return dataset.name
    }
}
