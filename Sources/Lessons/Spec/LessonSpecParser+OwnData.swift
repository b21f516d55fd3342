/// The user's own data in a lesson file: a CSV table (`dataset: csv`) or a folder
/// of PNG images, a sub-folder per class (`dataset: images`).
extension LessonSpecParser {
    static let ownDatasetNames = ["csv", "images"]
    /// Keys of `data` that only own data takes (`targets` is shared with inline examples).
    static let ownDataKeys = ["path", "label", "classes", "features", "test_split", "size", "channels"]

    /// `path` and, for a table, `label` (with `classes`) or `targets`; for images `size` and `channels`.
    static func parseOwnData(_ m: [String: SpecNode], dataset: SpecNode, name: String) throws -> LessonDataset {
        guard let pathNode = m["path"] else {
            throw dataset.error("dataset: \(name) needs 'path'", hint: name == "csv"
                                ? "a CSV file, relative to the lesson folder" : "a folder with one sub-folder of PNGs per class")
        }
        for key in ["examples", "test_examples", "noise", "inputs", "labels"] where m[key] != nil {
            throw m[key]!.error("'\(key)' is not for dataset: \(name)", hint: "its examples are the rows or files found at 'path'")
        }
        let path = try pathNode.string()
        let testSplit = try m["test_split"]?.double(in: 0.05...0.9) ?? 0.2
        if name == "images" {
            for key in ["label", "classes", "targets", "features"] where m[key] != nil {
                throw m[key]!.error("'\(key)' is for dataset: csv; an image folder's classes are its sub-folders")
            }
            let channels = try m["channels"]?.int(in: 1...3) ?? 1
            guard channels != 2 else { throw m["channels"]!.error("channels is 1 (grey) or 3 (colour)") }
            return .imageFolder(ImageFolderDataset(path: path, size: try m["size"]?.int(in: 4...256) ?? 28,
                                                   channels: channels, testSplit: testSplit))
        }
        for key in ["size", "channels"] where m[key] != nil {
            throw m[key]!.error("'\(key)' is for dataset: images")
        }
        let features = try m["features"].map { node -> [String] in
            let names = try node.strings()
            guard !names.isEmpty else { throw node.error("name at least one feature column") }
            return names
        }
        switch (m["label"], m["targets"]) {
        case let (label?, nil):
            let classes = try m["classes"].map { node -> [String] in
                let names = try node.strings()
                guard names.count >= 2, Set(names).count == names.count else {
                    throw node.error("classes lists at least two different class names, in the order of the outputs")
                }
                return names
            }
            return .csv(CSVDataset(path: path, label: try label.string(), classes: classes, features: features,
                                   testSplit: testSplit))
        case let (nil, targets?):
            if let node = m["classes"] { throw node.error("'classes' names a label's values; 'targets' are numbers") }
            let columns = try targets.strings()
            guard !columns.isEmpty else { throw targets.error("name at least one target column") }
            return .csv(CSVDataset(path: path, targets: columns, features: features, testSplit: testSplit))
        default:
            throw dataset.error("dataset: csv gives either 'label' (a column of class names) or 'targets' "
                                + "(regression columns), not " + (m["label"] == nil ? "neither" : "both"))
        }
    }
}
