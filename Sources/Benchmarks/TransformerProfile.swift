import Foundation
import NeuralNet
import Tensor

/// Where one training step of `TransformerBenchmark`'s model spends its time, finer
/// than its top-level layers: each `TransformerBlock` is opened into its two
/// `Residual`s and those into their layers (LayerNorm, MultiHeadAttention, the two
/// Dense of the feed-forward), with each residual sum as a row of its own (`… + x`).
/// The step is the same as `Residual` and `TransformerBlock` compute it (same layers,
/// same order, same sums); only the clock reads are added. Rows are milliseconds per
/// step, best of `rounds` rounds of `steps` steps, like `EngineBenchmark.layerProfile`;
/// the loss (softmax cross-entropy and its gradient) is a row of its own.
extension TransformerBenchmark {
    public func layerProfile() throws -> LayerProfile {
        let model = try Self.network()
        let (x, target) = SequenceBenchmark.batchOfTokens()
        let loss = SoftmaxCrossEntropy(), optimizer = Adam()
        let nodes = ProfileNode.flatten(model.layers)
        let names = nodes.flatMap(\.rowNames) + ["loss"]
        var forward = [Double](repeating: .infinity, count: names.count), backward = forward
        var update = Double.infinity
        for round in 0...rounds {
            var clock = StepClock(rows: names.count)
            for step in 0..<(round == 0 ? warmup : steps) {
                let context = ForwardContext(training: true, step: step, seed: 1)
                var h = x, row = 0
                for node in nodes { h = try node.forward(h, context, &clock, &row) }
                var g: Tensor? = clock.time(row, forward: true) { try? loss.evaluate(h, target).gradient }
                for node in nodes.reversed() { g = node.backward(g!, first: node === nodes.first, &clock, &row) }
                clock.timeUpdate { optimizer.update(model.parameters) }
            }
            guard round > 0 else { continue }
            let scale = 1e6 * Double(steps)
            forward = zip(forward, clock.forward).map { min($0, $1 / scale) }
            backward = zip(backward, clock.backward).map { min($0, $1 / scale) }
            update = min(update, clock.update / scale)
        }
        return LayerProfile(rows: names.indices.map {
            LayerProfile.Row(name: names[$0], forwardMilliseconds: forward[$0], backwardMilliseconds: backward[$0])
        }, updateMilliseconds: update, batch: SequenceBenchmark.batch * Self.time)
    }
}

/// Nanoseconds per row, forward and backward, summed over a round's steps.
private struct StepClock {
    var forward: [Double], backward: [Double], update = 0.0

    init(rows: Int) {
        forward = [Double](repeating: 0, count: rows)
        backward = forward
    }

    mutating func time<T>(_ row: Int, forward isForward: Bool, _ body: () throws -> T) rethrows -> T {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        let ns = Double(DispatchTime.now().uptimeNanoseconds - t0)
        if isForward { forward[row] += ns } else { backward[row] += ns }
        return result
    }

    mutating func timeUpdate(_ body: () -> Void) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        update += Double(DispatchTime.now().uptimeNanoseconds - t0)
    }
}

/// A layer timed as one row, or a residual opened into its layers and its sum.
private final class ProfileNode {
    let layers: [Layer]
    let residual: String?

    init(_ layers: [Layer], residual: String?) {
        self.layers = layers
        self.residual = residual
    }

    /// Transformer blocks opened into residuals, every other layer as it is.
    static func flatten(_ layers: [Layer]) -> [ProfileNode] {
        layers.flatMap { layer -> [ProfileNode] in
            guard let block = layer as? TransformerBlock else { return [ProfileNode([layer], residual: nil)] }
            return block.body.layers.map { inner in
                guard let r = inner as? Residual else { return ProfileNode([inner], residual: nil) }
                return ProfileNode(r.body.layers, residual: r.name)
            }
        }
    }

    var rowNames: [String] { layers.map(\.name) + (residual.map { ["\($0) + x"] } ?? []) }

    /// y = body(x) (+ x for a residual), advancing `row` past this node's rows.
    func forward(_ x: Tensor, _ context: ForwardContext, _ clock: inout StepClock, _ row: inout Int) throws -> Tensor {
        var h = x
        for layer in layers {
            h = try clock.time(row, forward: true) { try layer.forward(h, context: context) }
            row += 1
        }
        if residual != nil {
            h = clock.time(row, forward: true) { h.zipMapped(x, +) }
            row += 1
        }
        return h
    }

    /// dx from dy, walking `row` back over this node's rows (the residual adds dy).
    func backward(_ dy: Tensor, first: Bool, _ clock: inout StepClock, _ row: inout Int) -> Tensor? {
        var g: Tensor? = dy
        let sumRow = residual != nil ? row - 1 : nil
        if residual != nil { row -= 1 }
        for (i, layer) in layers.enumerated().reversed() {
            row -= 1
            let wanted = !(first && i == 0)
            g = clock.time(row, forward: false) { layer.backward(g!, inputGradient: wanted) }
        }
        if let sumRow, let inner = g {
            g = clock.time(sumRow, forward: false) { inner.zipMapped(dy, +) }
        }
        return g
    }
}
