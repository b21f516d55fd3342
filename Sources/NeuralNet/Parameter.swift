import Tensor

/// A trainable tensor with its name and its gradient.
///
/// Names follow Keras's convention, `layer.weight` / `layer.bias`
/// (`conv1.weight`), and are the names that traces, checkpoints and figures
/// show. `gradient` holds dL/dθ for the current mini-batch after `backward`;
/// an optimizer reads it and updates `value`.
public final class Parameter {
    public let name: String
    public var value: Tensor
    public var gradient: Tensor
    /// Whether L2 weight decay applies (weights yes, biases no, as in Keras's
    /// `kernel_regularizer`).
    public let decays: Bool

    public init(name: String, value: Tensor, decays: Bool) {
        self.name = name
        self.value = value
        self.gradient = Tensor(shape: value.shape)
        self.decays = decays
    }

    public var shape: [Int] { value.shape }
}
