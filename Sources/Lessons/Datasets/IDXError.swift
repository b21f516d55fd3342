import Foundation

/// Why an IDX file (the MNIST file format) could not be read. Every case names
/// the file and what was found in it, so the command line can print one line
/// that tells the user which file to fix or download again.
public enum IDXError: Error, CustomStringConvertible, Equatable {
    case missingFile(URL)
    /// A folder given for a dataset lacks one of the four standard files.
    case missingInFolder(folder: URL, fileName: String)
    case unreadable(URL, reason: String)
    /// The first four bytes are not the magic number this kind of file needs.
    case wrongMagic(URL, expected: UInt32, found: UInt32)
    /// The magic number names an element type other than unsigned bytes.
    case unsupportedDataType(URL, code: UInt8)
    case truncated(URL, expectedBytes: Int, foundBytes: Int)
    case trailingData(URL, expectedBytes: Int)
    case corruptGzip(URL, reason: String)
    /// The header's dimensions multiply to more bytes than the reader allows.
    case tooLarge(URL, dimensions: [Int], limit: Int)
    case countMismatch(images: URL, imageCount: Int, labels: URL, labelCount: Int)
    case labelOutOfRange(URL, index: Int, label: Int, classCount: Int)

    public var description: String {
        switch self {
        case let .missingFile(url):
            return "\(url.path): no such file"
        case let .missingInFolder(folder, name):
            return "\(folder.path) has no \(name) (nor \(name).gz); a dataset folder needs the four "
                + "standard MNIST files: \(MNISTFileName.allCases.map(\.rawValue).joined(separator: ", "))"
        case let .unreadable(url, reason):
            return "\(url.path): cannot read (\(reason))"
        case let .wrongMagic(url, expected, found):
            return "\(url.path): not an IDX file of the expected kind: magic number \(hex(found)), "
                + "expected \(hex(expected))"
        case let .unsupportedDataType(url, code):
            return "\(url.path): IDX data type 0x\(String(code, radix: 16, uppercase: true)) is not "
                + "supported (only 0x08, unsigned bytes, as MNIST uses)"
        case let .truncated(url, expected, found):
            return "\(url.path): truncated: expected \(expected) bytes, found \(found)"
        case let .trailingData(url, expected):
            return "\(url.path): unexpected data after the \(expected) bytes its header declares"
        case let .corruptGzip(url, reason):
            return "\(url.path): corrupt gzip data (\(reason))"
        case let .tooLarge(url, dimensions, limit):
            return "\(url.path): header declares \(dimensions.map(String.init).joined(separator: "×")) "
                + "elements, more than the limit of \(limit) bytes"
        case let .countMismatch(images, imageCount, labels, labelCount):
            return "\(images.path) holds \(imageCount) images but \(labels.path) holds \(labelCount) labels"
        case let .labelOutOfRange(url, index, label, classCount):
            return "\(url.path): label \(label) at index \(index) is outside 0...\(classCount - 1)"
        }
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}
