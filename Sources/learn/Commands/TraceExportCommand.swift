import ArgumentParser
import Foundation
import Lessons
import NeuralNet
import Tensor
import Trace

/// `learn trace export TRACE NAME...`: tensors of one step as NumPy `.npy` files.
struct TraceExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write chosen tensors of one step as NumPy .npy files.",
        discussion: "Example:\n  learn trace export output/cnn-mnist/trace conv1.weight gradient/conv1.weight --step 0 --out /tmp/npy")

    @Argument(help: "The trace folder.") var trace: String
    @Argument(help: "Tensor names, optionally KIND/NAME.") var names: [String]
    @Option(help: "Step (default: the last stored).") var step: Int?
    @Option(help: "Folder for the .npy files.") var out = "."

    /// Every name is resolved and every tensor read before the first file is written,
    /// so a mistake in the last name leaves no partial export behind.
    func run() throws {
        let reader = try TraceReader(directory: URL(fileURLWithPath: trace))
        let folder = URL(fileURLWithPath: out)
        let tensors = try names.map { text -> (file: URL, tensor: Tensor) in
            let name = try TraceTensorName(text, in: reader)
            let held = reader.tensors().filter { $0.kind == name.kind && $0.name == name.name }.map(\.step)
            guard let at = step ?? held.max(), held.contains(at) else {
                throw CLIError("\(name.key) is not stored at step \(step.map(String.init) ?? "any")")
            }
            let file = folder.appendingPathComponent("\(name.kind.rawValue)-\(name.name)-step\(at).npy")
            return (file, try reader.tensor(name.name, kind: name.kind, step: at))
        }
        try FileProblem.createOutputFolder(folder)
        for (file, tensor) in tensors {
            try NPY.write(tensor, to: file)
            print(file.path)
        }
    }
}
