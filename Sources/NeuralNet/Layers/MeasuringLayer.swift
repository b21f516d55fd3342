import Tensor

/// A layer whose kernels can measure the tensors they write — the moments of each
/// piece (`TensorMoments`), taken while the piece is still in cache — so that a
/// recorder's statistics of its output and of dL/d(its input) need no second pass
/// over memory.
///
/// The model that runs the layer asks for a measurement before each pass (only when
/// its recorder will keep that tensor's statistics) and passes the moments on with
/// the tensor; a pass that was not asked to measure leaves its moments nil.
public protocol MeasuringLayer: Layer {
    /// Whether the next forward pass measures its output.
    var measuresOutput: Bool { get set }
    /// Whether the next backward pass measures the dL/dx it returns.
    var measuresInputGradient: Bool { get set }
    /// Moments of the last forward's output, if it was measured.
    var outputMoments: TensorMoments? { get }
    /// Moments of the last backward's dL/dx, if it was measured.
    var inputGradientMoments: TensorMoments? { get }
}
