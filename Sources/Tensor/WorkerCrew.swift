import Foundation
import Synchronization

/// The helper threads behind `WorkerPool`: they wait for the next parallel region
/// by spinning for a moment, then sleep.
///
/// A training step opens dozens of short parallel regions (each GEMM, pooling,
/// statistics pass). Waking a sleeping thread for each one costs 10–15 µs on this
/// kind of machine, as much as a small region's work, so a helper that has just
/// finished keeps watching for the next job for `spinNanoseconds` before it parks
/// on a condition variable. Measured on 2 cores, a region of two 6 µs blocks took
/// 19 µs with `DispatchQueue.concurrentPerform` and 7 µs here.
///
/// One job runs at a time. A helper joins a job by taking one of its open seats
/// (its seat number is its worker index); the caller works through the blocks
/// too, closes the seats when it runs out of blocks and waits only for the helpers
/// that joined, so it never waits for a sleeping thread to wake up. `run` returns
/// false when a job is already running (a nested or concurrent call): the caller
/// then runs its blocks some other way.
final class WorkerCrew: @unchecked Sendable {
    /// How long an idle helper keeps spinning before it sleeps.
    static let spinNanoseconds: UInt64 = 200_000
    /// Spins between `sched_yield` calls while the caller waits for the helpers that joined
    /// its job, and while an idle helper waits for the next job (0: never yield): a spinning
    /// thread holds a core that another runnable thread could use. Measured on the 2-core
    /// machine (Transformer benchmark, December 2026): an idle helper that yields every 4096
    /// spins gave ~20 % more inference at load ~2; a caller that yields cost training time
    /// there and inference beside two busy loops, so the caller spins. Under two busy loops
    /// neither result was steady. Under real load (load average ~9 from four compilers, five
    /// interleaved rounds, medians) the helper's yield gave +18 % training (47.1k vs 39.8k
    /// tokens/s) and +16 % inference (122k vs 105k); a yielding caller changed neither beyond
    /// the noise (46.1k / 124k). `LEARN_CALLER_SPINS_PER_YIELD` and
    /// `LEARN_HELPER_SPINS_PER_YIELD` override them, for A/B runs.
    static let callerSpinsPerYield = spinsPerYield("LEARN_CALLER_SPINS_PER_YIELD", default: 0)
    static let helperSpinsPerYield = spinsPerYield("LEARN_HELPER_SPINS_PER_YIELD", default: 4096)

    private static func spinsPerYield(_ variable: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[variable].flatMap { Int($0) }.map { max(0, $0) } ?? value
    }

    private struct Job {
        let blocks: Int
        let body: (_ block: Int, _ worker: Int) -> Void
    }

    private let busy = Atomic<Bool>(false)
    private let generation = Atomic<Int>(0)
    private let openSeats = Atomic<Int>(0)
    private let finishedHelpers = Atomic<Int>(0)
    private let nextBlock = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let wakeUp = NSCondition()
    /// Deferred work waiting for an idle helper, oldest first.
    private let queueLock = NSLock()
    private var queue: [DeferredWork] = []
    private let queued = Atomic<Int>(0)
    /// Written by the caller before a job is published, read by the helpers that join it.
    private var job: Job?
    private var helpers = 0

    /// Runs `body` over `blocks` blocks on the caller and up to `workers − 1`
    /// helpers; false (and nothing run) if another job holds the crew.
    func run(blocks: Int, workers: Int, _ body: (_ block: Int, _ worker: Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        hire(workers - 1)
        withoutActuallyEscaping(body) { body in
            job = Job(blocks: blocks, body: body)
            nextBlock.store(0, ordering: .relaxed)
            finishedHelpers.store(0, ordering: .relaxed)
            openSeats.store(workers - 1, ordering: .releasing)
            generation.add(1, ordering: .sequentiallyConsistent)
            wakeSleepers()
            drain(worker: 0)
            // Seats nobody took are closed; wait for those who did take one.
            let joined = workers - 1 - openSeats.exchange(0, ordering: .acquiringAndReleasing)
            var spins = 0
            while finishedHelpers.load(ordering: .acquiring) < joined {
                spins += 1
                yieldIfDue(spins, every: Self.callerSpinsPerYield)
            }
            job = nil
        }
        return true
    }

    /// Takes blocks until none are left.
    private func drain(worker: Int) {
        guard let job else { return }
        take(job.blocks, job.body, worker: worker)
    }

    /// The loop of `drain`, with the body borrowed as a parameter: called through the
    /// job's stored copy instead, each block retained and released the closure's
    /// context, an atomic operation on a line that every worker touches (~60 ns a
    /// block; with a max pooling of 416 blocks a job, part of the 7 % of inference
    /// samples that swift_retain and swift_release took).
    private func take(_ blocks: Int, _ body: (_ block: Int, _ worker: Int) -> Void, worker: Int) {
        while true {
            let b = nextBlock.add(1, ordering: .relaxed).oldValue
            guard b < blocks else { return }
            body(b, worker)
        }
    }

    /// Starts helper threads until there are `count`.
    private func hire(_ count: Int) {
        while helpers < count {
            helpers += 1
            let thread = Thread { [self] in helperLoop() }
            thread.name = "learn.worker.\(helpers)"
            thread.start()
        }
    }

    private func helperLoop() {
        var seen = generation.load(ordering: .sequentiallyConsistent)
        while true {
            seen = waitForJob(after: seen)
            // Take a seat if one is open; its number is this helper's worker index.
            var seats = openSeats.load(ordering: .acquiring)
            while seats > 0 {
                let (exchanged, current) = openSeats.compareExchange(expected: seats, desired: seats - 1,
                                                                     ordering: .acquiringAndReleasing)
                if exchanged {
                    drain(worker: seats)
                    finishedHelpers.add(1, ordering: .releasing)
                    break
                }
                seats = current
            }
        }
    }

    /// Queues `work` for idle helpers (none run it if the pool has no helpers; its
    /// `finish` then does it all).
    func enqueue(_ work: DeferredWork) {
        work.crew = self
        queueLock.withLock { queue.append(work) }
        queued.add(1, ordering: .sequentiallyConsistent)
        wakeSleepers()
    }

    /// Wakes helpers parked in `waitForJob` (after publishing a job or queued work).
    private func wakeSleepers() {
        guard sleepers.load(ordering: .sequentiallyConsistent) > 0 else { return }
        wakeUp.lock()
        wakeUp.broadcast()
        wakeUp.unlock()
    }

    /// Runs one block of the oldest deferred work; false if there was none.
    private func runDeferredBlock() -> Bool {
        guard queued.load(ordering: .relaxed) > 0 else { return false }
        while let work = queueLock.withLock({ queue.first }) {
            if work.runOne() { return true }
            remove(work)
        }
        return false
    }

    /// Drops `work` from the queue (every block taken) if it is still there.
    func remove(_ work: DeferredWork) {
        queueLock.withLock {
            guard let i = queue.firstIndex(where: { $0 === work }) else { return }
            queue.remove(at: i)
            queued.subtract(1, ordering: .relaxed)
        }
    }

    /// Gives the core away at every `period`-th spin of a wait (never for 0).
    @inline(__always)
    private func yieldIfDue(_ spins: Int, every period: Int) {
        if period > 0 && spins % period == 0 { sched_yield() }
    }

    /// Spins until the generation moves past `seen`, running deferred blocks meanwhile,
    /// and sleeps once the spin time is up.
    private func waitForJob(after seen: Int) -> Int {
        var start = DispatchTime.now().uptimeNanoseconds
        var spins = 0
        let period = Self.helperSpinsPerYield
        while true {
            let current = generation.load(ordering: .sequentiallyConsistent)
            if current != seen { return current }
            if runDeferredBlock() {
                start = DispatchTime.now().uptimeNanoseconds
                continue
            }
            spins += 1
            if spins & 255 == 0 && DispatchTime.now().uptimeNanoseconds - start > Self.spinNanoseconds { break }
            yieldIfDue(spins, every: period)
        }
        wakeUp.lock()
        defer { wakeUp.unlock() }
        sleepers.add(1, ordering: .sequentiallyConsistent)
        defer { sleepers.subtract(1, ordering: .sequentiallyConsistent) }
        while true {
            let current = generation.load(ordering: .sequentiallyConsistent)
            if current != seen || queued.load(ordering: .sequentiallyConsistent) > 0 { return current }
            wakeUp.wait()
        }
    }
}
