import Foundation
import Tensor

/// NumPy's `.npy` format (version 1.0) for one `Float` tensor, for people
/// without the safetensors package: `numpy.load("conv1.weight.npy")`.
///
/// Layout: magic `\x93NUMPY`, version 1.0, a little-endian UInt16 header length,
/// an ASCII dict `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`
/// padded with spaces and ended by a newline so the data starts at a multiple of
/// 64 bytes, then the row-major little-endian data.
public enum NPY {
    public static func encoded(_ tensor: Tensor) -> Data {
        let dimensions = tensor.shape.map(String.init)
        let shape = dimensions.count == 1 ? "(\(dimensions[0]),)" : "(" + dimensions.joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        let unpadded = 6 + 2 + 2 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"

        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        withUnsafeBytes(of: UInt16(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(Data(header.utf8))
        tensor.scalars.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    /// Writes `tensor` to `url` atomically.
    public static func write(_ tensor: Tensor, to url: URL) throws {
        try AtomicFile.write(encoded(tensor), to: url)
    }
}
