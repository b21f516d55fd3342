import Foundation
import Tensor

/// Trains a model with mini-batch gradient descent and reports every step.
///
/// One step: forward the batch, evaluate the loss (plus the L2 penalty),
/// backpropagate, add the L2 gradient, let the optimizer update the parameters.
/// Each epoch shuffles the training set with a seeded stream, so a run is
/// reproducible; at an epoch's end the validation set is evaluated and early
/// stopping consulted. A `Recorder`, when attached, sees the step's tensors
/// (through the model) and its scalars; with none, nothing extra is computed.
///
/// ```swift
/// let trainer = Trainer(model: model, loss: SoftmaxCrossEntropy(), optimizer: Adam(),
///                       options: TrainingOptions(epochs: 5, batchSize: 64))
/// let history = try trainer.fit(train, validation: test)
/// ```
public final class Trainer {
    public let model: Sequential
    public let loss: Loss
    public let optimizer: Optimizer
    public var options: TrainingOptions
    public var recorder: Recorder?
    /// Called after every step (for progress bars).
    public var onStep: ((StepProgress) -> Void)?
    /// Called after every epoch with its metrics.
    public var onEpoch: ((EpochMetrics) -> Void)?
    /// Optimizer steps taken so far; set it when resuming from a checkpoint, so
    /// that dropout masks and schedules continue where they were.
    public var step = 0
    /// A few fixed examples that a recorder can ask to see at chosen steps
    /// (`Recorder.wantsProbe`): their activations and gradients are recorded
    /// in full, while the step's mini-batch contributes only parameter gradients.
    public var probe: (inputs: Tensor, target: LossTarget)?

    public init(model: Sequential, loss: Loss, optimizer: Optimizer, options: TrainingOptions = TrainingOptions()) {
        self.model = model
        self.loss = loss
        self.optimizer = optimizer
        self.options = options
    }

    /// Trains for `options.epochs` epochs (or until early stopping).
    public func fit<T: TrainingExamples>(_ train: T, validation: T? = nil) throws -> TrainingHistory {
        guard train.count > 0 else { throw TrainingError.noExamples }
        guard options.batchSize > 0, options.epochs > 0 else {
            throw TrainingError.invalidOption("batch size and epochs must be positive")
        }
        if options.earlyStopping != nil && validation == nil {
            throw TrainingError.invalidOption("early stopping needs validation data")
        }
        var history = TrainingHistory()
        var stopper = options.earlyStopping.map { EarlyStoppingMonitor($0, parameters: model.parameters) }
        let batches = (train.count + options.batchSize - 1) / options.batchSize
        for epoch in 0..<options.epochs {
            let started = Date()
            let epochBatches = EpochBatches(examples: train.count, options: options, epoch: epoch)
            var lossSum: Double = 0, correct = 0, counted = 0, seen = 0
            for b in 0..<batches {
                let result = try trainBatch(train, epochBatches, b)
                lossSum += Double(result.loss) * Double(result.examples)
                correct += result.correct?.correct ?? 0
                counted += result.correct?.counted ?? 0
                seen += result.examples
                onStep?(StepProgress(step: step, totalSteps: batches * options.epochs, epoch: epoch,
                                     epochs: options.epochs, batchInEpoch: b + 1, batchesPerEpoch: batches,
                                     loss: Float(lossSum / Double(seen)),
                                     accuracy: train.classLabels == nil ? nil : Float(correct) / Float(max(counted, 1)),
                                     samplesPerSecond: Double(seen) / max(Date().timeIntervalSince(started), 1e-9)))
            }
            var metrics = EpochMetrics(epoch: epoch, loss: Float(lossSum / Double(seen)),
                                       accuracy: train.classLabels == nil ? nil : Float(correct) / Float(max(counted, 1)),
                                       seconds: Date().timeIntervalSince(started))
            if let validation {
                let v = try evaluate(validation)
                metrics.validationLoss = v.loss
                metrics.validationAccuracy = v.accuracy
                metrics.heldOutSet = options.heldOutSet
            }
            history.epochs.append(metrics)
            recorder?.endEpoch(epoch, metrics: metrics.asScalars)
            onEpoch?(metrics)
            if let monitor = stopper, let valLoss = metrics.validationLoss {
                if monitor.observe(epoch: epoch, loss: valLoss) {
                    history.stoppedAfterEpoch = epoch
                    break
                }
            }
        }
        if let monitor = stopper, monitor.restores {
            monitor.restoreBest()
            history.bestEpoch = monitor.bestEpoch
        }
        stopper = nil
        history.steps = step
        return history
    }

    /// One step of `fit`: gathers batch `b` of `batches` from `train` and trains on it
    /// (`trainStep`); returns the step's loss, how many it got right of how many, and
    /// how many examples the batch held.
    public func trainBatch<T: TrainingExamples>(_ train: T, _ batches: EpochBatches, _ b: Int) throws
        -> (loss: Float, correct: (correct: Int, counted: Int)?, examples: Int) {
        let indices = batches.indices(b)
        let (x, target) = train.batch(indices)
        let info = StepInfo(step: step, epoch: batches.epoch, endsEpoch: b == batches.count - 1)
        let result = try trainStep(x, target, info: info)
        return (result.loss, result.correct, indices.count)
    }

    /// One optimizer step on one batch; returns its mean loss and, for
    /// classification, how many examples (or labelled steps of sequences) it got right
    /// before the update, out of how many.
    @discardableResult
    public func trainStep(_ x: Tensor, _ target: LossTarget, info: StepInfo) throws
        -> (loss: Float, correct: (correct: Int, counted: Int)?) {
        let r = recorder
        r?.beginStep(info)
        let parameters = model.parameters
        // Weights as this step's forward pass uses them (so step 0 holds the initial weights).
        if let r, r.wants(.weight) { for p in parameters { r.record(.weight, name: p.name, tensor: p.value) } }
        var passRecorder = r
        if let r, r.wantsProbe, let probe {
            try recordProbe(probe, into: r)
            passRecorder = ParameterGradientRecorder(r, names: Set(parameters.map(\.name)))
        }
        let context = ForwardContext(training: true, step: step, seed: options.seed, recorder: passRecorder)
        let prediction = try model.forward(x, context: context)
        let evaluated = try loss.evaluate(prediction, target)
        var value = evaluated.value
        if let l2 = options.l2 { value += l2.penalty(parameters) }
        _ = model.backward(evaluated.gradient, inputGradient: false)
        if let l2 = options.l2 { l2.addGradient(to: parameters) }
        // Each parameter's ‖∂L/∂θ‖, once: the global norm (for clipping and the trace) and
        // the per-parameter norms the trace reports (scaled as the clipping scaled them).
        var gradientNorms = r == nil && options.clipNorm == nil ? nil : ParameterNorms.gradientNorms(parameters)
        let globalNorm = gradientNorms.map(GradientClipping.globalNorm(of:))
        if let clipNorm = options.clipNorm, let globalNorm {
            let scale = Double(GradientClipping.clip(parameters, norm: globalNorm, to: clipNorm))
            gradientNorms = gradientNorms?.map { $0 * scale }
        }
        let rate = optimizer.currentLearningRate
        // A trace records each change θ_new − θ_old, which the optimizer can write as it updates.
        var changes: [Tensor] = []
        if r == nil { optimizer.update(parameters) } else { changes = optimizer.updateReturningChanges(parameters) }
        let correct = countCorrect(prediction, target)
        if let r {
            reportStep(r, parameters: parameters, changes: changes, loss: value, rate: rate,
                       accuracy: correct.map { Double($0.correct) / Double(max($0.counted, 1)) }, globalNorm: globalNorm,
                       gradientNorms: gradientNorms ?? [])
        }
        step += 1
        guard value.isFinite else { throw TrainingError.diverged(step: info.step, epoch: info.epoch, loss: value) }
        return (value, correct)
    }

    /// Weights, updates and scalars of the step just taken.
    private func reportStep(_ r: Recorder, parameters: [Parameter], changes: [Tensor],
                            loss: Float, rate: Float, accuracy: Double?, globalNorm: Double?, gradientNorms: [Double]) {
        var scalars: [String: Double] = [ScalarName.loss: Double(loss), ScalarName.learningRate: Double(rate)]
        if let globalNorm { scalars[ScalarName.globalGradientNorm] = globalNorm }
        if let accuracy { scalars[ScalarName.accuracy] = accuracy }
        let norms = ParameterNorms.afterUpdate(parameters, changes: changes, gradientNorms: gradientNorms)
        scalars.merge(norms.scalars) { _, norm in norm }
        if r.wants(.update) {
            for update in norms.updates { r.record(.update, name: update.name, tensor: update.delta) }
        }
        r.recordScalars(scalars)
        r.endStep()
    }

    /// Forward and backward passes of the probe batch in inference mode, reported
    /// to `r` (activations, dL/d(each layer's output), dL/dinput),
    /// without updating anything. It computes no parameter gradients (the step's
    /// mini-batch supplies those), and leaves the parameters' gradients as they were.
    public func recordProbe(_ probe: (inputs: Tensor, target: LossTarget), into r: Recorder) throws {
        let context = ForwardContext(training: false, step: step, seed: options.seed, recorder: r)
        let prediction = try model.forward(probe.inputs, context: context)
        // The model's output, named for what the loss takes it as (logits or prediction).
        r.record(.activation, name: loss.inputName, tensor: prediction)
        let gradient = try loss.evaluate(prediction, probe.target).gradient
        _ = model.backward(gradient, inputGradient: true, parameterGradients: false)
    }

    /// Mean loss and accuracy over `data` in inference mode, in batches. The loss is the
    /// data loss alone, without the L2 penalty the training loss carries (Keras adds it
    /// to `val_loss` too): a validation or test loss then means the same in a run with a
    /// penalty and one without, and early stopping watches what the network predicts.
    public func evaluate<T: TrainingExamples>(_ data: T, batchSize: Int = 256) throws -> (loss: Float, accuracy: Float?) {
        guard data.count > 0 else { throw TrainingError.noExamples }
        var lossSum: Double = 0, correct = 0, counted = 0
        for start in stride(from: 0, to: data.count, by: batchSize) {
            let indices = Array(start..<min(data.count, start + batchSize))
            let (x, target) = data.batch(indices)
            let prediction = try model.predictBatch(x)
            lossSum += Double(try loss.evaluate(prediction, target).value) * Double(indices.count)
            let right = countCorrect(prediction, target)
            correct += right?.correct ?? 0
            counted += right?.counted ?? 0
        }
        return (Float(lossSum / Double(data.count)), data.classLabels == nil ? nil : Float(correct) / Float(max(counted, 1)))
    }

    /// The model's outputs for `inputs` in inference mode, computed in batches.
    public func predict(_ inputs: Tensor, batchSize: Int = 256) throws -> Tensor {
        try model.predict(inputs, batchSize: batchSize)
    }
}
