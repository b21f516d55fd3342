import Foundation

/// Softmax cross-entropy from logits with one class label per row (sparse labels),
/// fused in one pass per row: no one-hot target, no probability tensor. With
/// p = softmax(z) and lse = max z + log Σ_k exp(z_k − max z),
///
///     loss_r = lse_r − z_r[label_r]                (the one non-zero target class)
///     dL/dz_r = (p_r − onehot(label_r)) / counted
///
/// A row labelled −1 counts for nothing: no loss, zero gradient. The arithmetic is
/// the dense rule's (`SoftmaxCrossEntropy`) with its zero-target terms left out: each
/// dropped term added exactly 0, and p·1 − 0 = p, so the bits are the same.
public enum SoftmaxKernel {
    /// Writes dL/dz for `rows` rows of `classes` logits into `gradient` and returns
    /// Σ_r loss_r (summed in Double, in row order); labels must be −1 or in 0..<classes.
    /// Rows are independent, so blocks of `blockRows` run in parallel, each row's loss
    /// kept apart and the sum taken after, in row order: the same bits for any thread count.
    public static func sparseCrossEntropy(logits: UnsafePointer<Float>, labels: UnsafePointer<Int>, rows: Int,
                                          classes: Int, counted: Float,
                                          gradient: UnsafeMutablePointer<Float>) -> Double {
        let losses = UnsafeMutablePointer<Float>.allocate(capacity: rows)
        defer { losses.deallocate() }
        let blocks = (rows + blockRows - 1) / blockRows
        let pool = rows * classes < serialValues ? WorkerPool.serial : WorkerPool.shared
        pool.run(blocks: blocks) { b in
            for r in (b * blockRows)..<min(rows, (b + 1) * blockRows) {
                losses[r] = row(logits + r * classes, label: labels[r], classes: classes, counted: counted,
                                gradient: gradient + r * classes)
            }
        }
        var total: Double = 0
        for r in 0..<rows where labels[r] >= 0 { total += Double(losses[r]) }
        return total
    }

    /// Rows per parallel block, and the size (rows · classes) below which one thread does it all.
    static let blockRows = 128
    static let serialValues = 16_384

    /// One row: dL/dz into `g`, and loss_r (0 for a row labelled −1, which counts for nothing).
    @inline(__always)
    private static func row(_ z: UnsafePointer<Float>, label: Int, classes: Int, counted: Float,
                            gradient g: UnsafeMutablePointer<Float>) -> Float {
        guard label >= 0 else {
            g.update(repeating: 0, count: classes)
            return 0
        }
        // p_j = exp(z_j − max z) / Σ_k exp(z_k − max z), the sum in class order.
        var zMax = z[0]
        for j in 1..<classes where z[j] > zMax { zMax = z[j] }
        var sum: Float = 0
        for j in 0..<classes {
            g[j] = exp(z[j] - zMax)
            sum += g[j]
        }
        for j in 0..<classes {
            let p = g[j] / sum
            g[j] = (j == label ? p - 1 : p) / counted
        }
        return zMax + log(sum) - z[label]
    }
}

extension SoftmaxKernel {
    /// `sparseCrossEntropy` on a logits tensor (the last axis holds the classes, one
    /// label per row): Σ_r loss_r and dL/dz shaped like the logits.
    public static func sparseCrossEntropy(logits: Tensor, labels: [Int], counted: Float) -> (total: Double, gradient: Tensor) {
        let classes = logits.shape.last ?? 1
        precondition(classes >= 1 && labels.count * classes == logits.count, "softmax: \(labels.count) labels for \(logits.shape)")
        var total: Double = 0
        let gradient = [Float](unsafeUninitializedCapacity: logits.count) { g, count in
            logits.scalars.withUnsafeBufferPointer { z in
                labels.withUnsafeBufferPointer { l in
                    if let z = z.baseAddress, let l = l.baseAddress, let g = g.baseAddress {
                        total = sparseCrossEntropy(logits: z, labels: l, rows: labels.count, classes: classes,
                                                   counted: counted, gradient: g)
                    }
                }
            }
            count = logits.count
        }
        return (total, Tensor(shape: logits.shape, scalars: gradient))
    }
}
