import Tensor

/// Passes on only parameter gradients: what a training pass contributes at a
/// step where the probe batch supplies the activations (`Trainer.recordProbe`).
final class ParameterGradientRecorder: Recorder {
    let base: Recorder
    let names: Set<String>

    init(_ base: Recorder, names: Set<String>) {
        self.base = base
        self.names = names
    }

    func wants(_ kind: TensorKind) -> Bool { kind == .gradient && base.wants(kind) }
    func wants(_ kind: TensorKind, name: String) -> Bool { wants(kind) && names.contains(name) }
    func record(_ kind: TensorKind, name: String, tensor: Tensor) {
        record(kind, name: name, tensor: tensor, moments: nil)
    }
    func record(_ kind: TensorKind, name: String, tensor: Tensor, moments: TensorMoments?) {
        if wants(kind, name: name) { base.record(kind, name: name, tensor: tensor, moments: moments) }
    }
    func record(_ kind: TensorKind, name: String, tensor: Tensor, moments: TensorMoments?, patches: TensorPatches) {
        if wants(kind, name: name) { base.record(kind, name: name, tensor: tensor, moments: moments, patches: patches) }
    }
}
