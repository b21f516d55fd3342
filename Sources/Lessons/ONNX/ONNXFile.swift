import Foundation
import ONNXProto
import SwiftProtobuf
import Tensor

/// An ONNX file read and checked: the decoded model, its constant tensors
/// (initializers and `Constant` nodes) and its one data input. Reading fails
/// with one `ONNXError` naming the file when it is missing, truncated or not ONNX.
struct ONNXFile {
    let path: String
    let graph: Onnx_GraphProto
    let constants: [String: Tensor]
    /// The graph input that is not an initializer, and its sizes after the batch axis.
    let input: (name: String, shape: [Int])

    init(contentsOf url: URL) throws {
        path = url.path
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ONNXError.unreadable(url.path, reason: FileManager.default.fileExists(atPath: url.path)
                                       ? "cannot be read" : "no such file")
        }
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: data)
        } catch BinaryDecodingError.truncated {
            throw ONNXError.notONNX(url.path, reason: "the file is truncated")
        } catch {
            throw ONNXError.notONNX(url.path, reason: "it does not decode as an ONNX ModelProto: \(error)")
        }
        guard model.irVersion > 0, model.hasGraph, !model.graph.node.isEmpty else {
            throw ONNXError.notONNX(url.path, reason: "no IR version or no graph nodes")
        }
        graph = model.graph
        var constants: [String: Tensor] = [:]
        for t in graph.initializer { constants[t.name] = try Self.tensor(t, path: url.path) }
        for node in graph.node where node.opType == "Constant" {
            guard let value = node.attribute.first(where: { $0.name == "value" }), value.hasT else {
                throw ONNXError.unsupportedAttribute(url.path, node: node.name, op: "Constant", detail: "only tensor values are read")
            }
            constants[node.output[0]] = try Self.tensor(value.t, path: url.path)
        }
        self.constants = constants
        let dataInputs = graph.input.filter { constants[$0.name] == nil }
        guard dataInputs.count == 1, let first = dataInputs.first else {
            throw ONNXError.unsupportedGraph(url.path, reason: "the graph has \(dataInputs.count) data inputs; learn reads models with one")
        }
        let dims = first.type.tensorType.shape.dim.map { $0.dimValue }
        guard dims.count >= 2, dims.dropFirst().allSatisfy({ $0 > 0 }) else {
            throw ONNXError.unsupportedGraph(url.path, reason: "input '\(first.name)' needs fixed sizes after the batch axis")
        }
        input = (first.name, dims.dropFirst().map { Int($0) })
    }

    /// A float, int64 or int32 tensor (integers become floats: shapes and the like).
    static func tensor(_ t: Onnx_TensorProto, path: String) throws -> Tensor {
        let shape = t.dims.map { Int($0) }
        let count = shape.reduce(1, *)
        let values: [Float]
        switch Onnx_TensorProto.DataType(rawValue: Int(t.dataType)) {
        case .float?:
            values = t.hasRawData ? littleEndian(t.rawData, as: Float.self) : t.floatData
        case .int64?:
            values = (t.hasRawData ? littleEndian(t.rawData, as: Int64.self) : t.int64Data).map { Float($0) }
        case .int32?:
            values = (t.hasRawData ? littleEndian(t.rawData, as: Int32.self) : t.int32Data).map { Float($0) }
        default:
            throw ONNXError.unsupportedGraph(path, reason: "tensor '\(t.name)' has data type \(t.dataType); learn reads float, int64 and int32")
        }
        guard values.count == count else {
            throw ONNXError.notONNX(path, reason: "tensor '\(t.name)' holds \(values.count) values for shape \(shape)")
        }
        return Tensor(shape: shape, scalars: values)
    }
}

/// `raw_data` as values: little-endian, and not necessarily aligned inside the decoded buffer.
private func littleEndian<T>(_ data: Data, as: T.Type) -> [T] {
    data.withUnsafeBytes { raw in
        (0..<(raw.count / MemoryLayout<T>.size)).map { raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self) }
    }
}

extension Onnx_NodeProto {
    func ints(_ name: String) -> [Int]? { attribute.first { $0.name == name }.map { $0.ints.map { Int($0) } } }
    func int(_ name: String) -> Int? { attribute.first { $0.name == name }.map { Int($0.i) } }
    func float(_ name: String) -> Float? { attribute.first { $0.name == name }.map(\.f) }
    func string(_ name: String) -> String? { attribute.first { $0.name == name }.map { String(decoding: $0.s, as: UTF8.self) } }
}
