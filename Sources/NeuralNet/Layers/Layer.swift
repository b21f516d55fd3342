import Tensor

/// How a forward pass is run: in training (dropout active) or inference, and at
/// which step (dropout masks are drawn from a counter-based stream keyed by it).
///
/// The context also carries the recorder, so that containers (`Sequential`,
/// `Residual`) can report each child's output; layers themselves never use it.
public struct ForwardContext {
    public var training: Bool
    public var step: Int
    public var seed: UInt64
    public var recorder: Recorder?
    /// Whether a backward pass may follow, so a layer keeps what it needs (a max pooling's
    /// argmax); false only for outputs wanted for themselves (`prediction`).
    public var backwardFollows: Bool

    public init(training: Bool, step: Int = 0, seed: UInt64 = 0, recorder: Recorder? = nil,
                backwardFollows: Bool = true) {
        self.training = training
        self.step = step
        self.seed = seed
        self.recorder = recorder
        self.backwardFollows = backwardFollows
    }

    /// Inference mode; a backward pass may follow (a saliency map's).
    public static let inference = ForwardContext(training: false)
    /// Inference mode with no backward pass after it (`predictBatch`): the same outputs,
    /// without what only a backward pass reads.
    public static let prediction = ForwardContext(training: false, backwardFollows: false)
}

/// One stage of a network with its forward and backward math side by side.
///
/// Shapes exclude the batch: a Conv2D on MNIST has input shape `[28, 28, 1]`.
/// `forward` caches what `backward` needs; `backward` takes dL/dy for the last
/// forward's output, stores dL/dθ into each parameter's `gradient` (overwriting)
/// and returns dL/dx (or nil when `inputGradient` is false, which saves the work
/// for a first layer).
public protocol Layer: AnyObject {
    /// Unique within a model: `conv1`, `dense2`, `relu3`. Set by the model when
    /// it is built, unless the layer was given one.
    var name: String { get set }
    /// The layer type as a lesson file names it: `Conv2D`, `MaxPool2D`, `ReLU`.
    var kind: String { get }
    var parameters: [Parameter] { get }
    /// Fixes the per-sample input shape, creates the parameters (initialised from
    /// streams keyed by `seed` and the parameter's name) and returns the per-sample
    /// output shape; or throws `LayerError` naming this layer.
    func build(inputShape: [Int], seed: UInt64) throws -> [Int]
    func forward(_ x: Tensor, context: ForwardContext) throws -> Tensor
    func backward(_ dy: Tensor, inputGradient: Bool) -> Tensor?
    /// `backward`, skipping dL/dθ when `parameterGradients` is false (every
    /// parameter's `gradient` is then left as it was): for a pass that only looks at
    /// the gradients flowing through the model, such as a recorder's probe batch.
    func backward(_ dy: Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor?
    /// A one-line description of the configuration for manifests and summaries:
    /// `filters=32 kernel=3x3 stride=1 padding=valid`.
    var configuration: String { get }
}

public extension Layer {
    var parameters: [Parameter] { [] }
    /// A layer without parameters has no dL/dθ to skip.
    func backward(_ dy: Tensor, inputGradient: Bool, parameterGradients: Bool) -> Tensor? {
        backward(dy, inputGradient: inputGradient)
    }
    var configuration: String { "" }
}

/// Checks that a batch `x` matches the per-sample shape a layer expects.
func checkInput(_ layer: Layer, _ x: Tensor, expected: [Int]) throws {
    guard Array(x.shape.dropFirst()) == expected else {
        throw LayerError.shapeMismatch(layer: layer.name, kind: layer.kind,
                                       expected: expected, got: Array(x.shape.dropFirst()))
    }
}
