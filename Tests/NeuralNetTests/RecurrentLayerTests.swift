import XCTest
import Tensor
@testable import NeuralNet

/// SimpleRNN, LSTM and GRU: backpropagation through time against finite differences
/// (with and without masks), hand-computed steps, Keras's weight shapes and
/// initialisation, padding that changes nothing, and thread-count independence.
final class RecurrentLayerTests: XCTestCase {
    private func built<L: Layer>(_ layer: L, _ inputShape: [Int], name: String) throws -> L {
        layer.name = name
        _ = try layer.build(inputShape: inputShape, seed: 7)
        return layer
    }

    private func sequence(_ batch: Int, _ time: Int, _ features: Int) -> Tensor {
        GradientCheck.randomTensor([batch, time, features], "x")
    }

    /// A chain of five tanh steps has large higher derivatives: at the default 2⁻⁶ the
    /// h⁴ remainder of SimpleRNN's smallest directional derivatives reaches 0.3 %, at
    /// 2⁻⁷ it is below 1e-4 (measured), and the rounding resolution is still far smaller.
    static let step: Float = 1.0 / 128

    /// Sequence 1 of 3 ends after 3 of its 5 steps.
    private var mask: Tensor { Tensor(shape: [3, 5], scalars: [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1]) }

    func testEveryRecurrentLayerBackpropagatesThroughTimeExactly() throws {
        for returnSequences in [false, true] {
            let layers: [RecurrentLayer] = [SimpleRNN(4, returnSequences: returnSequences),
                                            LSTM(4, returnSequences: returnSequences),
                                            GRU(4, returnSequences: returnSequences)]
            for layer in layers {
                let built = try self.built(layer, [5, 3], name: layer.kind.lowercased())
                try GradientCheck.check(built, input: sequence(3, 5, 3), step: Self.step)
                built.inputMask = mask
                try GradientCheck.check(built, input: sequence(3, 5, 3), step: Self.step)
            }
        }
    }

    func testKerasWeightShapesNamesAndStartingValues() throws {
        let lstm = try built(LSTM(6), [4, 3], name: "lstm1")
        XCTAssertEqual(lstm.parameters.map(\.name), ["lstm1.kernel", "lstm1.recurrent_kernel", "lstm1.bias"])
        XCTAssertEqual(lstm.parameters.map(\.shape), [[3, 24], [6, 24], [24]])
        XCTAssertEqual(lstm.bias!.value.scalars, [Float](repeating: 0, count: 6) + [Float](repeating: 1, count: 6)
                       + [Float](repeating: 0, count: 12), "Keras's unit_forget_bias")
        let gru = try built(GRU(5), [4, 3], name: "gru1")
        XCTAssertEqual(gru.parameters.map(\.shape), [[3, 15], [5, 15], [2, 15]], "reset_after: two bias rows")
        let rnn = try built(SimpleRNN(2), [4, 3], name: "simple_rnn1")
        XCTAssertEqual(rnn.parameters.map(\.shape), [[3, 2], [2, 2], [2]])
        // The recurrent kernel starts orthogonal: U·Uᵀ = I for the wide [6, 24] kernel.
        let u = lstm.recurrentKernel!.value
        let product = matmul(u, u, transposeB: true)
        for i in 0..<6 { for j in 0..<6 { XCTAssertEqual(product[i, j], i == j ? 1 : 0, accuracy: 1e-5) } }
    }

    func testOneLSTMStepByHand() throws {
        let lstm = try built(LSTM(1), [1, 1], name: "lstm")
        // W = [0.5, -1, 2, 1], U = [1, 1, 1, 1], b = [0, 1, 0, 0]; x = 1, h₀ = c₀ = 0.
        lstm.kernel!.value = Tensor(shape: [1, 4], scalars: [0.5, -1, 2, 1])
        lstm.recurrentKernel!.value = Tensor(shape: [1, 4], scalars: [1, 1, 1, 1])
        let h = try lstm.forward(Tensor(shape: [1, 1, 1], scalars: [1]), context: .inference)
        func σ(_ x: Float) -> Float { 1 / (1 + exp(-x)) }
        let (i, g, o) = (σ(0.5), tanh(Float(2)), σ(1))       // f = σ(−1 + 1) meets c₀ = 0
        XCTAssertEqual(h.scalars[0], o * tanh(i * g), accuracy: 1e-6)
        let states = Dictionary(uniqueKeysWithValues: lstm.states().map { ($0.name, $0.tensor) })
        XCTAssertEqual(states["forget_gate"]?.scalars[0] ?? 0, 0.5, accuracy: 1e-6)
        XCTAssertEqual(states["cell"]?.scalars[0] ?? 0, i * g, accuracy: 1e-6)
        XCTAssertEqual(states["cell"]?.shape, [1, 1, 1], "[batch, time, units]")
    }

    func testOneGRUStepByHand() throws {
        let gru = try built(GRU(1), [2, 1], name: "gru")
        gru.kernel!.value = Tensor(shape: [1, 3], scalars: [1, -1, 0.5])
        gru.recurrentKernel!.value = Tensor(shape: [1, 3], scalars: [0.5, 2, -1])
        gru.bias!.value = Tensor(shape: [2, 3], scalars: [0, 0, 0.25, 0, 0, 0.5])
        let h = try gru.forward(Tensor(shape: [1, 2, 1], scalars: [1, 2]), context: .inference)
        func σ(_ x: Float) -> Float { 1 / (1 + exp(-x)) }
        func step(_ x: Float, _ h: Float) -> Float {
            let z = σ(x + 0.5 * h), r = σ(-x + 2 * h)
            let candidate = tanh(0.5 * x + 0.25 + r * (-h + 0.5))
            return z * h + (1 - z) * candidate
        }
        XCTAssertEqual(h.scalars[0], step(2, step(1, 0)), accuracy: 1e-6)
    }

    func testPaddedStepsChangeNeitherTheLastStateNorTheGradients() throws {
        for make in [{ LSTM(3) as RecurrentLayer }, { GRU(3) }, { SimpleRNN(3) }] {
            let short = try built(make(), [3, 2], name: "short"), padded = try built(make(), [5, 2], name: "short")
            let x = sequence(1, 3, 2)
            let xPadded = Tensor(shape: [1, 5, 2], scalars: x.scalars + [9, 9, -9, 9])
            padded.inputMask = Tensor(shape: [1, 5], scalars: [1, 1, 1, 0, 0])
            let a = try short.forward(x, context: .inference), b = try padded.forward(xPadded, context: .inference)
            XCTAssertEqual(a, b, "the state is carried over padding")
            let upstream = Tensor(shape: [1, 3], scalars: [0.5, -1, 2])
            let dxShort = short.backward(upstream, inputGradient: true)!
            let dxPadded = padded.backward(upstream, inputGradient: true)!
            XCTAssertEqual(Array(dxPadded.scalars.prefix(6)), dxShort.scalars)
            XCTAssertEqual(Array(dxPadded.scalars.suffix(4)), [0, 0, 0, 0], "padding gets no gradient")
            for (p, q) in zip(short.parameters, padded.parameters) { XCTAssertEqual(p.gradient, q.gradient, p.name) }
        }
    }

    /// As Keras's layers (`zero_output_for_mask=False`): a padded step repeats the last real output.
    func testPaddedStepsRepeatTheLastRealOutput() throws {
        let lstm = try built(LSTM(2, returnSequences: true), [5, 3], name: "lstm")
        lstm.inputMask = mask
        let y = try lstm.forward(sequence(3, 5, 3), context: .inference)
        XCTAssertEqual(y.shape, [3, 5, 2])
        let lastReal = Array(y.scalars[(1 * 10 + 4)..<(1 * 10 + 6)])
        XCTAssertEqual(Array(y.scalars[(1 * 10 + 6)..<(1 * 10 + 10)]), lastReal + lastReal, "steps 3 and 4 of sequence 1")
        XCTAssertEqual(lstm.outputMask, mask, "passed on with return_sequences")
        XCTAssertNil(try built(LSTM(2), [5, 3], name: "last").outputMask)
    }

    func testResultsAreBitIdenticalWithOneOrTwoThreads() throws {
        func run(threads: Int) throws -> (Tensor, [Tensor], Tensor) {
            let saved = WorkerPool.shared.threads
            defer { WorkerPool.shared.threads = saved }
            WorkerPool.shared.threads = threads
            let lstm = try built(LSTM(48, returnSequences: true), [20, 16], name: "lstm")
            let x = sequence(32, 20, 16)
            let y = try lstm.forward(x, context: .inference)
            let dx = lstm.backward(GradientCheck.randomTensor(y.shape, "dy"), inputGradient: true)!
            return (y, lstm.parameters.map(\.gradient), dx)
        }
        let one = try run(threads: 1), two = try run(threads: 2)
        XCTAssertEqual(one.0, two.0)
        XCTAssertEqual(one.1, two.1)
        XCTAssertEqual(one.2, two.2)
    }

    func testDenseActsOnTheLastAxisOfASequence() throws {
        let dense = try built(Dense(3, activation: .tanh), [4, 2], name: "dense")
        let x = sequence(2, 4, 2)
        let y = try dense.forward(x, context: .inference)
        XCTAssertEqual(y.shape, [2, 4, 3])
        let step = try built(Dense(3, activation: .tanh), [2], name: "dense")
        step.weight.value = dense.weight.value
        let row = try step.forward(x.reshaped([8, 2]).slice(5..<6), context: .inference)
        XCTAssertEqual(Array(y.scalars[15..<18]), row.scalars, "step 1 of sequence 1 is an ordinary Dense row")
        try GradientCheck.check(dense, input: x)
    }

    func testEmbeddingLooksUpRowsAndAddsTheirGradients() throws {
        let embed = try built(Embedding(vocabulary: 5, dimension: 2, maskZero: true), [3], name: "embedding")
        let ids = Tensor(shape: [2, 3], scalars: [1, 4, 1, 0, 2, 0])
        let y = try embed.forward(ids, context: .inference)
        let table = embed.embeddings.value
        XCTAssertEqual(Array(y.scalars[2..<4]), Array(table.scalars[8..<10]), "row 4")
        XCTAssertEqual(embed.outputMask?.scalars, [1, 1, 1, 0, 1, 0])
        let dy = Tensor(shape: [2, 3, 2], scalars: (0..<12).map(Float.init))
        XCTAssertNil(embed.backward(dy, inputGradient: true), "ids have no gradient")
        // Row 1 was looked up at steps (0, 0) and (0, 2): dy rows 0 and 2 add up.
        XCTAssertEqual(Array(embed.embeddings.gradient.scalars[2..<4]), [0 + 4, 1 + 5])
        XCTAssertEqual(Array(embed.embeddings.gradient.scalars[6..<8]), [0, 0], "row 3 unused")
        XCTAssertThrowsError(try embed.forward(Tensor(shape: [1, 3], scalars: [1, 5, 0]), context: .inference)) {
            XCTAssertEqual($0 as? LayerError, .invalidTokenID(layer: "embedding", value: 5, vocabulary: 5))
        }
        XCTAssertThrowsError(try embed.forward(Tensor(shape: [1, 3], scalars: [1, 0.5, 0]), context: .inference))
    }

    func testRecurrentLayersRefuseInputsWithoutATimeAxis() {
        XCTAssertThrowsError(try LSTM(3).build(inputShape: [7], seed: 1)) { error in
            XCTAssert("\(error)".contains("token ids go through an Embedding first"), "\(error)")
        }
    }
}
