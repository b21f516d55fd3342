import Tensor

/// What a recorded tensor is, in the vocabulary of traces.
public enum TensorKind: String, Codable, Sendable, CaseIterable {
    /// A batch fed to the model.
    case input
    /// A layer's forward output (named after the layer: `conv1`).
    case activation
    /// dL/d(something): of a layer's output (`conv1`) or of a parameter (`conv1.weight`).
    case gradient
    /// A parameter's value (`conv1.weight`).
    case weight
    /// The change an optimizer step made to a parameter: θ_new − θ_old.
    case update
    /// Attention probabilities.
    case attention
    /// Recurrent state (hidden, cell, gates).
    case state
}

/// Where a step sits in training.
public struct StepInfo: Sendable, Equatable {
    /// 0-based global step (mini-batch) index.
    public var step: Int
    /// 0-based epoch.
    public var epoch: Int
    /// True on an epoch's last step.
    public var endsEpoch: Bool

    public init(step: Int, epoch: Int, endsEpoch: Bool) {
        self.step = step
        self.epoch = epoch
        self.endsEpoch = endsEpoch
    }
}

/// Receives what happens inside training, one event at a time.
///
/// Models and the trainer call a recorder at one place each (the model after each
/// layer's forward and backward, the trainer around each step); layers never see
/// it. Math code does no I/O: a recorder decides what to keep and where. With no
/// recorder attached (`nil`) nothing is called and nothing extra is computed —
/// `wants` lets a recorder decline expensive events (e.g. updates, which need a
/// copy of the old parameters) per step.
public protocol Recorder: AnyObject {
    /// Called before the step's forward pass.
    func beginStep(_ info: StepInfo)
    /// Whether tensors of `kind` should be reported during the current step.
    func wants(_ kind: TensorKind) -> Bool
    /// Whether the trainer should run its fixed probe batch through the model at
    /// the current step, so that full activations and gradients are those of the
    /// same few examples at every recorded step (not of whichever mini-batch came up).
    var wantsProbe: Bool { get }
    /// A tensor of the current step. `tensor` shares storage with the engine's
    /// (copy-on-write): keep it, don't mutate it in place.
    func record(_ kind: TensorKind, name: String, tensor: Tensor)
    /// The same, with the moments the writing kernel measured (`MeasuringLayer`), so
    /// that statistics need no pass of their own; they cover `tensor` exactly.
    func record(_ kind: TensorKind, name: String, tensor: Tensor, moments: TensorMoments?)
    /// The same for the tensor `patches.applied(to: tensor)`, handed over as `tensor` and its
    /// few differing values (a max pooling's dL/dx beside the dL/dz it sends on); `moments`
    /// cover the patched tensor. A recorder that keeps only statistics needs no copy.
    func record(_ kind: TensorKind, name: String, tensor: Tensor, moments: TensorMoments?, patches: TensorPatches)
    /// Whether the tensor `name` of `kind` would be kept this step (a recorder that
    /// keeps only some names says so, and the model measures only those).
    func wants(_ kind: TensorKind, name: String) -> Bool
    /// At a step that keeps only statistics, how many values the recorder's histogram of
    /// the tensor `name` of `kind` counts: a model whose kernel can measure a tensor without
    /// storing it may then hand over a `TensorSummary` for that sample instead
    /// (`record(_:name:summary:)`). nil: the recorder wants the tensor.
    func histogramSample(_ kind: TensorKind, name: String) -> Int?
    /// A tensor that was never stored, as its summary; false where the recorder cannot build
    /// its statistics from it (moments that are not finite need every value), and the model
    /// then hands it the tensor.
    func record(_ kind: TensorKind, name: String, summary: TensorSummary) -> Bool
    /// Scalars of the current step (loss, accuracy, learning rate, norms).
    func recordScalars(_ scalars: [String: Double])
    /// Called after the optimizer update of the current step.
    func endStep()
    /// Called at the end of an epoch with its metrics (training and validation).
    func endEpoch(_ epoch: Int, metrics: [String: Double])
}

public extension Recorder {
    func beginStep(_ info: StepInfo) {}
    func wants(_ kind: TensorKind) -> Bool { true }
    func wants(_ kind: TensorKind, name: String) -> Bool { wants(kind) }
    func record(_ kind: TensorKind, name: String, tensor: Tensor, moments: TensorMoments?) {
        record(kind, name: name, tensor: tensor)
    }
    func record(_ kind: TensorKind, name: String, tensor: Tensor, moments: TensorMoments?, patches: TensorPatches) {
        record(kind, name: name, tensor: patches.applied(to: tensor), moments: moments)
    }
    var wantsProbe: Bool { false }
    func histogramSample(_ kind: TensorKind, name: String) -> Int? { nil }
    func record(_ kind: TensorKind, name: String, summary: TensorSummary) -> Bool { false }
    func recordScalars(_ scalars: [String: Double]) {}
    func endStep() {}
    func endEpoch(_ epoch: Int, metrics: [String: Double]) {}
}
