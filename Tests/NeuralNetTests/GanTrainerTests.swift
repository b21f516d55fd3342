import Foundation
import Tensor
import XCTest
@testable import NeuralNet

/// The adversarial loop: its two losses against finite differences, the gradients each
/// update takes (through the other model) against finite differences, the rule that each
/// update touches only its own model, the shape checks, and what a recorder sees.
final class GanTrainerTests: XCTestCase {
    private func tensor(_ shape: [Int], _ name: String, scale: Float = 1) -> Tensor {
        var rng = RandomStream(seed: 7, name: name)
        return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in scale * rng.nextNormal() })
    }

    private func models(noise: Int = 3, data: Int = 2, seed: UInt64 = 1) throws -> (Sequential, Sequential) {
        let g = try Sequential(inputShape: [noise], seed: seed, [Dense(5, activation: .tanh), Dense(data)], name: "generator")
        let d = try Sequential(inputShape: [data], seed: seed, [Dense(4, activation: .tanh), Dense(1)], name: "discriminator")
        return (g, d)
    }

    private func trainer(smoothing: Float = 0, k: Int = 1) throws -> AdversarialTrainer {
        let (g, d) = try models()
        return try AdversarialTrainer(generator: g, discriminator: d, generatorOptimizer: Adam(learningRate: 0.01),
                                      discriminatorOptimizer: Adam(learningRate: 0.01),
                                      options: AdversarialOptions(epochs: 1, batchSize: 6, discriminatorSteps: k,
                                                                  labelSmoothing: smoothing, noiseSize: 3))
    }

    /// Central difference of `f` at 0 along one coordinate, step h, in Double.
    private func numeric(_ h: Double, _ f: (Float) throws -> Float) rethrows -> Double {
        (Double(try f(Float(h))) - Double(try f(Float(-h)))) / (2 * h)
    }

    func testLossesAtTheEquilibriumAreLog4AndLog2() throws {
        let zero = Tensor(shape: [8, 1], repeating: 0)
        XCTAssertEqual(Double(try AdversarialLoss.discriminator(real: zero, fake: zero).value), log(4.0), accuracy: 1e-6)
        XCTAssertEqual(Double(try AdversarialLoss.generator(fake: zero).value), log(2.0), accuracy: 1e-6)
        XCTAssertEqual(AdversarialLoss.discriminatorEquilibrium, log(4.0), accuracy: 1e-12)
    }

    func testDiscriminatorLossGradientMatchesFiniteDifferencesWithLabelSmoothing() throws {
        let real = tensor([5, 1], "real", scale: 2), fake = tensor([4, 1], "fake", scale: 2)
        let s: Float = 0.1
        let loss = try AdversarialLoss.discriminator(real: real, fake: fake, smoothing: s)
        // By hand: ℓ(a, y) = −y log σ(a) − (1−y) log(1−σ(a)), each batch its own mean.
        func sigma(_ a: Float) -> Double { 1 / (1 + exp(-Double(a))) }
        let byHand = real.scalars.map { -(1 - Double(s)) * log(sigma($0)) - Double(s) * log(1 - sigma($0)) }.reduce(0, +) / 5
            + fake.scalars.map { -log(1 - sigma($0)) }.reduce(0, +) / 4
        XCTAssertEqual(Double(loss.value), byHand, accuracy: 1e-5)
        for i in 0..<5 {
            let n = try numeric(1e-2) { h in
                var r = real; r.scalars[i] += h
                return try AdversarialLoss.discriminator(real: r, fake: fake, smoothing: s).value
            }
            XCTAssertEqual(Double(loss.real.scalars[i]), n, accuracy: 2e-4, "∂L_D/∂a_\(i)")
            XCTAssertEqual(Double(loss.real.scalars[i]), (sigma(real.scalars[i]) - 0.9) / 5, accuracy: 1e-6)
        }
        for j in 0..<4 {
            let n = try numeric(1e-2) { h in
                var f = fake; f.scalars[j] += h
                return try AdversarialLoss.discriminator(real: real, fake: f, smoothing: s).value
            }
            XCTAssertEqual(Double(loss.fake.scalars[j]), n, accuracy: 2e-4, "∂L_D/∂â_\(j)")
        }
    }

    func testGeneratorLossIsNonSaturatingAndMatchesFiniteDifferences() throws {
        let fake = tensor([4, 1], "fake", scale: 3)
        let loss = try AdversarialLoss.generator(fake: fake)
        for j in 0..<4 {
            let n = try numeric(1e-2) { h in
                var f = fake; f.scalars[j] += h
                return try AdversarialLoss.generator(fake: f).value
            }
            XCTAssertEqual(Double(loss.gradient.scalars[j]), n, accuracy: 2e-4)
        }
        // D rejects the sample outright (σ(−10) ≈ 4.5e−5): log(1 − D) would give a gradient of
        // −σ(a)/B ≈ −1e−5; −log D still gives (σ(a) − 1)/B ≈ −1/B.
        let rejected = try AdversarialLoss.generator(fake: Tensor(shape: [2, 1], repeating: -10))
        XCTAssertEqual(rejected.gradient.scalars[0], -0.5, accuracy: 1e-4)
        XCTAssertEqual(rejected.value, 10, accuracy: 1e-3)
    }

    /// dL/dθ of every parameter of `model`, along each coordinate of a few, against finite differences of `loss`.
    private func checkGradients(of model: Sequential, loss: () throws -> Float, file: StaticString = #filePath,
                                line: UInt = #line) rethrows {
        let analytic = model.parameters.map(\.gradient)
        for (p, g) in zip(model.parameters, analytic) {
            for i in Set([0, p.value.count / 2, p.value.count - 1]) {
                let saved = p.value
                let n = try numeric(1.0 / 128) { h in
                    p.value.scalars[i] = saved.scalars[i] + h
                    defer { p.value = saved }
                    return try loss()
                }
                XCTAssertEqual(Double(g.scalars[i]), n, accuracy: 1e-3 + 1e-2 * abs(n), "\(p.name)[\(i)]",
                               file: file, line: line)
            }
        }
    }

    func testGeneratorGradientThroughTheDiscriminatorMatchesFiniteDifferences() throws {
        let gan = try trainer()
        let z = tensor([6, 3], "z")
        for p in gan.discriminator.parameters { p.gradient = Tensor(shape: p.shape, repeating: 7) }
        _ = try gan.generatorGradients(noise: z)
        try checkGradients(of: gan.generator) { try gan.generatorGradients(noise: z) }
        for p in gan.discriminator.parameters {
            XCTAssertEqual(p.gradient, Tensor(shape: p.shape, repeating: 7), "the generator's pass computes no \(p.name) gradient")
        }
    }

    func testDiscriminatorGradientMatchesFiniteDifferences() throws {
        let gan = try trainer(smoothing: 0.1)
        let x = tensor([6, 2], "x"), z = tensor([6, 3], "z")
        _ = try gan.discriminatorGradients(real: x, noise: z)
        try checkGradients(of: gan.discriminator) { try gan.discriminatorGradients(real: x, noise: z).loss }
    }

    func testEachUpdateChangesOnlyItsOwnModel() throws {
        let gan = try trainer()
        let x = tensor([6, 2], "x"), z = tensor([6, 3], "z")
        func values(_ m: Sequential) -> [Tensor] { m.parameters.map(\.value) }
        var (g0, d0) = (values(gan.generator), values(gan.discriminator))
        try gan.generatorStep(noise: z)
        XCTAssertEqual(values(gan.discriminator), d0, "a generator step leaves D's weights untouched")
        XCTAssertNotEqual(values(gan.generator), g0, "and changes G's")
        (g0, d0) = (values(gan.generator), values(gan.discriminator))
        try gan.discriminatorStep(real: x, noise: z)
        XCTAssertEqual(values(gan.generator), g0, "a discriminator step leaves G's weights untouched")
        XCTAssertNotEqual(values(gan.discriminator), d0, "and changes D's")
        XCTAssertEqual(gan.discriminatorOptimizer.iterations, 1)
        XCTAssertEqual(gan.generatorOptimizer.iterations, 1)
    }

    func testShapeMistakesNameBothModelsAndTheirShapes() throws {
        func message(_ g: Sequential, _ d: Sequential, k: Int = 1, noise: Int = 3) -> String {
            do {
                _ = try AdversarialTrainer(generator: g, discriminator: d, generatorOptimizer: SGD(), discriminatorOptimizer: SGD(),
                                           options: AdversarialOptions(discriminatorSteps: k, noiseSize: noise))
                return "no error"
            } catch { return "\(error)" }
        }
        let (g, d) = try models()
        XCTAssertEqual(message(g, d), "no error")
        let (g3, _) = try models(data: 3)
        XCTAssertEqual(message(g3, d), "the generator's output is [3] per example, but the data (and the discriminator's "
                       + "input) is [2]: the generator's last layer must produce one data example")
        let d2 = try Sequential(inputShape: [2], seed: 1, [Dense(2)], name: "discriminator")
        XCTAssertTrue(message(g, d2).contains("discriminator's output is [2]"), message(g, d2))
        XCTAssertTrue(message(g, d, k: 0).contains("d_steps is 0"), message(g, d, k: 0))
        XCTAssertTrue(message(g, d, noise: 4).contains("[4]"), message(g, d, noise: 4))
    }

    /// Keeps every event, and asks for the probe at every step.
    private final class KeepAll: Recorder {
        var names: [TensorKind: Set<String>] = [:]
        var scalars: [[String: Double]] = []
        var steps = 0
        var wantsProbe: Bool { true }
        func record(_ kind: TensorKind, name: String, tensor: Tensor) { names[kind, default: []].insert(name) }
        func recordScalars(_ s: [String: Double]) { scalars.append(s) }
        func endStep() { steps += 1 }
    }

    func testOneRecordedStepHoldsBothModelsByName() throws {
        let gan = try trainer(k: 2)
        let recorder = KeepAll()
        gan.recorder = recorder
        gan.probeNoise = tensor([5, 3], "probe")
        let history = try gan.fit(tensor([30, 2], "data"))
        // 30 examples in batches of 6 are 5 discriminator batches: ⌈5 / 2⌉ = 3 steps.
        XCTAssertEqual(history.steps, 3)
        XCTAssertEqual(recorder.steps, 3)
        XCTAssertEqual(gan.discriminatorOptimizer.iterations, 5)
        XCTAssertEqual(gan.generatorOptimizer.iterations, 3)
        let weights = recorder.names[.weight] ?? []
        XCTAssertEqual(weights, ["generator.dense1.weight", "generator.dense1.bias", "generator.dense2.weight",
                                 "generator.dense2.bias", "discriminator.dense1.weight", "discriminator.dense1.bias",
                                 "discriminator.dense2.weight", "discriminator.dense2.bias"])
        XCTAssertEqual(recorder.names[.update], weights)
        XCTAssertTrue(weights.isSubset(of: recorder.names[.gradient] ?? []))
        // At a probe step the probe supplies the full tensors: the samples and D's logits on them.
        XCTAssertEqual(recorder.names[.activation], ["generator", "discriminator"])
        XCTAssertTrue((recorder.names[.gradient] ?? []).contains("generator"), "the samples' ∂ℓ/∂x")
        XCTAssertEqual(recorder.names[.input], ["noise"])
        for s in recorder.scalars {
            for key in ["loss_d", "loss_g", "d_real", "d_fake", "lr_d", "lr_g", "grad_norm/generator.dense1.weight",
                        "update_norm/discriminator.dense2.bias"] {
                XCTAssertNotNil(s[key], key)
            }
            XCTAssertTrue((0...1).contains(s["d_real"]!) && (0...1).contains(s["d_fake"]!))
        }
    }
}
