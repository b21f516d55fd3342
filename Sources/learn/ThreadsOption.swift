import ArgumentParser
import Foundation
import Tensor

/// `--threads N`, shared by the commands that train or infer. More threads than the
/// machine has cores only slow a run down (results are the same for any count), so
/// such a request is clamped to the core count with a warning on stderr.
struct ThreadsOption: ParsableArguments {
    @Option(help: "Worker threads (default: all cores; at most the number of cores).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// Sets the shared pool's thread count to `threads`, clamped to `cores`.
    func apply(cores: Int = WorkerPool.coreCount) {
        guard let threads else { return }
        if threads > cores {
            FileHandle.standardError.write(Data(
                "warning: --threads \(threads) is more than the \(cores) core\(cores == 1 ? "" : "s") here; using \(cores)\n".utf8))
        }
        WorkerPool.shared.threads = min(threads, cores)
    }
}
