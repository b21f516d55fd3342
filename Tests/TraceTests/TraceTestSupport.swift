import Foundation
import NeuralNet
import Tensor
@testable import Trace

/// A fresh folder under the system temporary directory, removed by the caller.
func makeTemporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("trace-tests-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A deterministic tensor whose values depend on `salt`, so every (step, name) differs.
func syntheticTensor(_ shape: [Int], salt: Double) -> Tensor {
    let count = shape.reduce(1, *)
    return Tensor(shape: shape, scalars: (0..<count).map { Float(sin(Double($0) * 0.37 + salt)) })
}

/// The run facts of a one-layer model `dense` with parameters `dense.weight` and `dense.bias`.
let denseRunInfo = TraceRunInfo(
    lesson: "synthetic",
    model: ModelDescription(layers: [
        LayerDescription(name: "dense", type: "Dense", outputShape: [4],
                         parameters: [ParameterDescription(name: "dense.weight", shape: [3, 4]),
                                      ParameterDescription(name: "dense.bias", shape: [4])]),
    ]),
    hyperparameters: ["learning_rate": "0.01"], seed: 7, threads: 1, toolVersion: "test")

/// What a trainer of the dense model reports in one step, as (kind, name, tensor).
func denseStepTensors(step: Int) -> [(TensorKind, String, Tensor)] {
    let s = Double(step)
    return [
        (.input, "input", Tensor(shape: [2], scalars: [3, -4])),
        (.activation, "dense", syntheticTensor([2, 4], salt: s)),
        (.activation, "relu", Tensor(shape: [8, 300], scalars: syntheticTensor([2400], salt: s).scalars.map { max(0, $0) })),
        (.weight, "dense.weight", syntheticTensor([3, 4], salt: s + 0.1)),
        (.weight, "dense.bias", syntheticTensor([4], salt: s + 0.2)),
        (.gradient, "dense", syntheticTensor([2, 4], salt: s + 0.3)),
        (.gradient, "dense.weight", syntheticTensor([3, 4], salt: s + 0.4)),
        (.gradient, "dense.bias", syntheticTensor([4], salt: s + 0.5)),
        (.update, "dense.weight", syntheticTensor([3, 4], salt: s + 0.6)),
        (.update, "dense.bias", syntheticTensor([4], salt: s + 0.7)),
    ]
}

/// A step's scalars as a trainer reports them, with the norms of one parameter.
func denseStepScalars(step: Int) -> [String: Double] {
    [ScalarName.loss: 1 / Double(step + 1), ScalarName.accuracy: Double(step) / 10, ScalarName.learningRate: 0.01,
     ScalarName.gradientNorm(of: "dense.weight"): 2 + Double(step), ScalarName.updateNorm(of: "dense.weight"): 0.5]
}

/// Feeds `steps` steps of the dense model (3 steps per epoch) to `recorder`,
/// with epoch metrics at each epoch's end.
func feedDenseRun(_ recorder: Recorder, steps: Range<Int>, stepsPerEpoch: Int = 3) {
    for step in steps {
        let epoch = step / stepsPerEpoch
        let endsEpoch = (step + 1) % stepsPerEpoch == 0
        recorder.beginStep(StepInfo(step: step, epoch: epoch, endsEpoch: endsEpoch))
        for (kind, name, tensor) in denseStepTensors(step: step) where recorder.wants(kind) {
            recorder.record(kind, name: name, tensor: tensor)
        }
        recorder.recordScalars(denseStepScalars(step: step))
        recorder.endStep()
        if endsEpoch {
            recorder.endEpoch(epoch, metrics: ["val_loss": 0.5 / Double(epoch + 1), "val_accuracy": 0.8])
        }
    }
}
