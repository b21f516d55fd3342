import ONNXProto
import Tensor

/// Constant folding of the shape arithmetic that exporters write for a free batch
/// size. With the batch left open, `tf2onnx` and `torch.onnx.export(dynamic_axes=…)`
/// compute a Reshape's target at run time from the value itself, e.g.
///
///     Shape(x) → Gather(0) → Unsqueeze → Concat([N], [−1]) → Reshape(x, ·)      (torch's x.view(x.size(0), −1))
///     Shape(x) → Cast → Slice(0:1) → Concat([N], [676]) → Cast → Reshape(x, ·)   (tf2onnx's Flatten)
///
/// `learn` knows every value's shape as it reads the chain, so these nodes become
/// constants: Shape(x) is x's shape with the batch taken as `batch`, and a node
/// whose inputs are all constants is evaluated here. The layer chain then sees a
/// Reshape to a constant shape, as from a model exported with a fixed batch.
/// Only the small integer vectors of shape arithmetic are folded (values as floats).
struct ShapeFolding {
    /// The batch size the shapes are folded for: the layers read per-example shapes
    /// (a Reshape's batch entry is dropped), so any batch gives the same model.
    static let batch = 1
    static let operators: Set<String> = ["Shape", "Gather", "Cast", "Slice", "Concat", "Unsqueeze", "Squeeze",
                                         "Mul", "Div", "Add", "Sub", "ReduceProd", "Identity"]

    /// The value of `node`'s output, or nil when it is not shape arithmetic on known
    /// values (then it is a layer of the chain). `shape(name)`: a chain value's ONNX
    /// shape with the batch; `constant(name)`: a constant tensor.
    static func fold(_ node: Onnx_NodeProto, shape: (String) -> [Int]?, constant: (String) -> Tensor?) -> Tensor? {
        guard operators.contains(node.opType), let first = node.input.first else { return nil }
        if node.opType == "Shape" {
            guard let dims = shape(first) else { return nil }
            let rank = dims.count
            func clamped(_ i: Int) -> Int { min(max(i < 0 ? i + rank : i, 0), rank) }
            let part = Array(dims[clamped(node.int("start") ?? 0)..<max(clamped(node.int("end") ?? rank), clamped(node.int("start") ?? 0))])
            return Tensor(shape: [part.count], scalars: part.map(Float.init))
        }
        var inputs: [Tensor?] = []
        for name in node.input { inputs.append(name.isEmpty ? nil : constant(name)) }
        guard let x = inputs[0], inputs.enumerated().allSatisfy({ $1 != nil || node.input[$0].isEmpty }) else { return nil }
        switch node.opType {
        case "Identity": return x
        case "Cast":
            // To an integer type (2…7, 12, 13): whole numbers; to float types: as they are.
            let to = node.int("to") ?? 1
            return [1, 10, 11, 16].contains(to) ? x : Tensor(shape: x.shape, scalars: x.scalars.map { $0.rounded(.towardZero) })
        case "Gather":
            return gather(x, indices: inputs[1]!, axis: node.int("axis") ?? 0)
        case "Slice":
            return slice(x, starts: inputs[1]!, ends: inputs[2]!, axes: inputs.count > 3 ? inputs[3] : nil,
                         steps: inputs.count > 4 ? inputs[4] : nil)
        case "Concat":
            guard inputs.allSatisfy({ ($0?.rank ?? 1) == 1 }) else { return nil }
            let values = inputs.compactMap { $0 }.flatMap(\.scalars)
            return Tensor(shape: [values.count], scalars: values)
        case "Unsqueeze":
            let axes = inputs.count > 1 ? inputs[1]!.scalars.map { Int($0) } : (node.ints("axes") ?? [])
            var dims = x.shape
            let rank = dims.count + axes.count
            for a in axes.map({ $0 < 0 ? $0 + rank : $0 }).sorted() { dims.insert(1, at: min(max(a, 0), dims.count)) }
            return x.reshaped(dims)
        case "Squeeze":
            let axes = (inputs.count > 1 ? inputs[1]!.scalars.map { Int($0) } : node.ints("axes"))?
                .map { $0 < 0 ? $0 + x.rank : $0 }
            // The listed axes, or every axis of size 1.
            let squeezed = Set(axes ?? x.shape.indices.filter { x.shape[$0] == 1 })
            guard squeezed.allSatisfy({ x.shape.indices.contains($0) && x.shape[$0] == 1 }) else { return nil }
            return x.reshaped(x.shape.indices.filter { !squeezed.contains($0) }.map { x.shape[$0] })
        case "ReduceProd":
            guard x.rank <= 1 else { return nil }
            let keep = (node.int("keepdims") ?? 1) == 1
            return Tensor(shape: keep ? [1] : [], scalars: [x.scalars.reduce(1, *)])
        default:
            return arithmetic(node.opType, x, inputs[1]!)
        }
    }

    /// data[indices] along `axis` of a vector (negative indices count from the end).
    static func gather(_ data: Tensor, indices: Tensor, axis: Int) -> Tensor? {
        guard data.rank == 1, axis == 0 || axis == -1 else { return nil }
        let n = data.count
        var values: [Float] = []
        for i in indices.scalars.map({ Int($0) }) {
            let j = i < 0 ? i + n : i
            guard j >= 0 && j < n else { return nil }
            values.append(data.scalars[j])
        }
        return Tensor(shape: indices.shape, scalars: values)
    }

    /// data[start:end:step] of a vector; ends past the end (exporters write INT64_MAX) clamp.
    static func slice(_ data: Tensor, starts: Tensor, ends: Tensor, axes: Tensor?, steps: Tensor?) -> Tensor? {
        guard data.rank == 1, starts.count == 1, ends.count == 1, (axes?.scalars.allSatisfy { $0 == 0 || $0 == -1 } ?? true)
        else { return nil }
        let n = data.count, step = Int(steps?.scalars.first ?? 1)
        guard step == 1 else { return nil }
        func index(_ v: Float) -> Int {
            let clamped = Int(min(max(v, Float(-n)), Float(n)))
            return clamped < 0 ? clamped + n : clamped
        }
        let (from, to) = (index(starts.scalars[0]), index(ends.scalars[0]))
        let values = from < to ? Array(data.scalars[from..<to]) : []
        return Tensor(shape: [values.count], scalars: values)
    }

    /// Element by element, with a one-value operand broadcast; Div rounds toward zero (integer shapes).
    static func arithmetic(_ op: String, _ a: Tensor, _ b: Tensor) -> Tensor? {
        guard a.count == b.count || a.count == 1 || b.count == 1 else { return nil }
        let count = max(a.count, b.count), shape = a.count >= b.count ? a.shape : b.shape
        let values = (0..<count).map { i -> Float in
            let (x, y) = (a.scalars[a.count == 1 ? 0 : i], b.scalars[b.count == 1 ? 0 : i])
            switch op {
            case "Mul": return x * y
            case "Add": return x + y
            case "Sub": return x - y
            default: return y == 0 ? 0 : (x / y).rounded(.towardZero)
            }
        }
        return Tensor(shape: shape, scalars: values)
    }
}
