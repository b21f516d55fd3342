import Foundation
import Tensor

/// A training state saved to one safetensors file: model parameters by their
/// trace names (`conv1.weight`), optimizer state under a prefix
/// (`optimizer/conv1.weight.m`), and run facts (step, epoch, seed) as
/// `__metadata__` strings. The file is written atomically, so a crash during a
/// save leaves the previous checkpoint intact. Python loads it with
/// `safetensors.numpy.load_file`.
///
/// ```swift
/// try Checkpoint.save(["dense.weight": w], metadata: ["step": "100"], to: url)
/// let (tensors, metadata) = try Checkpoint.load(from: url)
/// ```
public enum Checkpoint {
    public static func save(_ tensors: [String: Tensor], metadata: [String: String], to url: URL) throws {
        var file = SafetensorsWriter(metadata: metadata)
        for (name, tensor) in tensors {
            try file.add(name, tensor)
        }
        try file.write(to: url)
    }

    /// Every tensor of the file (all must be `F32`) and its metadata.
    public static func load(from url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let file = try SafetensorsFile(url: url)
        var tensors: [String: Tensor] = [:]
        for name in file.entries.keys {
            tensors[name] = try file.tensor(name)
        }
        return (tensors, file.metadata)
    }
}
