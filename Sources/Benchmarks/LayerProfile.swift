import Foundation
import NeuralNet
import Tensor

/// Where one training step of the benchmark network spends its time: each layer's
/// forward and backward pass and the optimizer update, in milliseconds per batch
/// of `batch` (best of `rounds` rounds of `steps` steps, like the throughputs).
/// Encodes as the JSON that `learn bench --layers --json` prints.
public struct LayerProfile: Codable, Equatable {
    public struct Row: Codable, Equatable {
        public let name: String
        public let forwardMilliseconds: Double
        public let backwardMilliseconds: Double
    }

    public let rows: [Row]
    public let updateMilliseconds: Double
    /// Examples per step.
    public let batch: Int

    public var totalMilliseconds: Double {
        rows.reduce(updateMilliseconds) { $0 + $1.forwardMilliseconds + $1.backwardMilliseconds }
    }

    /// Training samples per second at this step time.
    public var samplesPerSecond: Double { Double(batch) * 1000 / totalMilliseconds }

    /// `{"layers": [{"name", "forward_ms", "backward_ms"}], "update_ms", "total_ms", "batch", "samples_per_s"}`.
    public func json() throws -> String {
        struct Report: Encodable {
            struct Layer: Encodable { let name: String; let forward_ms: Double; let backward_ms: Double }
            let layers: [Layer]
            let update_ms: Double, total_ms: Double, batch: Int, samples_per_s: Double
        }
        let report = Report(layers: rows.map { .init(name: $0.name, forward_ms: $0.forwardMilliseconds,
                                                      backward_ms: $0.backwardMilliseconds) },
                            update_ms: updateMilliseconds, total_ms: totalMilliseconds, batch: batch,
                            samples_per_s: samplesPerSecond)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }
}

extension EngineBenchmark {
    public func layerProfile() throws -> LayerProfile {
        let model = try self.model(seed: 1)
        let data = try Self.syntheticDigits(count: TrainingSession.batch)
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
        }, updateMilliseconds: update, batch: TrainingSession.batch)
    }
}
