import Foundation
import ONNXProto
import Tensor

/// Collects the nodes and initializers of one ONNX graph as an export walks a
/// model: each `add` appends a node and returns the name of its output, so a
/// layer is written as a few calls that read like the formula.
///
/// ```swift
/// var g = ONNXGraphBuilder()
/// let z = g.add("MatMul", [x, g.constant(w, "dense1.weight")], name: "dense1.matmul")
/// ```
struct ONNXGraphBuilder {
    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []

    /// A float initializer called `name` holding `tensor`'s values in its own shape.
    mutating func constant(_ tensor: Tensor, _ name: String) -> String {
        constant(tensor.scalars, shape: tensor.shape, name)
    }

    mutating func constant(_ values: [Float], shape: [Int], _ name: String) -> String {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        t.dims = shape.map(Int64.init)
        t.rawData = values.withUnsafeBufferPointer { Data(buffer: $0) }
        initializers.append(t)
        return name
    }

    /// An int64 initializer (shapes, permutations).
    mutating func integers(_ values: [Int], _ name: String) -> String {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        t.dims = [Int64(values.count)]
        t.int64Data = values.map(Int64.init)
        initializers.append(t)
        return name
    }

    /// An int64 scalar initializer (a `Gather` index that drops its axis).
    mutating func integer(_ value: Int, _ name: String) -> String {
        var t = Onnx_TensorProto()
        t.name = name
        t.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        t.int64Data = [Int64(value)]
        initializers.append(t)
        return name
    }

    /// Appends node `op` named `name`; its output is called `name` too.
    @discardableResult
    mutating func add(_ op: String, _ inputs: [String], name: String, _ attributes: [Onnx_AttributeProto] = []) -> String {
        var n = Onnx_NodeProto()
        n.opType = op
        n.name = name
        n.input = inputs
        n.output = [name]
        n.attribute = attributes
        nodes.append(n)
        return name
    }

    static func attribute(_ name: String, ints: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .ints
        a.ints = ints.map(Int64.init)
        return a
    }

    static func attribute(_ name: String, int: Int) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .int
        a.i = Int64(int)
        return a
    }

    static func attribute(_ name: String, float: Float) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .float
        a.f = float
        return a
    }

    /// A float tensor's type: fixed sizes, the first one a named (batch) dimension.
    static func valueInfo(_ name: String, batch: String, shape: [Int]) -> Onnx_ValueInfoProto {
        var v = Onnx_ValueInfoProto()
        v.name = name
        var type = Onnx_TypeProto.Tensor()
        type.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        var first = Onnx_TensorShapeProto.Dimension()
        first.dimParam = batch
        type.shape.dim = [first] + shape.map { size in
            var d = Onnx_TensorShapeProto.Dimension()
            d.dimValue = Int64(size)
            return d
        }
        v.type.tensorType = type
        return v
    }
}
