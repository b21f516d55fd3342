import Tensor

/// Matrices laid side by side along their columns: how
/// `MultiHeadAttention` runs its three projections as one product,
///
///     [Q K V] = x · [W_q W_k W_v] + [b_q b_k b_v]
///
/// (`Tensor.columns` takes the fused weight gradient xᵀ · [dQ dK dV] apart again).
enum ColumnBlocks {
    /// [A B …] for matrices `[rows, n_i]` with the same rows (vectors count as one row).
    static func joined(_ parts: [Tensor], rows: Int) -> Tensor {
        let widths = parts.map { $0.count / max(rows, 1) }, total = widths.reduce(0, +)
        var out = [Float]()
        out.reserveCapacity(rows * total)
        for r in 0..<rows {
            for (part, w) in zip(parts, widths) { out += part.scalars[(r * w)..<((r + 1) * w)] }
        }
        return Tensor(shape: rows == 1 ? [total] : [rows, total], scalars: out)
    }
}
