import Foundation

/// Why a dataset could not be found, before any of its files is opened (file
/// problems are `IDXError`s). Each case says where it looked and how to fix it.
public enum DatasetError: Error, CustomStringConvertible, Equatable {
    case noSuchFolder(URL)
    /// A dataset that comes from a system package is not installed.
    case notInstalled(ImageDataset, folder: URL, aptPackage: String)
    /// No `lessons/data/` in these folders or any of their ancestors.
    case bundledDataNotFound(searchedFrom: [URL])

    public var description: String {
        switch self {
        case let .noSuchFolder(url):
            return "\(url.path): no such folder"
        case let .notInstalled(dataset, folder, package):
            return "\(dataset.title) is not installed (no \(folder.path)); install it with "
                + "`sudo apt-get install \(package)`, or give a folder holding its four IDX files"
        case let .bundledDataNotFound(starts):
            return "cannot find the bundled data (lessons/data) in "
                + starts.map(\.path).joined(separator: " or ")
                + " or any folder above; run from the repository or set "
                + "\(BundledData.environmentVariable) to the lessons folder"
        }
    }
}
