import XCTest
import NeuralNet
import Tensor
import Trace
@testable import Lessons

/// The lesson file's words are enums: every case parses, builds the engine object it
/// names, and is offered (with a did-you-mean) when a file misspells it.
final class VocabularyTests: XCTestCase {
    private func lesson(layers: String, training: String = "{loss: softmax_cross_entropy, optimizer: adam}") -> String {
        """
        title: T
        summary: S
        data: {dataset: spirals}
        model:
          layers:
        \(layers)
        training: \(training)
        """
    }

    private func parse(_ yaml: String) throws -> LessonSpec {
        try LessonSpecParser.parse(yaml: yaml, file: "lessons/x/lesson.yaml", name: "x")
    }

    private func parseError(_ yaml: String) -> String {
        do { _ = try parse(yaml); return "no error" } catch { return "\(error)" }
    }

    private func model(_ layers: String, inputShape: [Int] = [2]) throws -> Sequential {
        try ModelFactory.model(try parse(lesson(layers: layers)).layers, file: "lessons/x/lesson.yaml", inputShape: inputShape, seed: 1)
    }

    func testLeakyReLUHonoursItsAlphaAndDefaultsToKeras() throws {
        let x = Tensor(shape: [1, 2], scalars: [-2, 3])
        let given = try model("    - {type: LeakyReLU, alpha: 0.1}")
        XCTAssertEqual(try given.forward(x, context: .inference).scalars, [-0.2, 3])
        let keras = try model("    - {type: LeakyReLU}")
        XCTAssertEqual(try keras.forward(x, context: .inference).scalars[0], -0.6, accuracy: 1e-6)
        XCTAssertEqual(try parse(lesson(layers: "    - {type: LeakyReLU, alpha: 0.1}")).layers, [.activation(.leakyReLU, alpha: 0.1)])
    }

    /// `vocabulary` as a size: the data's vocabulary, filled in before the model is built.
    func testVocabularySizedLayersWaitForTheData() throws {
        let spec = try parse(lesson(layers: """
            - {type: Embedding, dimension: 4}
            - {type: GRU, units: 5, return_sequences: true}
            - {type: Dense, units: vocabulary}
        """))
        XCTAssertEqual(spec.layers.map(\.needsVocabulary), [true, false, true])
        XCTAssertThrowsError(try ModelFactory.model(spec.layers, file: "lessons/x/lesson.yaml", inputShape: [7], seed: 1)) { error in
            XCTAssert("\(error)".contains("model.layers[0]: the size 'vocabulary' comes from a text dataset"), "\(error)")
        }
        let model = try ModelFactory.model(spec.layers.map { $0.resolved(vocabulary: 30) }, file: "lessons/x/lesson.yaml", inputShape: [7], seed: 1)
        XCTAssertEqual(model.outputShape, [7, 30])
        XCTAssertEqual(model.parameters.map(\.shape), [[30, 4], [4, 15], [5, 15], [2, 15], [5, 30], [30]])
        XCTAssert(parseError(lesson(layers: "    - {type: Dense, units: vocab}")).contains("expected a whole number"))
    }

    func testAlphaBelongsToLeakyReLUOnly() {
        let message = parseError(lesson(layers: "    - {type: ReLU, alpha: 0.1}"))
        XCTAssert(message.contains("model.layers[0].alpha: unknown key 'alpha'"), message)
        XCTAssert(parseError(lesson(layers: "    - {type: LeakyReLU, alpha: 2}")).contains("out of range"))
    }

    func testEveryLayerTypeBuildsTheLayerItNames() throws {
        let lines: [LayerType: String] = [
            .conv2D: "{type: Conv2D, filters: 2, kernel: 3, padding: same, activation: tanh, initializer: he_normal}",
            .dense: "{type: Dense, units: 3, activation: sigmoid, initializer: zeros}",
            .maxPool2D: "{type: MaxPool2D, size: 2}", .flatten: "{type: Flatten}",
            .reshape: "{type: Reshape, target_shape: [2, 2, 1]}", .dropout: "{type: Dropout, rate: 0.5}",
            .relu: "{type: ReLU}", .leakyReLU: "{type: LeakyReLU}", .sigmoid: "{type: Sigmoid}", .tanh: "{type: Tanh}",
            .softmax: "{type: Softmax}", .embedding: "{type: Embedding, vocabulary: 10, dimension: 3, mask_zero: true}",
            .simpleRNN: "{type: SimpleRNN, units: 3}", .lstm: "{type: LSTM, units: 3, return_sequences: true}",
            .gru: "{type: GRU, units: 3}", .gelu: "{type: GELU}", .layerNorm: "{type: LayerNorm}",
            .positionalEncoding: "{type: PositionalEncoding, kind: learned, context: 6}",
            .multiHeadAttention: "{type: MultiHeadAttention, heads: 2, key_size: 3, causal: true, dropout: 0.1}",
            .transformerBlock: "{type: TransformerBlock, heads: 2, feed_forward: 8, causal: true, dropout: 0.1}",
        ]
        XCTAssertEqual(Set(lines.keys), Set(LayerType.allCases), "a line for every layer type")
        func inputShape(_ type: LayerType) -> [Int] {
            switch type {
            case .conv2D, .maxPool2D: return [4, 4, 1]
            case .simpleRNN, .lstm, .gru, .positionalEncoding, .multiHeadAttention, .transformerBlock: return [5, 2]
            case .dense, .flatten, .reshape, .dropout, .relu, .leakyReLU, .sigmoid, .tanh, .softmax, .embedding, .gelu, .layerNorm:
                return [4]
            }
        }
        for type in LayerType.allCases {
            let built = try model("    - \(lines[type]!)", inputShape: inputShape(type)).layers[0]
            XCTAssertEqual(built.kind, type.rawValue, "the engine's layer kind is the lesson's word")
        }
        let lstm = try XCTUnwrap(try model("    - \(lines[.lstm]!)", inputShape: [5, 2]).layers[0] as? LSTM)
        XCTAssertTrue(lstm.returnSequences)
        XCTAssertEqual(lstm.units, 3)
        let embedding = try XCTUnwrap(try model("    - \(lines[.embedding]!)", inputShape: [4]).layers[0] as? Embedding)
        XCTAssertEqual([embedding.vocabulary, embedding.dimension], [10, 3])
        XCTAssertTrue(embedding.maskZero)
        let conv = try XCTUnwrap(try model("    - \(lines[.conv2D]!)", inputShape: [4, 4, 1]).layers[0] as? Conv2D)
        XCTAssertEqual(conv.activation, .tanh)
        XCTAssertEqual(try model("    - \(lines[.conv2D]!)", inputShape: [4, 4, 1]).outputShape, [4, 4, 2], "padding same keeps the size")
        let dense = try XCTUnwrap(try model("    - \(lines[.dense]!)").layers[0] as? Dense)
        XCTAssertEqual(dense.activation, .sigmoid)
        XCTAssert(dense.weight.value.scalars.allSatisfy { $0 == 0 }, "initializer zeros")
    }

    func testAttentionWordsBuildTheirLayersAndRefuseImpossibleShapes() throws {
        let model = try self.model("""
            - {type: Embedding, vocabulary: 9, dimension: 8, mask_zero: true}
            - {type: PositionalEncoding, context: 6}
            - {type: TransformerBlock, heads: 2, key_size: 5, feed_forward: 16}
            - {type: MultiHeadAttention, heads: 4, key_size: 2}
            - {type: LayerNorm, epsilon: 0.00001}
            - {type: Dense, units: 9, activation: gelu}
        """, inputShape: [6])
        let encoding = try XCTUnwrap(model.layers[1] as? PositionalEncoding)
        XCTAssertEqual(encoding.encoding, .sinusoidal, "the default kind")
        let block = try XCTUnwrap(model.layers[2] as? TransformerBlock)
        XCTAssertEqual([block.heads, block.keySize, block.feedForward], [2, 5, 16])
        XCTAssertFalse(block.causal)
        XCTAssertEqual((model.layers[4] as? LayerNorm)?.epsilon, 1e-5)
        XCTAssertEqual((model.layers[5] as? Dense)?.activation, .gelu)
        XCTAssertEqual(model.layers.map(\.name), ["embedding1", "positional_encoding1", "transformer1", "attn1",
                                                  "layer_norm1", "dense1"])
        func buildError(_ layers: String) -> String {
            do { _ = try self.model(layers, inputShape: [6]); return "no error" } catch { return "\(error)" }
        }
        let embedding = "    - {type: Embedding, vocabulary: 9, dimension: 6}\n"
        let longer = buildError(embedding + "    - {type: PositionalEncoding, kind: learned, context: 4}")
        XCTAssert(longer.contains("positional_encoding1") && longer.contains("[6, 6]")
                  && longer.contains("longer than the context of 4"), longer)
        let heads = buildError(embedding + "    - {type: TransformerBlock, heads: 4, feed_forward: 8}")
        XCTAssert(heads.contains("transformer1") && heads.contains("4 heads do not divide d_model 6"), heads)
        let keySize = buildError(embedding + "    - {type: MultiHeadAttention, heads: 2, key_size: 0}")
        XCTAssert(keySize.contains("attn1") && keySize.contains("[6, 6]") && keySize.contains("key_size (0)"), keySize)
        XCTAssert(parseError(lesson(layers: "    - {type: PositionalEncoding, kind: rotary, context: 4}"))
            .contains("valid: sinusoidal, learned"))
    }

    func testEveryActivationNameIsTheEnginesFunction() {
        let engine: [ActivationName: Activation] = [.linear: .linear, .relu: .relu, .leakyReLU: .leakyReLU(alpha: 0.3),
                                                    .sigmoid: .sigmoid, .tanh: .tanh, .gelu: .gelu]
        for name in ActivationName.allCases {
            XCTAssertEqual(name.activation, engine[name], name.rawValue)
            XCTAssertEqual(name.activation.name, name.rawValue, "the engine names it as the lesson file does")
        }
    }

    func testEveryLossAndOptimizerWordBuildsItsEngineObjectWithKerasDefaults() throws {
        for loss in LossName.allCases {
            XCTAssertEqual(ModelFactory.loss(loss).name, loss.rawValue)
        }
        let rates: [OptimizerName: Float] = [.sgd: 0.01, .momentum: 0.01, .nesterov: 0.01, .rmsprop: 0.001, .adam: 0.001]
        for name in OptimizerName.allCases {
            let spec = try parse(lesson(layers: "    - {type: Dense, units: 2}",
                                        training: "{loss: mse, optimizer: \(name.rawValue)}"))
            XCTAssertEqual(spec.training.optimizer, name)
            XCTAssertEqual(spec.training.momentum, name == .sgd ? 0 : 0.9, name.rawValue)
            let optimizer = ModelFactory.optimizer(spec.training, learningRate: nil, totalSteps: 10)
            XCTAssertEqual(optimizer.learningRate, rates[name], name.rawValue)
            if let sgd = optimizer as? SGD {
                XCTAssertEqual(sgd.nesterov, name == .nesterov, name.rawValue)
                XCTAssertEqual(sgd.momentum, name.usesMomentum ? 0.9 : 0, name.rawValue)
            } else {
                XCTAssertEqual(optimizer.name, name.rawValue)
            }
        }
    }

    func testEveryScheduleWordShapesTheRate() {
        let base: Float = 1
        XCTAssertEqual(ModelFactory.schedule(.constant, totalSteps: 9).rate(base: base, step: 8), 1)
        XCTAssertEqual(ModelFactory.schedule(.step, totalSteps: 9).rate(base: base, step: 3), 0.5, "halved after a third")
        XCTAssertEqual(ModelFactory.schedule(.cosine, totalSteps: 10).rate(base: base, step: 5), 0.5, accuracy: 1e-6)
    }

    func testEveryPlotWordHasItsCatalogEntry() {
        for name in PlotName.allCases { XCTAssertEqual(PlotCatalog.plot(name).name, name) }
        XCTAssertEqual(PlotCatalog.plots.count, PlotName.allCases.count)
    }

    func testMisspelledWordsAreOfferedFromTheVocabulary() {
        let optimizer = parseError(lesson(layers: "    - {type: Dense, units: 2}", training: "{loss: mse, optimizer: adamw}"))
        XCTAssert(optimizer.hasPrefix("lessons/x/lesson.yaml:"), optimizer)
        XCTAssert(optimizer.contains("training.optimizer: unknown value 'adamw' (did you mean 'adam'?; valid: "
                                     + OptimizerName.allCases.map(\.rawValue).joined(separator: ", ") + ")"), optimizer)
        let loss = parseError(lesson(layers: "    - {type: Dense, units: 2}", training: "{loss: mae, optimizer: sgd}"))
        XCTAssert(loss.contains("training.loss: unknown value 'mae' (did you mean 'mse'?"), loss)
        let activation = parseError(lesson(layers: "    - {type: Dense, units: 2, activation: reLu}"))
        XCTAssert(activation.contains("model.layers[0].activation: unknown value 'reLu' (did you mean 'relu'?"), activation)
        let padding = parseError(lesson(layers: "    - {type: Conv2D, filters: 1, kernel: 3, padding: sme}"))
        XCTAssert(padding.contains("did you mean 'same'?; valid: valid, same"), padding)
        let initializer = parseError(lesson(layers: "    - {type: Dense, units: 2, initializer: he_norml}"))
        XCTAssert(initializer.contains("did you mean 'he_normal'?"), initializer)
        let schedule = parseError(lesson(layers: "    - {type: Dense, units: 2}",
                                         training: "{loss: mse, optimizer: sgd, schedule: cosin}"))
        XCTAssert(schedule.contains("did you mean 'cosine'?"), schedule)
        let level = parseError(lesson(layers: "    - {type: Dense, units: 2}") + "\nlevel: expert\n")
        XCTAssert(level.contains("level: unknown value 'expert'"), level)
        XCTAssert(level.contains("valid: beginner, intermediate, advanced"), level)
        let plot = parseError(lesson(layers: "    - {type: Dense, units: 2}") + "\nfigures: [{plot: curve, caption: c}]\n")
        XCTAssert(plot.contains("figures[0].plot: unknown value 'curve' (did you mean 'curves'?"), plot)
        let normalize = parseError(lesson(layers: "    - {type: Dense, units: 2}")
            .replacingOccurrences(of: "{dataset: spirals}", with: "{dataset: spirals, normalize: standardise}"))
        XCTAssert(normalize.contains("did you mean 'standardize'?"), normalize)
    }

    func testRecordPolicyIsCheckedWhenTheLessonIsRead() throws {
        let good = try parse(lesson(layers: "    - {type: Dense, units: 2}") + "\nrecord: first=5,every=100,epoch-end\n")
        XCTAssertEqual(good.record, RecordPolicy(first: 5, every: 100, epochEnds: true))
        let bad = parseError(lesson(layers: "    - {type: Dense, units: 2}") + "\nrecord: evry=100\n")
        XCTAssert(bad.hasPrefix("lessons/x/lesson.yaml:8: record: "), bad)
        XCTAssert(bad.contains("evry=100"), bad)
    }
}
