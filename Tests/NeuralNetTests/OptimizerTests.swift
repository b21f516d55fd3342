import Foundation
import XCTest
@testable import NeuralNet
import Tensor

final class OptimizerTests: XCTestCase {
    // MARK: Adam

    func testAdamFirstStepMovesByLearningRateUnlessGradientIsTiny() {
        // t = 1: m = 0.1·g, v = 0.001·g², α = lr·√0.001/0.1, so the step is
        //   α·m/(√v + ε) = lr · √0.001·|g| / (√0.001·|g| + ε) · sign(g).
        // lr = 0.1, ε = 1e-7:
        //   g = 0.5:  √0.001·0.5 = 0.0158114, ratio 1 − 6.3e-6  → θ = 1 − 0.1 = 0.9000006
        //   g = −4:   √0.001·4 = 0.126491,    ratio 1 − 7.9e-7  → θ = −2 + 0.1 = −1.9000001
        //   g = 1e-6: √0.001·1e-6 = 3.16228e-8, ratio 3.16228e-8/1.316228e-7 = 0.240253
        //             → θ = 0.5 − 0.0240253 = 0.4759747.
        // (Algorithm 1's ε on √v̂ = 1e-6 would give ratio 0.909 and θ = 0.409: Keras's ε̂ is not that.)
        // numpy with Keras 3's adam.py formula, float32: [0.90000063, -1.9000001, 0.4759748].
        let p = parameter([1, -2, 0.5], gradient: [0.5, -4, 1e-6])
        let adam = Adam(learningRate: 0.1)
        adam.update([p])
        assertElementsEqual(p.value.scalars, [0.9000006, -1.9000001, 0.4759747], accuracy: 2e-7)
        XCTAssertEqual(adam.iterations, 1)
    }

    func testAdamBiasCorrectionKeepsSecondStepAtLearningRate() {
        // Same gradient again, t = 2: m = (1 − 0.9²)·g = 0.19·g, v = (1 − 0.999²)·g² = 0.001999·g²,
        // α = lr·√0.001999/0.19, step = lr·√0.001999·|g| / (√0.001999·|g| + ε)·sign(g) ≈ lr·sign(g)
        // for g = 0.5 and −4. For g = 1e-6: √0.001999·1e-6 = 4.4710e-8, ratio 4.4710e-8/1.44710e-7
        // = 0.308963, θ = 0.4759747 − 0.0308963 = 0.4450784.
        // numpy, float32: [0.8000014, -1.8000004, 0.44507867].
        let p = parameter([1, -2, 0.5], gradient: [0.5, -4, 1e-6])
        let adam = Adam(learningRate: 0.1)
        adam.update([p])
        adam.update([p])
        assertElementsEqual(p.value.scalars, [0.8000014, -1.8000004, 0.4450784], accuracy: 4e-7)
    }

    func testAdamHasKerasDefaults() {
        let adam = Adam()
        XCTAssertEqual([adam.learningRate, adam.beta1, adam.beta2, adam.epsilon], [0.001, 0.9, 0.999, 1e-7])
    }

    // MARK: RMSprop

    func testRMSpropStepPutsEpsilonInsideTheRoot() {
        // v = 0.1·g², θ ← θ − lr·g/√(v + ε), lr = 0.1:
        //   θ = 10, g = 10 (Keras's own docstring example): v = 10, step 1/√10 = 0.316228 → 9.683772
        //   θ = 1,  g = −2: v = 0.4, step −0.2/√0.4 = −0.316228 → 1.316228
        //   θ = 0.5, g = 1e-4: v = 1e-9, √(1e-9 + 1e-7) = 3.17805e-4, step 1e-5/3.17805e-4 = 0.0314660
        //             → 0.4685340 (ε outside the root, 1e-5/(3.1623e-5 + 1e-7), would give 0.185).
        // numpy with Keras 3's rmsprop.py formula, float32: [9.683772, 1.3162277, 0.46853417].
        let p = parameter([10, 1, 0.5], gradient: [10, -2, 1e-4])
        RMSprop(learningRate: 0.1).update([p])
        assertElementsEqual(p.value.scalars, [9.683772, 1.316228, 0.468534], accuracy: 1e-6)
    }

    func testCenteredRMSpropWithMomentumOverTwoSteps() {
        // Constant g, ρ = 0.9, μ = 0.5, lr = 0.1, ε negligible for |g| ≥ 2:
        //   step 1: v = 0.1g², ḡ = 0.1g, v − ḡ² = 0.09g²,     Δ1 = lr·sign(g)/0.3      = 0.333333·sign(g)
        //   step 2: v = 0.19g², ḡ = 0.19g, v − ḡ² = 0.1539g², Δ2 = lr·sign(g)/0.392301 = 0.254906·sign(g)
        //   m1 = Δ1, m2 = 0.5·m1 + Δ2, θ2 = θ0 − m1 − m2 = θ0 − 0.754906·sign(g).
        // numpy, float32: [9.245094, 1.7549062].
        let p = parameter([10, 1], gradient: [10, -2])
        let rmsprop = RMSprop(learningRate: 0.1, momentum: 0.5, centered: true)
        rmsprop.update([p])
        rmsprop.update([p])
        assertElementsEqual(p.value.scalars, [9.245094, 1.754906], accuracy: 1e-6)
        XCTAssertEqual(Set(rmsprop.state().keys), ["w.v", "w.m", "w.g_avg", "iterations"])
    }

    // MARK: SGD

    func testPlainSGDStepsAgainstTheGradient() {
        let p = parameter([1, -1], gradient: [2, -4])
        SGD(learningRate: 0.1).update([p])
        assertElementsEqual(p.value.scalars, [0.8, -0.6], accuracy: 1e-7)
    }

    func testSGDMomentumOverTwoSteps() {
        // lr 0.1, μ 0.9, g = 1 both times:
        //   v1 = −0.1,              θ1 = 1 − 0.1 = 0.9
        //   v2 = 0.9·(−0.1) − 0.1 = −0.19, θ2 = 0.9 − 0.19 = 0.71
        let p = parameter([1], gradient: [1])
        let sgd = SGD(learningRate: 0.1, momentum: 0.9)
        sgd.update([p])
        XCTAssertEqual(p.value.scalars[0], 0.9, accuracy: 1e-6)
        sgd.update([p])
        XCTAssertEqual(p.value.scalars[0], 0.71, accuracy: 1e-6)
    }

    func testSGDNesterovOverTwoSteps() {
        // lr 0.1, μ 0.9, g = 1 both times, θ ← θ + μ·v − lr·g with the new v:
        //   v1 = −0.1,  θ1 = 1 + 0.9·(−0.1) − 0.1 = 0.81
        //   v2 = −0.19, θ2 = 0.81 + 0.9·(−0.19) − 0.1 = 0.539
        let p = parameter([1], gradient: [1])
        let sgd = SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
        sgd.update([p])
        XCTAssertEqual(p.value.scalars[0], 0.81, accuracy: 1e-6)
        sgd.update([p])
        XCTAssertEqual(p.value.scalars[0], 0.539, accuracy: 1e-6)
    }

    // MARK: Schedule

    func testUpdateUsesTheScheduledRateAtTheCurrentIteration() {
        // Step schedule halving every update: rates 0.1, 0.05, so θ = 1 − 0.1 − 0.05 = 0.85.
        let p = parameter([1], gradient: [1])
        let sgd = SGD(learningRate: 0.1, schedule: .step(every: 1, factor: 0.5))
        XCTAssertEqual(sgd.currentLearningRate, 0.1)
        sgd.update([p])
        XCTAssertEqual(sgd.currentLearningRate, 0.05)
        sgd.update([p])
        XCTAssertEqual(p.value.scalars[0], 0.85, accuracy: 1e-6)
        XCTAssertEqual(sgd.currentLearningRate, 0.025)
    }

    // MARK: Subnormal state

    func testStateOfADeadWeightDecaysToZeroNotToSubnormals() {
        // One real gradient, then zeros (a dead ReLU unit): each moving average shrinks by a
        // constant factor per step. Adam's m = 0.1·0.9ᵗ passes 2⁻¹²⁶ at t ≈ 807; with gradual
        // underflow it would then stick at a few multiples of 2⁻¹⁴⁹ (0.9·4 rounds back to 4),
        // which costs a microcode assist per operation. Nine values: the SIMD lanes and the tail.
        // Adam's v (β2 = 0.999) is still 0.999¹⁵⁰⁰ ≈ 22 % of its first value: normal, not flushed.
        let cases: [(Optimizer, decayed: Set<String>)] = [
            (Adam(learningRate: 0.01), ["w.m"]),
            (RMSprop(momentum: 0.5, centered: true), ["w.v", "w.m", "w.g_avg"]),
            (SGD(learningRate: 0.1, momentum: 0.9), ["w.v"]),
        ]
        for (optimizer, decayed) in cases {
            let p = parameter([Float](repeating: 10, count: 9), gradient: [1, -2, 3, 0.5, -1, 2, 1e-3, -4, 1])
            optimizer.update([p])
            p.gradient = Tensor(shape: [9], repeating: 0)
            for _ in 0..<1_500 { optimizer.update([p]) }
            let state = optimizer.state()
            for key in decayed {
                XCTAssertEqual(state[key]?.scalars, [Float](repeating: 0, count: 9), "\(optimizer.name) \(key)")
            }
            for (key, slot) in state {
                XCTAssertFalse(slot.scalars.contains(where: \.isSubnormal), "\(optimizer.name) \(key): \(slot.scalars)")
            }
            XCTAssertTrue(p.value.scalars.allSatisfy(\.isNormal), "\(optimizer.name): \(p.value.scalars)")
        }
    }

    func testFlushKeepsNormalValuesAndSignsLaneByLane() {
        let x: [Float] = [.leastNormalMagnitude, -.leastNormalMagnitude, .leastNormalMagnitude.nextDown,
                          -.leastNonzeroMagnitude, 0, -0.0, 1e-30, -3]
        let expected: [Float] = [.leastNormalMagnitude, -.leastNormalMagnitude, 0, 0, 0, 0, 1e-30, -3]
        XCTAssertEqual(x.map(SubnormalFlush.flush), expected)
        let lanes = SubnormalFlush.flush(SIMD8<Float>(x))
        XCTAssertEqual((0..<8).map { lanes[$0] }, expected)
    }

    // MARK: Changes for a trace

    /// `updateReturningChanges` updates as `update` does, bit for bit, and returns θ_new − θ_old
    /// of each parameter; the values a trace still holds from before the step stay as they were.
    func testUpdateReturningChangesUpdatesAsUpdateDoes() {
        let optimizers: [() -> Optimizer] = [{ Adam(learningRate: 0.01) }, { SGD(learningRate: 0.1, momentum: 0.9) }]
        for make in optimizers {
            let (plain, traced) = (make(), make())
            let values: [[Float]] = [(0..<40_000).map { Float($0 % 97) / 50 - 1 }, [0.3, -0.2, 0.1]]
            let gradients: [[Float]] = values.map { $0.map { 0.1 - $0 * $0 } }
            let a = zip(values, gradients).enumerated().map { parameter($1.0, gradient: $1.1, name: "p\($0)") }
            let b = zip(values, gradients).enumerated().map { parameter($1.0, gradient: $1.1, name: "p\($0)") }
            for step in 0..<3 {
                // What a trace holds of the step's weights, and a copy that shares no storage with it.
                let held = b.map(\.value)
                let copy = held.map { Tensor(shape: $0.shape, scalars: $0.scalars.map { $0 }) }
                plain.update(a)
                let changes = traced.updateReturningChanges(b)
                XCTAssertEqual(a.map(\.value), b.map(\.value), "\(plain.name), step \(step)")
                XCTAssertEqual(held, copy, "\(plain.name), step \(step): the held values are the old ones")
                XCTAssertNotEqual(held, b.map(\.value))
                XCTAssertEqual(changes, zip(b, held).map { $0.value.zipMapped($1, -) }, "\(plain.name), step \(step)")
            }
        }
    }

    // MARK: State

    func testStateRoundTripContinuesIdentically() throws {
        let original = Adam(learningRate: 0.01)
        let p = parameter([0.3, -0.2, 0.1, 0.7], gradient: [0.1, 0.2, -0.3, 0.05])
        for _ in 0..<3 { original.update([p]) }
        let state = original.state()
        XCTAssertEqual(Set(state.keys), ["w.m", "w.v", "iterations"])
        XCTAssertEqual(state["iterations"], Tensor(scalar: 3))
        XCTAssertEqual(state["w.m"]?.shape, [4])

        let copy = parameter(p.value.scalars, gradient: p.gradient.scalars)
        let restored = Adam(learningRate: 0.01)
        restored.prepare([copy])
        try restored.loadState(state)
        XCTAssertEqual(restored.iterations, 3)
        original.update([p])
        restored.update([copy])
        XCTAssertEqual(copy.value, p.value)
        XCTAssertEqual(restored.state(), original.state())
    }

    func testLoadStateNamesMissingSlotAndChangesNothing() {
        let p = parameter([1, 2], gradient: [1, 1])
        let adam = Adam()
        adam.update([p])
        var state = adam.state()
        state["w.m"] = nil
        let fresh = Adam()
        fresh.prepare([p])
        XCTAssertThrowsError(try fresh.loadState(state)) {
            XCTAssertEqual($0 as? OptimizerError, .missingSlot("w.m"))
            XCTAssertTrue("\($0)".contains("'w.m'"))
        }
        XCTAssertEqual(fresh.iterations, 0)
        XCTAssertThrowsError(try fresh.loadState(["w.m": Tensor(shape: [2]), "w.v": Tensor(shape: [2])])) {
            XCTAssertEqual($0 as? OptimizerError, .missingSlot("iterations"))
        }
    }

    func testLoadStateRejectsWrongShapeAndUnpreparedOptimizer() {
        let p = parameter([1, 2], gradient: [1, 1])
        let sgd = SGD(momentum: 0.9)
        sgd.prepare([p])
        let wrong = ["w.v": Tensor(shape: [3]), "iterations": Tensor(scalar: 1)]
        XCTAssertThrowsError(try sgd.loadState(wrong)) {
            XCTAssertEqual($0 as? OptimizerError, .slotShapeMismatch(slot: "w.v", expected: [2], got: [3]))
        }
        XCTAssertThrowsError(try SGD(momentum: 0.9).loadState(wrong)) {
            XCTAssertEqual($0 as? OptimizerError, .notPrepared(optimizer: "sgd"))
        }
    }

    private func parameter(_ value: [Float], gradient: [Float], name: String = "w") -> Parameter {
        let p = Parameter(name: name, value: Tensor(shape: [value.count], scalars: value), decays: true)
        p.gradient = Tensor(shape: [gradient.count], scalars: gradient)
        return p
    }
}
