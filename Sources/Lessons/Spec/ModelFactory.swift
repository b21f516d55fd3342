import NeuralNet
import Tensor

/// Turns a lesson's typed spec into engine objects: layers, a built model, the
/// loss and the optimizer.
public enum ModelFactory {
    public static func layer(_ spec: LayerSpec) -> Layer {
        switch spec {
        case let .conv2D(filters, kernel, stride, padding, activation, initializer):
            return Conv2D(filters, kernelSize: kernel, stride: stride, padding: padding,
                          activation: activation.activation, weightInitializer: initializer)
        case let .dense(units, activation, initializer, _, _, _):
            return Dense(units, activation: activation.activation, weightInitializer: initializer)
        case let .maxPool2D(size, stride):
            return MaxPool2D(size: size, stride: stride)
        case .flatten:
            return Flatten()
        case let .reshape(targetShape):
            return Reshape(targetShape)
        case let .dropout(rate):
            return Dropout(rate: Float(rate))
        case .softmax:
            return SoftmaxLayer()
        case let .activation(type, alpha):
            return ActivationLayer(activation(type, alpha: alpha))
        case let .embedding(vocabulary, dimension, maskZero):
            // An unresolved vocabulary (0) is refused when the model is built (`model`).
            return Embedding(vocabulary: vocabulary ?? 0, dimension: dimension, maskZero: maskZero)
        case let .recurrent(type, units, returnSequences, gain):
            let layer: RecurrentBase & Layer
            switch type {
            case .simpleRNN: layer = SimpleRNN(units, returnSequences: returnSequences)
            case .lstm: layer = LSTM(units, returnSequences: returnSequences)
            case .gru: layer = GRU(units, returnSequences: returnSequences)
            }
            layer.recurrentGain = Float(gain ?? 1)
            return layer
        case let .layerNorm(epsilon):
            return LayerNorm(epsilon: Float(epsilon ?? 1e-3))
        case let .positionalEncoding(kind, context):
            return PositionalEncoding(kind, context: context)
        case let .multiHeadAttention(heads, keySize, causal, dropout):
            return MultiHeadAttention(heads: heads, keySize: keySize, causal: causal, dropout: Float(dropout))
        case let .transformerBlock(heads, keySize, feedForward, causal, dropout):
            return TransformerBlock(heads: heads, keySize: keySize, feedForward: feedForward, causal: causal,
                                    dropout: Float(dropout))
        }
    }

    /// The function of an activation layer; LeakyReLU's slope is the lesson's `alpha` or Keras's 0.3.
    public static func activation(_ type: ActivationLayerType, alpha: Double?) -> Activation {
        switch type {
        case .relu: return .relu
        case .leakyReLU: return .leakyReLU(alpha: Float(alpha ?? ActivationLayerType.defaultLeakyAlpha))
        case .sigmoid: return .sigmoid
        case .tanh: return .tanh
        case .gelu: return .gelu
        }
    }

    /// The model for per-example input shape `inputShape`, or a `LessonError`
    /// naming the layer whose shapes do not fit.
    public static func model(_ layers: [LayerSpec], file: String, inputShape: [Int], seed: UInt64) throws -> Sequential {
        if let index = layers.firstIndex(where: \.needsVocabulary) {
            throw LessonError.spec(file: file, line: nil, key: "model.layers[\(index)]",
                                   message: "the size 'vocabulary' comes from a text dataset's vocabulary, and this "
                                       + "lesson's data has none", hint: "give a number")
        }
        let model: Sequential
        do {
            model = try Sequential(inputShape: inputShape, seed: seed, layers.map(layer))
        } catch let error as LayerError {
            throw LessonError.spec(file: file, line: nil, key: "model.layers",
                                   message: error.description, hint: nil)
        }
        try setStartingValues(layers, of: model, file: file)
        return model
    }

    /// The `weights` and `bias` a lesson gives its Dense layers, in place of the initializer's.
    /// The parser checked each row against the units; only the number of inputs is new here.
    private static func setStartingValues(_ layers: [LayerSpec], of model: Sequential, file: String) throws {
        for (index, (spec, built)) in zip(layers, model.layers).enumerated() {
            guard case let .dense(_, _, _, weights, bias, _) = spec, let dense = built as? Dense else { continue }
            func set(_ parameter: Parameter, _ values: [Double], shape: [Int], _ key: String, layout: String) throws {
                guard shape == parameter.shape else {
                    throw LessonError.spec(file: file, line: nil, key: "model.layers[\(index)].\(key)",
                                           message: "\(parameter.name) has shape \(parameter.shape)\(layout), "
                                               + "but the lesson gives \(shape)", hint: nil)
                }
                parameter.value = Tensor(shape: shape, scalars: values.map(Float.init))
            }
            if let weights {
                try set(dense.weight, weights.flatMap { $0 }, shape: [weights.count, weights[0].count], "weights",
                        layout: " (inputs × units)")
            }
            if let bias { try set(dense.bias, bias, shape: [bias.count], "bias", layout: "") }
        }
    }

    public static func loss(_ name: LossName) -> Loss {
        switch name {
        case .softmaxCrossEntropy: return SoftmaxCrossEntropy()
        case .mse: return MeanSquaredError()
        case .binaryCrossEntropy: return BinaryCrossEntropy()
        case .negativeSampling: return NegativeSampling()
        }
    }

    /// The optimizer with Keras's default learning rate unless the lesson or CLI gives one.
    public static func optimizer(_ t: TrainingSpec, learningRate override: Double?, totalSteps: Int) -> Optimizer {
        let lr = (override ?? t.learningRate).map(Float.init)
        let made = optimizer(t.optimizer, learningRate: lr, momentum: Float(t.momentum),
                             schedule: schedule(t.schedule, totalSteps: totalSteps))
        if let beta1 = t.beta1, let adam = made as? Adam {
            return Adam(learningRate: adam.learningRate, beta1: Float(beta1), schedule: adam.schedule)
        }
        return made
    }

    /// The learning-rate schedule over a run of `totalSteps` steps.
    public static func schedule(_ name: ScheduleName, totalSteps: Int) -> LearningRateSchedule {
        switch name {
        case .constant: return .constant
        case .step: return .step(every: max(1, totalSteps / 3), factor: 0.5)
        case .cosine: return .cosine(totalSteps: max(1, totalSteps), minimumFactor: 0.0)
        }
    }

    /// The optimizer a lesson names, with Keras's defaults for everything but the
    /// rate (Keras's default when nil), momentum and schedule.
    public static func optimizer(_ name: OptimizerName, learningRate lr: Float?, momentum: Float,
                                 schedule: LearningRateSchedule = .constant) -> Optimizer {
        switch name {
        case .sgd, .momentum: return SGD(learningRate: lr ?? 0.01, momentum: momentum, schedule: schedule)
        case .nesterov: return SGD(learningRate: lr ?? 0.01, momentum: momentum, nesterov: true, schedule: schedule)
        case .rmsprop: return RMSprop(learningRate: lr ?? 0.001, schedule: schedule)
        case .adam: return Adam(learningRate: lr ?? 0.001, schedule: schedule)
        }
    }
}
