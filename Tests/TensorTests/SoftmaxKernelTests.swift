import XCTest
import Foundation
@testable import Tensor

/// The sparse softmax cross-entropy, now cut into parallel blocks of rows, gives the
/// bits of the one-pass loop it replaced (kept here as the reference), for 1 and 2
/// threads, with rows labelled −1 among the others.
final class SoftmaxKernelTests: XCTestCase {
    /// The former sequential loop: each row's gradient, and the losses summed in Double in row order.
    func reference(_ z: [Float], _ labels: [Int], classes: Int, counted: Float) -> (Double, [Float]) {
        var g = [Float](repeating: 0, count: z.count), total: Double = 0
        for r in 0..<labels.count where labels[r] >= 0 {
            let row = Array(z[(r * classes)..<((r + 1) * classes)])
            let zMax = row.max()!
            var sum: Float = 0
            for j in 0..<classes { g[r * classes + j] = exp(row[j] - zMax); sum += g[r * classes + j] }
            for j in 0..<classes {
                let p = g[r * classes + j] / sum
                g[r * classes + j] = (j == labels[r] ? p - 1 : p) / counted
            }
            total += Double(zMax + log(sum) - row[labels[r]])
        }
        return (total, g)
    }

    func testBlocksGiveTheSequentialBitsForOneAndTwoThreads() {
        let (rows, classes) = (1_000, 64)
        let z = randomScalars(rows * classes, "logits").map { $0 * 8 }
        let labels = (0..<rows).map { $0 % 7 == 3 ? -1 : ($0 * 13) % classes }
        let logits = Tensor(shape: [rows, classes], scalars: z)
        let (total, gradient) = reference(z, labels, classes: classes, counted: 857)
        for threads in [1, 2] {
            let fast = withThreads(threads) { SoftmaxKernel.sparseCrossEntropy(logits: logits, labels: labels, counted: 857) }
            XCTAssertEqual(fast.total.bitPattern, total.bitPattern, "\(threads) threads: loss")
            XCTAssertEqual(fast.gradient.scalars.map(\.bitPattern), gradient.map(\.bitPattern), "\(threads) threads: gradient")
        }
    }
}
