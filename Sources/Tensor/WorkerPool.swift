import Dispatch
import Synchronization

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
    public static let serial = WorkerPool(threads: 1)

    /// Number of threads to use; defaults to the number of active cores.
    public var threads: Int {
        didSet { threads = max(1, threads) }
    }

    private let crew = WorkerCrew()
    private let regions = Atomic<Int>(0)

    /// Parallel regions opened so far: calls with more than one block, each a barrier
    /// when the pool has several threads (counted with one thread too, so that a count
    /// does not depend on `threads`). For measuring how many a training step opens.
    public var regionCount: Int { regions.load(ordering: .relaxed) }

    public init(threads: Int = WorkerPool.coreCount) {
        self.threads = max(1, threads)
    }

    public static var coreCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Calls `body(b)` once for every `b` in `0..<blocks`, spread over the threads.
    /// `body` must not depend on which worker runs it.
    public func run(blocks: Int, _ body: (Int) -> Void) {
        runWithWorker(blocks: blocks) { b, _ in body(b) }
    }

    /// Like `run(blocks:_:)` but also passes the worker index `w` in `0..<min(threads, blocks)`,
    /// for kernels that keep one scratch buffer per worker. Blocks are handed out in
    /// order to whichever worker asks next, so a thread that starts late (a busy
    /// machine) just takes fewer of them instead of holding up a fixed share; each
    /// worker index is used by one thread at a time. The threads are `WorkerCrew`'s,
    /// which stay awake between the short regions of a training step.
    public func runWithWorker(blocks: Int, _ body: (_ block: Int, _ worker: Int) -> Void) {
        if blocks > 1 { regions.add(1, ordering: .relaxed) }
        let workers = min(threads, blocks)
        if workers <= 1 {
            for b in 0..<blocks { body(b, 0) }
            return
        }
        if crew.run(blocks: blocks, workers: workers, body) { return }
        // The crew is busy (a nested or concurrent call): Dispatch's threads take this one.
        let queue = BlockQueue(count: blocks)
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                while let b = queue.next() { body(b, w) }
            }
        }
    }

    /// Work whose blocks idle helpers may run from now on; call `finish()` on it
    /// before using its results. With one thread, `finish()` runs every block.
    public func deferred(blocks: Int, _ body: @escaping (Int) -> Void,
                         then completion: (() -> Void)? = nil) -> DeferredWork {
        let work = DeferredWork(blocks: blocks, body: body, then: completion)
        if threads > 1 && blocks > 0 { crew.enqueue(work) }
        return work
    }

    /// Number of workers a call with `blocks` blocks will use.
    public func workers(for blocks: Int) -> Int { max(1, min(threads, blocks)) }
}

import Foundation

/// Hands out 0, 1, 2, … once each to concurrent callers.
private final class BlockQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var nextBlock = 0
    private let count: Int

    init(count: Int) { self.count = count }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextBlock < count else { return nil }
        nextBlock += 1
        return nextBlock - 1
    }
}
