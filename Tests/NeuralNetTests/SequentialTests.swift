import XCTest
import Tensor
@testable import NeuralNet

final class SequentialTests: XCTestCase {
    /// The Keras MNIST network of the first lesson.
    static func kerasMNIST(seed: UInt64 = 42) throws -> Sequential {
        try Sequential(inputShape: [28, 28, 1], seed: seed, [
            Conv2D(32, kernelSize: 3, activation: .relu), MaxPool2D(size: 2),
            Conv2D(64, kernelSize: 3, activation: .relu), MaxPool2D(size: 2),
            Conv2D(64, kernelSize: 3, activation: .relu), Flatten(),
            Dense(64, activation: .relu), Dense(10),
        ])
    }

    func testKerasMNISTShapesNamesAndParameterCountMatchKeras() throws {
        let model = try Self.kerasMNIST()
        XCTAssertEqual(model.layers.map(\.name),
                       ["conv1", "pool1", "conv2", "pool2", "conv3", "flatten1", "dense1", "dense2"])
        XCTAssertEqual(model.outputShapes,
                       [[26, 26, 32], [13, 13, 32], [11, 11, 64], [5, 5, 64], [3, 3, 64], [576], [64], [10]])
        // Keras's model.summary(): 320 + 18 496 + 36 928 + 36 928 + 650 = 93 322 parameters.
        XCTAssertEqual(model.summary.map(\.parameterCount).reduce(0, +), 93_322)
        XCTAssertEqual(model.parameters.first?.name, "conv1.weight")
        XCTAssertEqual(model.parameters.first?.shape, [3, 3, 1, 32])
    }

    func testDenseFedTheWrongWidthNamesLayerAndBothShapes() throws {
        let model = try Sequential(inputShape: [576], seed: 1, [Dense(64), Dense(10)])
        XCTAssertThrowsError(try model.forward(Tensor(shape: [2, 784]), context: .inference)) { error in
            XCTAssertEqual(error as? LayerError,
                           .shapeMismatch(layer: "dense1", kind: "Dense", expected: [576], got: [784]))
            XCTAssertEqual("\(error)", "layer 'dense1' (Dense) expects input shape [576] but got [784]")
        }
    }

    func testBuildingAnImpossibleModelNamesTheLayer() {
        XCTAssertThrowsError(try Sequential(inputShape: [28, 28, 1], seed: 1, [Dense(10)])) { error in
            XCTAssert("\(error)".contains("dense1"), "\(error)")
            XCTAssert("\(error)".contains("Flatten"), "\(error)")
        }
        XCTAssertThrowsError(try Sequential(inputShape: [4, 4, 1], seed: 1, [Conv2D(2, kernelSize: 5)])) { error in
            XCTAssert("\(error)".contains("conv1"), "\(error)")
        }
        XCTAssertThrowsError(try Sequential(inputShape: [4], seed: 1, [Dense(2, name: "a"), Dense(2, name: "a")])) {
            XCTAssertEqual($0 as? LayerError, .duplicateName("a"))
        }
    }

    func testGlorotUniformStaysWithinKerasLimitAndFillsIt() throws {
        let model = try Self.kerasMNIST()
        let w = model.parameters[2].value  // conv2.weight [3,3,32,64]
        let limit = (6.0 / Float(9 * 32 + 9 * 64)).squareRoot()
        XCTAssert(w.scalars.allSatisfy { abs($0) <= limit })
        XCTAssertGreaterThan(w.scalars.map(abs).max()!, 0.99 * limit)
        XCTAssertEqual(model.parameters[1].value, Tensor(shape: [32]), "biases start at zero")
    }

    func testHeNormalHasKerasStandardDeviation() {
        let w = Initializer.heNormal.make(shape: [200, 300], seed: 1, name: "w")
        let n = Float(w.count)
        let mean = w.scalars.reduce(0, +) / n
        let std = (w.scalars.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n).squareRoot()
        XCTAssertEqual(std, (2.0 / 200).squareRoot(), accuracy: 0.003)
        XCTAssertLessThanOrEqual(w.scalars.map(abs).max()!, 2 * (2.0 / 200).squareRoot() / 0.8796 + 1e-6)
    }

    func testSameSeedSameWeightsDifferentSeedDifferentWeights() throws {
        let a = try Self.kerasMNIST(seed: 1), b = try Self.kerasMNIST(seed: 1), c = try Self.kerasMNIST(seed: 2)
        XCTAssertEqual(a.stateDict(), b.stateDict())
        XCTAssertNotEqual(a.stateDict()["conv1.weight"], c.stateDict()["conv1.weight"])
    }

    func testStateDictRoundTripAndMismatchLeavesModelUntouched() throws {
        let a = try Self.kerasMNIST(seed: 1), b = try Self.kerasMNIST(seed: 2)
        try b.loadStateDict(a.stateDict())
        XCTAssertEqual(a.stateDict(), b.stateDict())
        var bad = a.stateDict()
        bad["dense2.bias"] = Tensor(shape: [11])
        let c = try Self.kerasMNIST(seed: 3), before = c.stateDict()
        XCTAssertThrowsError(try c.loadStateDict(bad))
        XCTAssertEqual(c.stateDict(), before)
    }

    func testRecorderSeesEveryActivationAndGradientByName() throws {
        final class Log: Recorder {
            var names: [String] = []
            func record(_ kind: TensorKind, name: String, tensor: Tensor) { names.append("\(kind.rawValue):\(name)") }
        }
        let model = try Sequential(inputShape: [4], seed: 1, [Dense(3, activation: .relu), Dense(2)])
        let log = Log()
        let y = try model.forward(Tensor(shape: [2, 4], repeating: 1), context: ForwardContext(training: true, recorder: log))
        _ = model.backward(y, inputGradient: false)
        XCTAssertEqual(log.names, [
            "input:input", "activation:dense1", "activation:dense2",
            "gradient:dense2", "gradient:dense2.weight", "gradient:dense2.bias",
            "gradient:dense1", "gradient:dense1.weight", "gradient:dense1.bias",
        ])
    }

    func testNestedModelsComposeLikeAGeneratorAndDiscriminator() throws {
        let generator = Sequential([Dense(8, activation: .tanh), Dense(4)], name: "gen")
        let discriminator = Sequential([Dense(6, activation: .tanh), Dense(1)], name: "disc")
        let gan = try Sequential(inputShape: [2], seed: 1, [generator, discriminator])
        XCTAssertEqual(gan.parameters.map(\.name).first, "gen.dense1.weight")
        XCTAssertEqual(gan.parameters.map(\.name).last, "disc.dense2.bias")
        try GradientCheck.check(gan, input: GradientCheck.randomTensor([3, 2], "z"))
    }
}
