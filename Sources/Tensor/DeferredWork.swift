import Synchronization

/// Blocks of work that may wait: the pool's helper threads run them while they
/// would otherwise spin between parallel regions (a training step's serial parts,
/// such as the optimizer update), and `finish` runs whatever is left on the caller.
///
/// Instrumentation uses it: the statistics of the tensors a step records are
/// needed only when the step ends, so their passes over memory can fill the idle
/// time of the second core instead of adding to the step. Each block must be
/// independent and must not start parallel work of its own.
///
/// ```swift
/// let work = WorkerPool.shared.deferred(blocks: n) { b in partials[b] = sums(block: b) }
/// ...                       // the step goes on; idle helpers take blocks
/// work.finish()             // the rest runs here; every block is done on return
/// ```
///
/// An optional completion runs once, after the last block, on whichever thread
/// finished that block (so it too may run in idle time); it must not start
/// parallel work on the shared pool (use `WorkerPool.serial`).
public final class DeferredWork: @unchecked Sendable {
    public let blocks: Int
    private let body: (Int) -> Void
    private let completion: (() -> Void)?
    private let nextBlock = Atomic<Int>(0)
    private let doneBlocks = Atomic<Int>(0)
    private let completed = Atomic<Bool>(false)
    private var cancelled = false
    /// The crew whose queue holds this work, if any.
    weak var crew: WorkerCrew?

    init(blocks: Int, body: @escaping (Int) -> Void, then completion: (() -> Void)?) {
        self.blocks = blocks
        self.body = body
        self.completion = completion
    }

    /// Takes and runs one block (and the completion, after the last block to finish);
    /// false when every block has been taken.
    func runOne() -> Bool {
        let b = nextBlock.add(1, ordering: .relaxed).oldValue
        guard b < blocks else { return false }
        body(b)
        if doneBlocks.add(1, ordering: .acquiringAndReleasing).newValue == blocks { complete() }
        return true
    }

    private func complete() {
        completion?()
        completed.store(true, ordering: .releasing)
    }

    /// Takes no more blocks and waits for those already running: for results no
    /// longer wanted. `finish()` then does nothing.
    public func cancel() {
        cancelled = true
        let taken = min(nextBlock.exchange(blocks, ordering: .acquiringAndReleasing), blocks)
        crew?.remove(self)
        while doneBlocks.load(ordering: .acquiring) < taken {}
        if taken == blocks && blocks > 0 { while !completed.load(ordering: .acquiring) {} }
    }

    /// Runs the blocks nobody has taken yet, then waits for those a helper is running
    /// and for the completion.
    public func finish() {
        guard !cancelled else { return }
        while runOne() {}
        crew?.remove(self)
        if blocks == 0 {
            if !completed.load(ordering: .acquiring) { complete() }
            return
        }
        while !completed.load(ordering: .acquiring) {}
    }
}
