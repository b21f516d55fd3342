import Tensor

/// Keras's masking of padded steps. A sequence batch may end in padding (sequences
/// of unequal length filled up with token 0); a layer that can tell which steps are
/// padding (an `Embedding` with `maskZero`) produces a mask `[batch, time]`, 1 for a
/// real step and 0 for padding, and the model hands it to the layers after it. A
/// recurrent layer carries its state unchanged over a masked step (and repeats its last
/// real output there, as Keras's do), so padding changes neither its states nor its
/// weights' gradients; the sequence losses skip the targets −1 that padded steps have,
/// so nothing flows back from a padded step.
public protocol MaskProducingLayer: Layer {
    /// The mask of the last forward pass's output, or nil when every step is real.
    var outputMask: Tensor? { get }
}

/// A layer that uses the mask of the steps of its input (see `MaskProducingLayer`).
public protocol MaskConsumingLayer: Layer {
    /// Set by the model before each forward pass: `[batch, time]`, 1 = real step.
    var inputMask: Tensor? { get set }
}
