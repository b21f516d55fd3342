import Foundation
import Tensor

/// One IDX file, the format MNIST ships in: a 4-byte big-endian magic number
/// `00 00 TT DD` (`TT` the element type, `DD` the number of dimensions), then one
/// big-endian `UInt32` per dimension, then the elements row-major. MNIST uses
/// unsigned bytes (`TT = 08`): images are `0x00000803` (count, rows, columns),
/// labels `0x00000801` (count). Raw and gzip files are both read; anything that
/// does not match its header is an `IDXError` naming the file.
public struct IDXFile: Sendable {
    /// The largest element payload a header may declare before reading stops;
    /// the full MNIST training images are 47 MB, so 1 GiB leaves headroom while
    /// keeping a corrupt or hostile header from exhausting memory.
    public static let defaultByteLimit = 1 << 30
    /// The only element type MNIST uses: unsigned bytes.
    public static let unsignedByteType: UInt8 = 0x08

    public let url: URL
    /// The extent of each dimension, outermost first.
    public let dimensions: [Int]
    /// The elements, row-major.
    public let bytes: [UInt8]

    /// Reads a file whose magic must be `0x000008DD` with `DD == dimensionCount`.
    public init(contentsOf url: URL, dimensionCount: Int, byteLimit: Int = IDXFile.defaultByteLimit) throws {
        let file = try GzipFile(url)
        let headerSize = 4 + 4 * dimensionCount
        let expectedMagic = UInt32(IDXFile.unsignedByteType) << 8 | UInt32(dimensionCount)

        let magic = try file.read(upTo: 4)
        guard magic.count == 4 else {
            throw IDXError.truncated(url, expectedBytes: headerSize, foundBytes: magic.count)
        }
        let foundMagic = bigEndianUInt32(magic[...])
        guard magic[0] == 0, magic[1] == 0 else {
            throw IDXError.wrongMagic(url, expected: expectedMagic, found: foundMagic)
        }
        guard magic[2] == IDXFile.unsignedByteType else {
            throw IDXError.unsupportedDataType(url, code: magic[2])
        }
        guard foundMagic == expectedMagic else {
            throw IDXError.wrongMagic(url, expected: expectedMagic, found: foundMagic)
        }

        let dimensionBytes = try file.read(upTo: 4 * dimensionCount)
        guard dimensionBytes.count == 4 * dimensionCount else {
            throw IDXError.truncated(url, expectedBytes: headerSize, foundBytes: 4 + dimensionBytes.count)
        }
        let dimensions = stride(from: 0, to: dimensionBytes.count, by: 4).map {
            Int(bigEndianUInt32(dimensionBytes[$0..<($0 + 4)]))
        }
        let payloadSize = try checkedProduct(dimensions, limit: byteLimit, url: url)

        let bytes = try file.read(upTo: payloadSize)
        guard bytes.count == payloadSize else {
            throw IDXError.truncated(url, expectedBytes: headerSize + payloadSize,
                                     foundBytes: headerSize + bytes.count)
        }
        guard try file.isAtEnd() else {
            throw IDXError.trailingData(url, expectedBytes: headerSize + payloadSize)
        }
        self.url = url
        self.dimensions = dimensions
        self.bytes = bytes
    }
}

extension IDXFile {
    /// Images `[count, rows, columns, 1]` (NHWC, one channel) with pixel values
    /// scaled to [0, 1] as Keras lessons do: `x = pixel / 255`.
    public static func images(at url: URL, byteLimit: Int = defaultByteLimit) throws -> Tensor {
        let file = try IDXFile(contentsOf: url, dimensionCount: 3, byteLimit: byteLimit)
        return Tensor(shape: file.dimensions + [1], scalars: unitIntervalFloats(file.bytes))
    }

    /// Class labels, each checked to lie in `0..<classCount`.
    public static func labels(at url: URL, classCount: Int) throws -> [Int] {
        let file = try IDXFile(contentsOf: url, dimensionCount: 1)
        if let index = file.bytes.firstIndex(where: { Int($0) >= classCount }) {
            throw IDXError.labelOutOfRange(url, index: index, label: Int(file.bytes[index]),
                                           classCount: classCount)
        }
        return file.bytes.map(Int.init)
    }
}

private func bigEndianUInt32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
}

/// The number of elements the header declares, refusing more than `limit`
/// (checked step by step, which also keeps the product from overflowing).
private func checkedProduct(_ dimensions: [Int], limit: Int, url: URL) throws -> Int {
    try dimensions.reduce(1) { product, extent in
        let (next, overflow) = product.multipliedReportingOverflow(by: extent)
        guard !overflow, next <= limit else {
            throw IDXError.tooLarge(url, dimensions: dimensions, limit: limit)
        }
        return next
    }
}

/// `Float(byte) / 255` for every byte, in one pass the compiler vectorises.
private func unitIntervalFloats(_ bytes: [UInt8]) -> [Float] {
    [Float](unsafeUninitializedCapacity: bytes.count) { floats, initialized in
        bytes.withUnsafeBufferPointer { source in
            for i in source.indices { floats[i] = Float(source[i]) / 255 }
        }
        initialized = bytes.count
    }
}
