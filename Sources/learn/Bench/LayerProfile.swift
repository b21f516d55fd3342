import Foundation
import NeuralNet
import Tensor

/// Where one training step of the benchmark network spends its time: each layer's
/// forward and backward pass and the optimizer update, in milliseconds per batch
/// of 64 (best of `rounds` rounds of `steps` steps, like the throughputs).
struct LayerProfile {
    struct Row {
        let name: String
        let forwardMilliseconds: Double
        let backwardMilliseconds: Double
    }

    let rows: [Row]
    let updateMilliseconds: Double

    var totalMilliseconds: Double {
        rows.reduce(updateMilliseconds) { $0 + $1.forwardMilliseconds + $1.backwardMilliseconds }
    }
}

extension EngineBenchmark {
    func layerProfile() throws -> LayerProfile {
        let model = try Self.kerasMNIST(seed: 1)
        let data = Self.syntheticDigits(count: TrainingSession.batch)
        let loss = SoftmaxCrossEntropy(), optimizer = Adam()
        let layers = model.layers
        var forward = [Double](repeating: .infinity, count: layers.count)
        var backward = forward
        var update = Double.infinity
        func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
        for round in 0..<(rounds + 1) {
            var f = [Double](repeating: 0, count: layers.count), b = f, u = 0.0
            for step in 0..<(round == 0 ? warmup : steps) {
                let context = ForwardContext(training: true, step: step, seed: 1)
                var h = data.inputs
                for (i, layer) in layers.enumerated() {
                    let t0 = now()
                    h = try layer.forward(h, context: context)
                    f[i] += Double(now() - t0)
                }
                var g: Tensor? = try loss.evaluate(h, .classes(data.labels)).gradient
                for (i, layer) in layers.enumerated().reversed() {
                    let t0 = now()
                    g = layer.backward(g!, inputGradient: i > 0)
                    b[i] += Double(now() - t0)
                }
                let t0 = now()
                optimizer.update(model.parameters)
                u += Double(now() - t0)
            }
            guard round > 0 else { continue }
            let scale = 1e6 * Double(steps)
            forward = zip(forward, f).map { min($0, $1 / scale) }
            backward = zip(backward, b).map { min($0, $1 / scale) }
            update = min(update, u / scale)
        }
        return LayerProfile(rows: layers.indices.map {
            LayerProfile.Row(name: layers[$0].name, forwardMilliseconds: forward[$0], backwardMilliseconds: backward[$0])
        }, updateMilliseconds: update)
    }
}
