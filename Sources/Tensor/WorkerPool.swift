import Dispatch

/// Runs independent blocks of work on all cores, or on `threads` of them.
///
/// Callers cut their work into a fixed number of blocks that does not depend on
/// the thread count, and each block writes only its own outputs; so a result is
/// bit-identical with 1 or N threads. The pool only decides who runs which block.
///
/// ```swift
/// WorkerPool.shared.threads = 1          // e.g. from `--threads 1`
/// WorkerPool.shared.run(blocks: rows) { r in ... }
/// ```
public final class WorkerPool: @unchecked Sendable {
    /// The process-wide pool that kernels use.
    public static let shared = WorkerPool()
    /// Runs every block on the calling thread: for kernels called from inside a block
    /// of `shared`, which must not fan out again.
    static let serial = WorkerPool(threads: 1)

    /// Number of threads to use; defaults to the number of active cores.
    public var threads: Int {
        didSet { threads = max(1, threads) }
    }

    public init(threads: Int = WorkerPool.coreCount) {
        self.threads = max(1, threads)
    }

    public static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Calls `body(b)` once for every `b` in `0..<blocks`, spread over the threads.
    /// Worker `w` takes blocks `w, w + T, w + 2T, ...`; `body` must not depend on
    /// which worker runs it.
    public func run(blocks: Int, _ body: (Int) -> Void) {
        let workers = min(threads, blocks)
        if workers <= 1 {
            for b in 0..<blocks { body(b) }
            return
        }
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var b = w
                while b < blocks {
                    body(b)
                    b += workers
                }
            }
        }
    }

    /// Like `run(blocks:_:)` but also passes the worker index `w` in `0..<min(threads, blocks)`,
    /// for kernels that keep one scratch buffer per worker.
    public func runWithWorker(blocks: Int, _ body: (_ block: Int, _ worker: Int) -> Void) {
        let workers = min(threads, blocks)
        if workers <= 1 {
            for b in 0..<blocks { body(b, 0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var b = w
                while b < blocks {
                    body(b, w)
                    b += workers
                }
            }
        }
    }

    /// Number of workers a call with `blocks` blocks will use.
    public func workers(for blocks: Int) -> Int { max(1, min(threads, blocks)) }
}

import Foundation
