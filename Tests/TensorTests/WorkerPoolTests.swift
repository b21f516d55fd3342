import Foundation
import XCTest
@testable import Tensor

/// The pool's crew of spinning helpers: every block runs once, on a worker index
/// in range, also when calls nest or come from two threads at once (the crew
/// takes one job at a time; the other call runs on Dispatch's threads).
final class WorkerPoolTests: XCTestCase {
    func testEveryBlockRunsOnceOnAWorkerInRange() {
        let pool = WorkerPool(threads: 3)
        for blocks in [2, 3, 7, 64] {
            for _ in 0..<300 {
                let workers = pool.workers(for: blocks)
                var runs = [Int](repeating: 0, count: blocks), workerSeen = [Int](repeating: -1, count: blocks)
                runs.withUnsafeMutableBufferPointer { runs in
                    workerSeen.withUnsafeMutableBufferPointer { seen in
                        pool.runWithWorker(blocks: blocks) { b, w in
                            runs[b] += 1
                            seen[b] = w
                        }
                    }
                }
                XCTAssertEqual(runs, [Int](repeating: 1, count: blocks))
                XCTAssertTrue(workerSeen.allSatisfy { (0..<workers).contains($0) }, "\(workerSeen)")
            }
        }
    }

    func testNestedCallsComplete() {
        let pool = WorkerPool(threads: 2)
        var sums = [Int](repeating: 0, count: 4)
        sums.withUnsafeMutableBufferPointer { sums in
            pool.run(blocks: 4) { outer in
                let inner = UnsafeMutablePointer<Int>.allocate(capacity: 8)
                defer { inner.deallocate() }
                pool.run(blocks: 8) { i in inner[i] = outer * 10 + i }
                sums[outer] = (0..<8).reduce(0) { $0 + inner[$1] }
            }
        }
        XCTAssertEqual(sums, (0..<4).map { 80 * $0 + 28 })
    }

    func testConcurrentCallersBothComplete() {
        let pool = WorkerPool(threads: 2)
        let results = UnsafeMutablePointer<Int>.allocate(capacity: 2 * 1000)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 2) { caller in
            for round in 0..<50 {
                pool.run(blocks: 1000) { b in results[caller * 1000 + b] = round + b }
            }
        }
        for caller in 0..<2 {
            XCTAssertEqual((0..<1000).map { results[caller * 1000 + $0] }, (0..<1000).map { 49 + $0 })
        }
    }
}

/// Deferred work: every block once, then the completion once, whoever runs them.
final class DeferredWorkTests: XCTestCase {
    func testEveryBlockAndTheCompletionRunOnce() {
        let pool = WorkerPool(threads: 2)
        pool.run(blocks: 4) { _ in }   // hires the helper, which then takes deferred blocks when idle
        for _ in 0..<200 {
            let runs = UnsafeMutablePointer<Int>.allocate(capacity: 64)
            runs.initialize(repeating: 0, count: 64)
            defer { runs.deallocate() }
            var completions = 0, blocksDoneAtCompletion = -1
            let work = pool.deferred(blocks: 64, { b in runs[b] += 1 }, then: {
                completions += 1
                blocksDoneAtCompletion = (0..<64).reduce(0) { $0 + runs[$1] }
            })
            pool.run(blocks: 8) { _ in }   // a parallel job meanwhile
            work.finish()
            XCTAssertEqual((0..<64).map { runs[$0] }, [Int](repeating: 1, count: 64))
            XCTAssertEqual(completions, 1)
            XCTAssertEqual(blocksDoneAtCompletion, 64, "the completion runs after the last block")
        }
    }

    func testOneThreadRunsEverythingInFinish() {
        let pool = WorkerPool(threads: 1)
        var order: [Int] = []
        let work = pool.deferred(blocks: 3, { order.append($0) }, then: { order.append(-1) })
        XCTAssertEqual(order, [], "nothing runs before finish")
        work.finish()
        XCTAssertEqual(order, [0, 1, 2, -1])
    }

    func testCancelledWorkTakesNoMoreBlocks() {
        let pool = WorkerPool(threads: 1)
        var runs = 0
        let work = pool.deferred(blocks: 5, { _ in runs += 1 }, then: { XCTFail("no completion") })
        work.cancel()
        work.finish()
        XCTAssertEqual(runs, 0)
    }
}
