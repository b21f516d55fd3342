import XCTest
import Tensor
@testable import NeuralNet

final class TrainerTests: XCTestCase {
    override func tearDown() { WorkerPool.shared.threads = WorkerPool.coreCount }

    /// Two Gaussian blobs per class in 2-D, 3 classes: separable but not linearly trivial.
    static func blobs(count: Int, seed: UInt64) throws -> LabeledData {
        var rng = RandomStream(seed: seed, name: "blobs")
        let centres: [(Float, Float)] = [(-2, 0), (2, 0), (0, 2.5), (0, -2.5), (2.5, 2.5), (-2.5, -2.5)]
        var xs: [Float] = [], labels: [Int] = []
        for i in 0..<count {
            let c = i % centres.count
            xs += [centres[c].0 + 0.5 * rng.nextNormal(), centres[c].1 + 0.5 * rng.nextNormal()]
            labels.append(c % 3)
        }
        return try LabeledData(inputs: Tensor(shape: [count, 2], scalars: xs), labels: labels, classNames: ["a", "b", "c"])
    }

    /// Random 10×10 "images" with labels from a fixed rule, for a small CNN.
    static func images(count: Int) throws -> LabeledData {
        var rng = RandomStream(seed: 9, name: "images")
        let x = Tensor(shape: [count, 10, 10, 1], scalars: (0..<(count * 100)).map { _ in rng.nextUniform() })
        let labels = (0..<count).map { i in x.scalars[(i * 100)..<(i * 100 + 50)].reduce(0, +) > 25 ? 1 : 0 }
        return try LabeledData(inputs: x, labels: labels, classNames: ["top-dark", "top-bright"])
    }

    private func smallCNN(seed: UInt64) throws -> Sequential {
        try Sequential(inputShape: [10, 10, 1], seed: seed, [
            Conv2D(8, kernelSize: 3, activation: .relu), MaxPool2D(size: 2),
            Conv2D(8, kernelSize: 3, padding: .same, activation: .relu), Flatten(),
            Dropout(rate: 0.25), Dense(16, activation: .relu), Dense(2),
        ])
    }

    private func twentySteps(threads: Int) throws -> [String: Tensor] {
        WorkerPool.shared.threads = threads
        let model = try smallCNN(seed: 4)
        let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: Adam(),
                              options: TrainingOptions(epochs: 2, batchSize: 16, seed: 4))
        let history = try trainer.fit(Self.images(count: 160))
        XCTAssertEqual(history.steps, 20)
        return model.stateDict()
    }

    func testSameSeedGivesBitIdenticalParametersAcrossRunsAndThreadCounts() throws {
        let first = try twentySteps(threads: 2)
        let second = try twentySteps(threads: 2)
        let oneThread = try twentySteps(threads: 1)
        XCTAssertEqual(first, second)
        XCTAssertEqual(first, oneThread)
        XCTAssertNotEqual(first, try smallCNN(seed: 4).stateDict(), "training changed the weights")
    }

    func testTrainBatchWalksTheBatchesFitTakes() throws {
        // 150 examples in batches of 16: 9 full batches and a last one of 6, shuffled per epoch.
        let data = try Self.images(count: 150)
        let options = TrainingOptions(epochs: 2, batchSize: 16, seed: 4)
        let fitted = try smallCNN(seed: 4)
        _ = try Trainer(model: fitted, loss: SoftmaxCrossEntropy(), optimizer: Adam(), options: options).fit(data)
        let stepped = try smallCNN(seed: 4)
        let trainer = Trainer(model: stepped, loss: SoftmaxCrossEntropy(), optimizer: Adam(), options: options)
        var sizes: [Int] = []
        for epoch in 0..<2 {
            let batches = EpochBatches(examples: data.count, options: options, epoch: epoch)
            XCTAssertEqual(Set(batches.order), Set(0..<150))
            for b in 0..<batches.count { sizes.append(try trainer.trainBatch(data, batches, b).examples) }
        }
        XCTAssertEqual(sizes, Array(repeating: [16, 16, 16, 16, 16, 16, 16, 16, 16, 6], count: 2).flatMap { $0 })
        XCTAssertEqual(fitted.stateDict(), stepped.stateDict())
        XCTAssertNotEqual(EpochBatches(examples: 150, options: options, epoch: 0).order,
                          EpochBatches(examples: 150, options: options, epoch: 1).order)
    }

    func testMLPLearnsGaussianBlobs() throws {
        let model = try Sequential(inputShape: [2], seed: 1, [Dense(16, activation: .relu), Dense(3)])
        let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: Adam(learningRate: 0.01),
                              options: TrainingOptions(epochs: 30, batchSize: 32, seed: 1))
        let history = try trainer.fit(Self.blobs(count: 600, seed: 1), validation: Self.blobs(count: 300, seed: 2))
        XCTAssertLessThan(history.epochs.last!.loss, history.epochs.first!.loss / 2)
        XCTAssertGreaterThan(history.epochs.last!.validationAccuracy!, 0.95)
    }

    func testEarlyStoppingStopsAndRestoresTheBestEpoch() throws {
        // Few examples and a wide net: validation loss turns up quickly.
        let model = try Sequential(inputShape: [2], seed: 2, [Dense(64, activation: .relu), Dense(64, activation: .relu), Dense(3)])
        var train = try Self.blobs(count: 24, seed: 3)
        train.labels = train.labels.indices.map { ($0 * 7) % 3 }   // noise labels: nothing to generalise
        let validation = try Self.blobs(count: 300, seed: 4)
        let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: Adam(learningRate: 0.01),
                              options: TrainingOptions(epochs: 200, batchSize: 8, seed: 2,
                                                       earlyStopping: EarlyStopping(patience: 3)))
        let history = try trainer.fit(train, validation: validation)
        let stopped = try XCTUnwrap(history.stoppedAfterEpoch)
        XCTAssertLessThan(stopped, 199)
        let best = try XCTUnwrap(history.bestEpoch)
        XCTAssertEqual(best, stopped - 3)
        XCTAssertEqual(try trainer.evaluate(validation).loss, history.epochs[best].validationLoss!, accuracy: 1e-6)
    }

    func testDivergingLossStopsWithTheStep() throws {
        let model = try Sequential(inputShape: [2], seed: 1, [Dense(8, activation: .relu), Dense(3)])
        let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: SGD(learningRate: 1e12),
                              options: TrainingOptions(epochs: 3, batchSize: 16, seed: 1))
        XCTAssertThrowsError(try trainer.fit(Self.blobs(count: 64, seed: 1))) { error in
            guard case let .diverged(step, _, loss)? = error as? TrainingError else { return XCTFail("\(error)") }
            XCTAssertFalse(loss.isFinite)
            XCTAssertLessThan(step, 12)
            XCTAssert("\(error)".contains("step \(step)"))
        }
    }

    func testL2ShrinksWeightsComparedWithNone() throws {
        func weightNorm(_ l2: L2?) throws -> Float {
            let model = try Sequential(inputShape: [2], seed: 1, [Dense(16, activation: .relu), Dense(3)])
            let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: Adam(learningRate: 0.01),
                                  options: TrainingOptions(epochs: 10, batchSize: 32, seed: 1, l2: l2))
            _ = try trainer.fit(Self.blobs(count: 300, seed: 1))
            return Float(model.parameters[0].value.l2Norm)
        }
        XCTAssertLessThan(try weightNorm(L2(lambda: 0.05)), 0.8 * (try weightNorm(nil)))
    }

    func testProbeBatchSuppliesActivationsAndStepZeroHoldsInitialWeights() throws {
        final class ProbeLog: Recorder {
            var shapes: [String: [Int]] = [:]
            var firstWeights: [String: Tensor] = [:]
            var step = -1
            var wantsProbe: Bool { step == 1 }
            func beginStep(_ info: StepInfo) { step = info.step }
            func record(_ kind: TensorKind, name: String, tensor: Tensor) {
                if step == 1 { shapes["\(kind.rawValue):\(name)"] = tensor.shape }
                if step == 0 && kind == .weight { firstWeights[name] = tensor }
            }
        }
        let model = try Sequential(inputShape: [2], seed: 5, [Dense(4, activation: .relu), Dense(3)])
        let initial = model.stateDict()
        let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: Adam(),
                              options: TrainingOptions(epochs: 1, batchSize: 16, seed: 5))
        let data = try Self.blobs(count: 48, seed: 5)
        let probe = data.subset([0, 1, 2])
        trainer.probe = (probe.inputs, .classes(probe.labels))
        let log = ProbeLog()
        trainer.recorder = log
        _ = try trainer.fit(data)
        XCTAssertEqual(log.firstWeights, initial)
        XCTAssertEqual(log.shapes["activation:dense1"], [3, 4], "activations come from the 3 probe examples")
        XCTAssertEqual(log.shapes["gradient:input"], [3, 2], "the probe's input gradient is kept for saliency")
        XCTAssertEqual(log.shapes["gradient:dense1.weight"], [2, 4])
        XCTAssertEqual(log.shapes["update:dense1.weight"], [2, 4])
        XCTAssertEqual(log.shapes["activation:logits"], [3, 3], "the model's output, named for what the loss takes")
        XCTAssertNil(log.shapes["activation:output"])
    }

    /// Beside a probe batch, the training pass reports its parameter gradients only, and so takes
    /// the unrecorded backward route: for a ReLU first layer under a pooling, the pooling's pass
    /// brings the layer's gradients and keeps no dL/dz, and they are still reported, each the
    /// gradient the optimizer used.
    func testTrainingPassBesideAProbeReportsEveryParameterGradient() throws {
        final class GradientLog: Recorder {
            var gradients: [String: Tensor] = [:]
            var wantsProbe: Bool { true }
            func record(_ kind: TensorKind, name: String, tensor: Tensor) {
                if kind == .gradient { gradients[name] = tensor }
            }
        }
        let model = try Sequential(inputShape: [12, 12, 1], seed: 3, [
            Conv2D(16, kernelSize: 3, activation: .relu), MaxPool2D(size: 2), Flatten(), Dense(3),
        ])
        var rng = RandomStream(seed: 4, name: "probe-gradients")
        func images(_ n: Int) -> Tensor { Tensor(shape: [n, 12, 12, 1], scalars: (0..<(n * 144)).map { _ in rng.nextUniform() }) }
        let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: Adam(),
                              options: TrainingOptions(epochs: 1, batchSize: 8, seed: 4))
        trainer.probe = (images(2), .classes([0, 2]))
        let log = GradientLog()
        trainer.recorder = log
        try trainer.trainStep(images(8), .classes([0, 1, 2, 0, 1, 2, 0, 1]), info: StepInfo(step: 0, epoch: 0, endsEpoch: false))
        XCTAssertEqual(Set(log.gradients.keys).intersection(model.parameters.map(\.name)), Set(model.parameters.map(\.name)))
        for p in model.parameters { XCTAssertEqual(log.gradients[p.name], p.gradient, p.name) }
    }

    /// The trainer reports every parameter's ‖∂L/∂θ‖ and ‖Δθ‖ under `ScalarName`'s
    /// column names; they are the norms of the gradient and the update it recorded.
    func testStepScalarsHoldTheNormsOfEveryGradientAndUpdate() throws {
        final class NormLog: Recorder {
            var gradients: [String: Tensor] = [:], updates: [String: Tensor] = [:], scalars: [String: Double] = [:]
            func record(_ kind: TensorKind, name: String, tensor: Tensor) {
                if kind == .gradient { gradients[name] = tensor }
                if kind == .update { updates[name] = tensor }
            }
            func recordScalars(_ s: [String: Double]) { scalars = s }
        }
        let model = try Sequential(inputShape: [2], seed: 5, [Dense(4, activation: .tanh), Dense(3)])
        let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: SGD(learningRate: 0.5))
        let log = NormLog()
        trainer.recorder = log
        let data = try Self.blobs(count: 8, seed: 5)
        try trainer.trainStep(data.inputs, .classes(data.labels), info: StepInfo(step: 0, epoch: 0, endsEpoch: false))
        for p in model.parameters {
            let gradient = try XCTUnwrap(log.gradients[p.name]), update = try XCTUnwrap(log.updates[p.name])
            XCTAssertEqual(log.scalars[ScalarName.gradientNorm(of: p.name)], gradient.l2Norm)
            XCTAssertEqual(log.scalars[ScalarName.updateNorm(of: p.name)], update.l2Norm)
            // Plain SGD: the update is −η·g, so its norm is η‖g‖.
            XCTAssertEqual(update.l2Norm, 0.5 * gradient.l2Norm, accuracy: 1e-6 * gradient.l2Norm)
        }
        XCTAssertEqual(log.scalars.count, 4 + 2 * model.parameters.count,
                       "loss, accuracy, lr, the global norm and two norms per parameter")
        let global = model.parameters.map { log.gradients[$0.name]!.squaredNorm }.reduce(0, +).squareRoot()
        XCTAssertEqual(log.scalars[ScalarName.globalGradientNorm]!, global, accuracy: 1e-9 * global)
    }

    /// Clipping by global norm scales every gradient alike to the given length: the
    /// update of plain SGD is then exactly −η · clip · g/‖g‖.
    func testClippingScalesEveryGradientToTheGlobalNorm() throws {
        func step(clip: Float?) throws -> (updates: [Tensor], norm: Double) {
            let model = try Sequential(inputShape: [2], seed: 5, [Dense(4, activation: .tanh), Dense(3)])
            let before = model.parameters.map(\.value)
            let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: SGD(learningRate: 1),
                                  options: TrainingOptions(clipNorm: clip))
            let data = try Self.blobs(count: 8, seed: 5)
            try trainer.trainStep(data.inputs, .classes(data.labels), info: StepInfo(step: 0, epoch: 0, endsEpoch: false))
            let updates = zip(model.parameters, before).map { $0.value.zipMapped($1, -) }
            return (updates, updates.map(\.squaredNorm).reduce(0, +).squareRoot())
        }
        let free = try step(clip: nil)
        let clipped = try step(clip: Float(free.norm / 4))
        XCTAssertEqual(clipped.norm, free.norm / 4, accuracy: 1e-5 * free.norm)
        for (a, b) in zip(clipped.updates, free.updates) {
            for (x, y) in zip(a.scalars, b.scalars) { XCTAssertEqual(x, y / 4, accuracy: 1e-6) }
        }
        let unchanged = try step(clip: Float(free.norm * 2))
        XCTAssertEqual(unchanged.updates, free.updates, "a gradient within the limit is left alone")
    }

    func testWholeCNNWithCrossEntropyMatchesFiniteDifferences() throws {
        // Smooth activations, and the max-pool's step: see
        // LayerGradientTests.testSmallCNNGradientMatchesFiniteDifferences.
        let model = try Sequential(inputShape: [10, 10, 1], seed: 8, [
            Conv2D(4, kernelSize: 3, activation: .tanh), MaxPool2D(size: 2),
            Conv2D(4, kernelSize: 3, padding: .same, activation: .sigmoid), Flatten(),
            Dropout(rate: 0.25), Dense(8, activation: .tanh), Dense(2),
        ])
        let data = try Self.images(count: 4)
        let loss = SoftmaxCrossEntropy()
        let context = ForwardContext(training: true, step: 1, seed: 2)
        func lossValue() throws -> Double { Double(try loss.evaluate(model.forward(data.inputs, context: context), .classes(data.labels)).value) }
        let grad = try loss.evaluate(model.forward(data.inputs, context: context), .classes(data.labels)).gradient
        _ = model.backward(grad, inputGradient: false)
        var report = GradientCheck.Report()
        for p in model.parameters {
            let g = p.gradient, original = p.value
            defer { p.value = original }
            let v = GradientCheck.randomTensor(p.shape, "v-" + p.name)
            let numeric = try GradientCheck.derivative(step: LayerGradientTests.maxPoolStep) { t in
                p.value = GradientCheck.shifted(original, v, t)
                let value = try lossValue()
                return (value, abs(value))  // the mean cross-entropy is one term
            }
            report.comparisons.append(.init(quantity: "dL/d\(p.name)", analytic: GradientCheck.dot(g, v),
                                            numeric: numeric.value, resolution: numeric.resolution))
        }
        GradientCheck.assertPasses(report)
    }
}
