import Foundation
import Tensor

/// Scalars of an adversarial step, as a trace's `scalars.csv` names them.
public enum AdversarialScalar {
    /// L_D, mean over the step's discriminator updates.
    public static let discriminatorLoss = "loss_d"
    /// L_G (non-saturating) of the step's generator update.
    public static let generatorLoss = "loss_g"
    /// Mean σ(D(x)) over the real examples the step's discriminator updates saw.
    public static let discriminatorReal = "d_real"
    /// Mean σ(D(G(z))) over the generated examples the step's discriminator updates saw.
    public static let discriminatorFake = "d_fake"
    /// The learning rate of each model's update.
    public static let generatorLearningRate = "lr_g"
    public static let discriminatorLearningRate = "lr_d"
}

/// Trains a generator G against a discriminator D (Goodfellow et al. 2014,
/// Algorithm 1), the second kind of training loop beside `Trainer`; losses in
/// `AdversarialLoss`.
///
/// One step of the loop (the unit a trace records):
/// 1. k times (`discriminatorSteps`): take the next real batch x and a fresh noise
///    batch z, run D once on [x; G(z)], backpropagate L_D into D's parameters only,
///    and update D with its optimizer (G's parameters are not touched: G is run
///    forward only).
/// 2. Once: a fresh noise batch z, L_G(D(G(z))), backpropagate through D without
///    computing D's parameter gradients (`parameterGradients: false`) into G, and
///    update G with its own optimizer (D's parameters are not touched).
/// An epoch is one pass of the discriminator over the shuffled real examples.
///
/// A `Recorder` sees one step holding both models: the weights of both as the step
/// starts, the gradients of the last updates, the updates θ_end − θ_start (for D the sum
/// of its k updates), per-parameter gradient and update norms, and the scalars
/// `loss_d`, `loss_g`, `d_real`, `d_fake` (`AdversarialScalar`). Every name is the
/// model's (`generator.dense1.weight`): the models are `Sequential`s named `generator`
/// and `discriminator`. At the steps the recorder wants the probe, the fixed noise batch
/// `probeNoise` is run through both models as the step starts (`recordProbe`).
///
/// ```swift
/// let g = try Sequential(inputShape: [2], seed: 1, [Dense(64, activation: .relu), Dense(2)], name: "generator")
/// let d = try Sequential(inputShape: [2], seed: 1, [Dense(64, activation: .relu), Dense(1)], name: "discriminator")
/// let gan = try AdversarialTrainer(generator: g, discriminator: d, generatorOptimizer: Adam(),
///                                  discriminatorOptimizer: Adam(), options: AdversarialOptions(noiseSize: 2))
/// let history = try gan.fit(realPoints)
/// ```
public final class AdversarialTrainer {
    public let generator: Sequential
    public let discriminator: Sequential
    public let generatorOptimizer: Optimizer
    public let discriminatorOptimizer: Optimizer
    public let options: AdversarialOptions
    public var recorder: Recorder?
    public var onStep: ((StepProgress) -> Void)?
    public var onEpoch: ((EpochMetrics) -> Void)?
    /// Steps (generator updates) taken so far.
    public private(set) var step = 0
    /// A fixed noise batch `[count, noiseSize]` whose samples a recorder sees at the steps it wants the probe.
    public var probeNoise: Tensor?
    /// What every step so far measured, in order.
    public private(set) var results: [AdversarialStepResult] = []

    /// Checks that z fits G, that G's output is the data's shape (D's input) and that D
    /// ends in one logit; throws `AdversarialError` naming the shapes otherwise.
    public init(generator: Sequential, discriminator: Sequential, generatorOptimizer: Optimizer,
                discriminatorOptimizer: Optimizer, options: AdversarialOptions) throws {
        try Self.check(generator: generator, discriminator: discriminator, dataShape: discriminator.inputShape,
                       options: options)
        self.generator = generator
        self.discriminator = discriminator
        self.generatorOptimizer = generatorOptimizer
        self.discriminatorOptimizer = discriminatorOptimizer
        self.options = options
    }

    /// The checks of `init` against examples of shape `dataShape`.
    public static func check(generator: Sequential, discriminator: Sequential, dataShape: [Int],
                             options: AdversarialOptions) throws {
        guard options.discriminatorSteps >= 1 else {
            throw AdversarialError.invalidOption("d_steps is \(options.discriminatorSteps): the discriminator needs at "
                                                 + "least one update per generator update")
        }
        guard options.labelSmoothing >= 0, options.labelSmoothing < 1 else {
            throw AdversarialError.invalidOption("label smoothing \(options.labelSmoothing) is outside [0, 1)")
        }
        guard options.epochs >= 1, options.batchSize >= 1 else {
            throw AdversarialError.invalidOption("epochs and batch size must be at least 1")
        }
        guard generator.inputShape == [options.noiseSize] else {
            throw AdversarialError.noiseShape(noiseSize: options.noiseSize, generatorInput: generator.inputShape)
        }
        guard generator.outputShape == dataShape, discriminator.inputShape == dataShape else {
            throw AdversarialError.generatorOutput(generator: generator.outputShape, data: dataShape,
                                                   discriminatorInput: discriminator.inputShape)
        }
        guard discriminator.outputShape == [1] else {
            throw AdversarialError.discriminatorOutput(discriminator.outputShape)
        }
    }

    /// Steps of one epoch over `count` real examples: ⌈batches / k⌉.
    public func stepsPerEpoch(count: Int) -> Int {
        let batches = (count + options.batchSize - 1) / options.batchSize
        return (batches + options.discriminatorSteps - 1) / options.discriminatorSteps
    }

    /// `count` noise vectors from the stream named `stream`, draw `index`.
    public func noise(_ count: Int, stream: String, index: Int) -> Tensor {
        options.noise.sample(count: count, size: options.noiseSize, seed: options.seed, name: stream, index: UInt64(index))
    }

    /// Trains for `options.epochs` epochs on `real` (`[N, data shape…]`). Each epoch's
    /// metrics: `loss` is the mean L_D (the scalars name all four means).
    public func fit(_ real: Tensor) throws -> TrainingHistory {
        let count = real.shape.first ?? 0
        guard count > 0 else { throw TrainingError.noExamples }
        guard Array(real.shape.dropFirst()) == discriminator.inputShape else {
            throw AdversarialError.generatorOutput(generator: generator.outputShape, data: Array(real.shape.dropFirst()),
                                                   discriminatorInput: discriminator.inputShape)
        }
        var history = TrainingHistory()
        let perEpoch = stepsPerEpoch(count: count)
        let k = options.discriminatorSteps, b = options.batchSize
        for epoch in 0..<options.epochs {
            let started = Date()
            let order = shuffledIndices(count: count, seed: options.seed, name: "shuffle", index: UInt64(epoch))
            var sums = AdversarialStepResult(), seen = 0
            for s in 0..<perEpoch {
                let batches = (0..<k).compactMap { j -> Tensor? in
                    let start = (s * k + j) * b
                    guard start < count else { return nil }
                    return real.gather(rows: Array(order[start..<min(count, start + b)]))
                }
                let info = StepInfo(step: step, epoch: epoch, endsEpoch: s == perEpoch - 1)
                let result = try trainStep(realBatches: batches, info: info)
                sums.add(result)
                seen += 1
                onStep?(StepProgress(step: step - 1, totalSteps: perEpoch * options.epochs, epoch: epoch,
                                     epochs: options.epochs, batchInEpoch: s + 1, batchesPerEpoch: perEpoch,
                                     loss: sums.discriminatorLoss / Float(seen), accuracy: nil,
                                     samplesPerSecond: Double(min(count, (s + 1) * k * b))
                                         / max(Date().timeIntervalSince(started), 1e-9)))
            }
            let mean = sums.scaled(1 / Float(seen))
            let metrics = EpochMetrics(epoch: epoch, loss: mean.discriminatorLoss, accuracy: nil,
                                       seconds: Date().timeIntervalSince(started))
            history.epochs.append(metrics)
            recorder?.endEpoch(epoch, metrics: mean.scalars)
            onEpoch?(metrics)
        }
        history.steps = step
        return history
    }

    /// One step: k discriminator updates (one per real batch given) and one generator
    /// update, reported to the recorder as one step.
    @discardableResult
    public func trainStep(realBatches: [Tensor], info: StepInfo) throws -> AdversarialStepResult {
        guard !realBatches.isEmpty else { throw TrainingError.noExamples }
        let r = recorder
        r?.beginStep(info)
        let parameters = generator.parameters + discriminator.parameters
        if let r, r.wants(.weight) { for p in parameters { r.record(.weight, name: p.name, tensor: p.value) } }
        var passRecorder = r
        if let r, r.wantsProbe, let probeNoise {
            try recordProbe(probeNoise, into: r)
            passRecorder = ParameterGradientRecorder(r, names: Set(parameters.map(\.name)))
        }
        let before = r == nil ? [] : parameters.map(\.value)
        let rateD = discriminatorOptimizer.currentLearningRate, rateG = generatorOptimizer.currentLearningRate
        var result = AdversarialStepResult()
        for (j, x) in realBatches.enumerated() {
            let z = noise(x.shape[0], stream: "noise-d", index: step * options.discriminatorSteps + j)
            // Only the last update's passes are reported (its gradients are the step's).
            let d = try discriminatorStep(real: x, noise: z, recorder: j == realBatches.count - 1 ? passRecorder : nil)
            result.discriminatorLoss += d.loss / Float(realBatches.count)
            result.discriminatorReal += d.real / Float(realBatches.count)
            result.discriminatorFake += d.fake / Float(realBatches.count)
        }
        let z = noise(options.batchSize, stream: "noise-g", index: step)
        result.generatorLoss = try generatorStep(noise: z, recorder: passRecorder)
        if let r {
            let changes = ParameterNorms.changes(parameters, since: before)
            let norms = ParameterNorms.afterUpdate(parameters, changes: changes,
                                                   gradientNorms: ParameterNorms.gradientNorms(parameters))
            if r.wants(.update) {
                for update in norms.updates { r.record(.update, name: update.name, tensor: update.delta) }
            }
            var scalars = result.scalars
            scalars[AdversarialScalar.discriminatorLearningRate] = Double(rateD)
            scalars[AdversarialScalar.generatorLearningRate] = Double(rateG)
            scalars.merge(norms.scalars) { _, norm in norm }
            r.recordScalars(scalars)
            r.endStep()
        }
        step += 1
        results.append(result)
        for value in [result.discriminatorLoss, result.generatorLoss] where !value.isFinite {
            throw TrainingError.diverged(step: info.step, epoch: info.epoch, loss: value)
        }
        return result
    }

    // MARK: The two updates

    /// L_D on real `x` and G(`noise`), and its gradient in D's parameters (G's are left
    /// as they were); returns L_D and the mean σ(D) on each batch.
    public func discriminatorGradients(real x: Tensor, noise z: Tensor, recorder: Recorder? = nil) throws
        -> (loss: Float, real: Float, fake: Float) {
        let fake = try generator.forward(z, context: ForwardContext(training: true, step: step, seed: options.seed))
        let both = Tensor(shape: [x.shape[0] + fake.shape[0]] + Array(x.shape.dropFirst()), scalars: x.scalars + fake.scalars)
        let logits = try discriminator.forward(both, context: ForwardContext(training: true, step: step, seed: options.seed,
                                                                            recorder: recorder))
        let n = x.shape[0]
        let realLogits = Tensor(shape: [n, 1], scalars: Array(logits.scalars[..<n]))
        let fakeLogits = Tensor(shape: [fake.shape[0], 1], scalars: Array(logits.scalars[n...]))
        let loss = try AdversarialLoss.discriminator(real: realLogits, fake: fakeLogits, smoothing: options.labelSmoothing)
        _ = discriminator.backward(Tensor(shape: logits.shape, scalars: loss.real.scalars + loss.fake.scalars),
                                   inputGradient: false)
        return (loss.value, Self.meanProbability(realLogits), Self.meanProbability(fakeLogits))
    }

    /// One discriminator update: `discriminatorGradients`, then D's optimizer on D's parameters.
    @discardableResult
    public func discriminatorStep(real x: Tensor, noise z: Tensor, recorder: Recorder? = nil) throws
        -> (loss: Float, real: Float, fake: Float) {
        let result = try discriminatorGradients(real: x, noise: z, recorder: recorder)
        discriminatorOptimizer.update(discriminator.parameters)
        return result
    }

    /// The non-saturating L_G on G(`noise`) and its gradient in G's parameters, through D
    /// without computing D's parameter gradients (D's gradients and values are left as they were).
    public func generatorGradients(noise z: Tensor, recorder: Recorder? = nil) throws -> Float {
        let context = ForwardContext(training: true, step: step, seed: options.seed, recorder: recorder)
        let fake = try generator.forward(z, context: context)
        let logits = try discriminator.forward(fake, context: ForwardContext(training: true, step: step, seed: options.seed))
        let loss = try AdversarialLoss.generator(fake: logits)
        let dx = discriminator.backward(loss.gradient, inputGradient: true, parameterGradients: false)!
        _ = generator.backward(dx, inputGradient: false)
        return loss.value
    }

    /// One generator update: `generatorGradients`, then G's optimizer on G's parameters.
    @discardableResult
    public func generatorStep(noise z: Tensor, recorder: Recorder? = nil) throws -> Float {
        let loss = try generatorGradients(noise: z, recorder: recorder)
        generatorOptimizer.update(generator.parameters)
        return loss
    }

    // MARK: Probe

    /// The probe batch through both models in inference mode, reported to `r` without
    /// changing any parameter or gradient: the noise (`input/noise`), the samples G(z)
    /// (`activation/generator`), D's logits on them (`activation/discriminator`), and, as
    /// `gradient/generator`, ∂ℓ_j/∂x of each sample's own generator loss ℓ_j = −log D(x_j):
    /// minus it is where the generator's update pushes that sample. The layers' own
    /// activations are not reported (a probe of points is large, and the step's training
    /// passes report their statistics).
    public func recordProbe(_ z: Tensor, into r: Recorder) throws {
        r.record(.input, name: Self.noiseName, tensor: z)
        let context = ForwardContext(training: false, step: step, seed: options.seed)
        let samples = try generator.forward(z, context: context)
        r.record(.activation, name: generator.name, tensor: samples)
        let logits = try discriminator.forward(samples, context: context)
        r.record(.activation, name: discriminator.name, tensor: logits)
        let loss = try AdversarialLoss.generator(fake: logits)
        // The loss's gradient is of the batch mean; × count gives each sample's own.
        let perSample = loss.gradient.scalars.map { $0 * Float(z.shape[0]) }
        let dx = discriminator.backward(Tensor(shape: logits.shape, scalars: perSample), inputGradient: true,
                                        parameterGradients: false)!
        r.record(.gradient, name: generator.name, tensor: dx)
        _ = generator.backward(dx, inputGradient: false, parameterGradients: false)
    }

    /// The name of the probe's noise batch in a trace (`input/noise`).
    public static let noiseName = "noise"

    /// The generator's samples for `z`, in inference mode.
    public func generate(_ z: Tensor) throws -> Tensor {
        try generator.predict(z)
    }

    static func meanProbability(_ logits: Tensor) -> Float {
        let sum = logits.scalars.reduce(0.0) { $0 + 1 / (1 + exp(-Double($1))) }
        return Float(sum / Double(max(logits.count, 1)))
    }
}

/// What one adversarial step measured (or their sums and means over steps).
public struct AdversarialStepResult: Sendable, Equatable {
    public var discriminatorLoss: Float = 0
    public var generatorLoss: Float = 0
    public var discriminatorReal: Float = 0
    public var discriminatorFake: Float = 0

    public init() {}

    mutating func add(_ other: AdversarialStepResult) {
        discriminatorLoss += other.discriminatorLoss
        generatorLoss += other.generatorLoss
        discriminatorReal += other.discriminatorReal
        discriminatorFake += other.discriminatorFake
    }

    func scaled(_ factor: Float) -> AdversarialStepResult {
        var r = self
        r.discriminatorLoss *= factor; r.generatorLoss *= factor
        r.discriminatorReal *= factor; r.discriminatorFake *= factor
        return r
    }

    /// As a recorder's scalars (`AdversarialScalar`).
    public var scalars: [String: Double] {
        [AdversarialScalar.discriminatorLoss: Double(discriminatorLoss), AdversarialScalar.generatorLoss: Double(generatorLoss),
         AdversarialScalar.discriminatorReal: Double(discriminatorReal), AdversarialScalar.discriminatorFake: Double(discriminatorFake)]
    }
}
