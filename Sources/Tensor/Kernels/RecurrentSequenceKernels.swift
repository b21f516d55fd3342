/// The time loops of LSTM, GRU and SimpleRNN, forward and backward, over a whole
/// sequence batch in time-major buffers (`SequenceLayout`): step t's rows are
/// `t·batch ..< (t+1)·batch`; state buffers (`cells`, `hiddens`) hold T + 1 blocks,
/// block 0 the initial state, so step t reads block t and writes block t + 1; `real`
/// holds one flag per time-major row (false: a padded step, which carries its state).
///
/// The sequences of a batch are independent, so the batch is cut into fixed blocks of
/// `rowsPerBlock` sequences and each pass is one parallel region over the blocks, each
/// block running all its time steps: per step a GEMM on the block's rows (h_{t−1}·U
/// forward, dZ_t·Uᵀ backward, through the shared `GEMM`, serially inside the block,
/// with U packed once per pass: `withPanels`) and the step's gate math
/// (`RecurrentCellKernels`). One region per pass instead of one
/// per step: the threads meet twice per training step, not 2·T times. The blocks, and
/// so every GEMM's shape and summation order, are the same for any thread count.
public enum RecurrentSequenceKernels {
    /// Six sequences per block, the GEMM's register tile height: a batch of 32 is five
    /// full tiles and one of two rows (as wasteful as two blocks of 16: 36 rows' work for
    /// 32), but six blocks instead of two, so a core that the machine slows down hands
    /// its blocks to the other instead of holding up the pass. Every per-element sum is
    /// the same for blocks of up to 16 rows (`GEMMPlan` splits the depth by k alone there).
    public static let rowsPerBlock = 6

    // MARK: LSTM

    /// For t = 0 … T−1: z_t = gates rows (x_t·W + b on entry) + h_{t−1}·U, then
    /// `RecurrentCellKernels.lstmForward` turns z_t into the gates and writes c_t, h_t.
    /// Returns the cell and hidden states `[(T + 1)·B, u]`, block 0 (the initial state) zero.
    public static func lstmForward(batch: Int, time: Int, units u: Int, recurrentKernel: Tensor, gates: inout Tensor,
                                   real: [Bool]) -> (cells: Tensor, hiddens: Tensor) {
        let shape = [(time + 1) * batch, u]
        return written(shape, shape, zeroRows: batch) { c, h in
            withPanels(of: recurrentKernel, transposed: false) { U in
                withReadable([], real) { _, flags in
                    withMutable(&gates) { g in
                        forEachRowBlock(batch: batch) { rows in
                            for t in 0..<time {
                                let row = t * batch + rows.lowerBound, at = row * u
                                blockProduct(h + at, U, g + row * 4 * u, rows: rows.count, k: u, n: 4 * u)
                                RecurrentCellKernels.lstmForward(gates: g + row * 4 * u, cPrevious: c + at,
                                                                 hPrevious: h + at, c: c + at + batch * u,
                                                                 h: h + at + batch * u, batch: rows.count, units: u,
                                                                 real: flags + row)
                            }
                        }
                    }
                }
            }
        }
    }

    /// For t = T−1 … 0: `RecurrentCellKernels.lstmBackward` gives dZ_t and dc_{t−1}, then
    /// dh_{t−1} = carried + dZ_t·Uᵀ. dh and dc start at 0 after the last step; `dOutput`
    /// is dL/dh_t from the output, per row. Returns dZ `[T·B, 4u]`.
    public static func lstmBackward(batch: Int, time: Int, units u: Int, recurrentKernel: Tensor, gates: Tensor,
                                    cells: Tensor, dOutput: Tensor, real: [Bool]) -> Tensor {
        written([time * batch, 4 * u]) { dz in
            withPanels(of: recurrentKernel, transposed: true) { UT in
                withReadable([gates, cells, dOutput], real) { p, flags in
                    let (g, c, dy) = (p[0], p[1], p[2])
                    forEachRowBlock(batch: batch) { rows in
                        withZeroed(2 * rows.count * u) { state in
                            let (dh, dc) = (state, state + rows.count * u)
                            for t in (0..<time).reversed() {
                                let row = t * batch + rows.lowerBound, at = row * u
                                // dh is read before it is overwritten, unit by unit, with its carried part.
                                RecurrentCellKernels.lstmBackward(gates: g + row * 4 * u, cPrevious: c + at,
                                                                  c: c + at + batch * u, dOutput: dy + at, dhNext: dh,
                                                                  dcNext: dc, dZ: dz + row * 4 * u, carried: dh,
                                                                  batch: rows.count, units: u, real: flags + row)
                                blockProduct(dz + row * 4 * u, UT, dh, rows: rows.count, k: 4 * u, n: u)
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: GRU

    /// For t = 0 … T−1: s = h_{t−1}·U + b_h for the block's rows, then
    /// `RecurrentCellKernels.gruForward` (gates in place). Returns each row's s_h
    /// `[T·B, u]` and the hidden states `[(T + 1)·B, u]`, block 0 zero.
    public static func gruForward(batch: Int, time: Int, units u: Int, recurrentKernel: Tensor, recurrentBias: Tensor,
                                  gates: inout Tensor, real: [Bool]) -> (recurrentCandidate: Tensor, hiddens: Tensor) {
        written([time * batch, u], [(time + 1) * batch, u], zeroRows: batch) { sh, h in
            withPanels(of: recurrentKernel, transposed: false) { U in
                withReadable([recurrentBias], real) { p, flags in
                    withMutable(&gates) { g in
                        forEachRowBlock(batch: batch) { rows in
                            withZeroed(rows.count * 3 * u) { s in
                                for t in 0..<time {
                                    let row = t * batch + rows.lowerBound, at = row * u
                                    for r in 0..<rows.count { (s + r * 3 * u).update(from: p[0], count: 3 * u) }
                                    blockProduct(h + at, U, s, rows: rows.count, k: u, n: 3 * u)
                                    RecurrentCellKernels.gruForward(gates: g + row * 3 * u, recurrent: s,
                                                                    recurrentCandidate: sh + at, hPrevious: h + at,
                                                                    h: h + at + batch * u, batch: rows.count, units: u,
                                                                    real: flags + row)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// For t = T−1 … 0: `RecurrentCellKernels.gruBackward` gives dA_t and dS_t, then
    /// dh_{t−1} = direct + dS_t·Uᵀ. Returns dA and dS, each `[T·B, 3u]`.
    public static func gruBackward(batch: Int, time: Int, units u: Int, recurrentKernel: Tensor, gates: Tensor,
                                   recurrentCandidate: Tensor, hiddens: Tensor, dOutput: Tensor,
                                   real: [Bool]) -> (dA: Tensor, dS: Tensor) {
        written([time * batch, 3 * u], [time * batch, 3 * u]) { da, ds in
            withPanels(of: recurrentKernel, transposed: true) { UT in
                withReadable([gates, recurrentCandidate, hiddens, dOutput], real) { p, flags in
                    let (g, sh, h, dy) = (p[0], p[1], p[2], p[3])
                    forEachRowBlock(batch: batch) { rows in
                        withZeroed(rows.count * u) { dh in
                            for t in (0..<time).reversed() {
                                let row = t * batch + rows.lowerBound, at = row * u
                                // dh is read before it is overwritten, unit by unit, with its direct part.
                                RecurrentCellKernels.gruBackward(gates: g + row * 3 * u, recurrentCandidate: sh + at,
                                                                 hPrevious: h + at, dOutput: dy + at, dhNext: dh,
                                                                 dA: da + row * 3 * u, dS: ds + row * 3 * u, direct: dh,
                                                                 batch: rows.count, units: u, real: flags + row)
                                blockProduct(ds + row * 3 * u, UT, dh, rows: rows.count, k: 3 * u, n: u)
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: SimpleRNN

    /// For t = 0 … T−1: a_t = rows (x_t·W + b on entry) + h_{t−1}·U, then h_t = tanh(a_t).
    /// Returns the hidden states `[(T + 1)·B, u]`, block 0 zero.
    public static func tanhForward(batch: Int, time: Int, units u: Int, recurrentKernel: Tensor,
                                   preactivations: inout Tensor, real: [Bool]) -> Tensor {
        written([(time + 1) * batch, u], zeroRows: batch) { h in
            withPanels(of: recurrentKernel, transposed: false) { U in
                withReadable([], real) { _, flags in
                    withMutable(&preactivations) { a in
                        forEachRowBlock(batch: batch) { rows in
                            for t in 0..<time {
                                let at = (t * batch + rows.lowerBound) * u
                                blockProduct(h + at, U, a + at, rows: rows.count, k: u, n: u)
                                RecurrentCellKernels.tanhForward(a + at, hPrevious: h + at, h: h + at + batch * u,
                                                                 batch: rows.count, units: u,
                                                                 real: flags + t * batch + rows.lowerBound)
                            }
                        }
                    }
                }
            }
        }
    }

    /// For t = T−1 … 0: `RecurrentCellKernels.tanhBackward`, then dh_{t−1} = carried + dA_t·Uᵀ.
    /// Returns dA `[T·B, u]`.
    public static func tanhBackward(batch: Int, time: Int, units u: Int, recurrentKernel: Tensor, hiddens: Tensor,
                                    dOutput: Tensor, real: [Bool]) -> Tensor {
        written([time * batch, u]) { da in
            withPanels(of: recurrentKernel, transposed: true) { UT in
                withReadable([hiddens, dOutput], real) { p, flags in
                    let (h, dy) = (p[0], p[1])
                    forEachRowBlock(batch: batch) { rows in
                        withZeroed(rows.count * u) { dh in
                            for t in (0..<time).reversed() {
                                let row = t * batch + rows.lowerBound, at = row * u
                                RecurrentCellKernels.tanhBackward(h: h + at + batch * u, dOutput: dy + at, dhNext: dh,
                                                                  dA: da + at, carried: dh, batch: rows.count, units: u,
                                                                  real: flags + row)
                                blockProduct(da + at, UT, dh, rows: rows.count, k: u, n: u)
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: Blocks and buffers

    /// Calls `body(rows)` for each block of rows of `0..<batch`, in parallel.
    static func forEachRowBlock(batch: Int, _ body: (Range<Int>) -> Void) {
        let blocks = (batch + rowsPerBlock - 1) / rowsPerBlock
        WorkerPool.shared.run(blocks: blocks) { k in body((k * rowsPerBlock)..<min(batch, (k + 1) * rowsPerBlock)) }
    }

    /// rows of C += rows of A `[rows, k]` · B `[k, n]`, B given as its packed panels
    /// (`withPanels`): one block's GEMM, on this thread.
    @inline(__always)
    static func blockProduct(_ a: UnsafePointer<Float>, _ b: [GEMMPanel], _ c: UnsafeMutablePointer<Float>,
                             rows: Int, k: Int, n: Int) {
        GEMM.multiply(a: StridedPanelSource(base: a, ld: k, transposed: false, rowCount: rows), panels: b,
                      m: rows, n: n, k: k, c: c, ldc: n, start: .add, .serial)
    }

    /// B = U, or Uᵀ (`transposed`), for every step's product, cut into the GEMM's
    /// 16-column panels and packed once per pass (`GEMMPanelSource.pack`). Read in place,
    /// a panel's depth steps lie one row of U apart (4u floats for an LSTM's U, 2 KB at
    /// 128 units), so they crowd a few cache sets; packed, they are consecutive. Packing
    /// moves values only: every product and its order are the GEMM's.
    static func withPanels(of kernel: Tensor, transposed: Bool, _ body: ([GEMMPanel]) -> Void) {
        precondition(kernel.rank == 2)
        let (k, n) = transposed ? (kernel.shape[1], kernel.shape[0]) : (kernel.shape[0], kernel.shape[1])
        let nr = GEMMMicroKernel.columns, count = (n + nr - 1) / nr
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(1, GEMMPlan.panelPackCount(n: n, k: k)))
        defer { buffer.deallocate() }
        kernel.scalars.withUnsafeBufferPointer { u in
            // op(B)ᵀ, n×k, as the GEMM sees it: U stored k×n is read transposed, Uᵀ is U as stored.
            let source = StridedPanelSource(base: u.baseAddress!, ld: kernel.shape[1], transposed: !transposed, rowCount: n)
            for q in 0..<count {
                source.pack(rows: (q * nr)..<(q * nr + nr), depth: 0..<k, width: nr, into: buffer + q * k * nr)
            }
        }
        body((0..<count).map { GEMMPanel(base: buffer + $0 * k * nr, stride: nr) })
    }

    /// A new `[rows, width]` tensor whose storage `body` writes in full (no zero fill
    /// first), except its first `zeroRows` rows, which start at 0 (the initial state).
    private static func written(_ shape: [Int], zeroRows: Int = 0, _ body: (Pointer) -> Void) -> Tensor {
        let count = shape.reduce(1, *)
        precondition(count > 0 && shape.count == 2 && zeroRows <= shape[0])
        return Tensor(shape: shape, scalars: [Float](unsafeUninitializedCapacity: count) { p, n in
            p.baseAddress!.initialize(repeating: 0, count: zeroRows * shape[1])
            body(p.baseAddress!)
            n = count
        })
    }

    /// Two such tensors at once.
    private static func written(_ first: [Int], _ second: [Int], zeroRows: Int = 0,
                                _ body: (Pointer, Pointer) -> Void) -> (Tensor, Tensor) {
        var other: Tensor?
        let one = written(first, zeroRows: zeroRows) { p in other = written(second, zeroRows: zeroRows) { q in body(p, q) } }
        return (one, other!)
    }

    /// A block's own scratch of `count` zeros, valid inside `body`.
    private static func withZeroed(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) {
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 0, count: count)
        body(buffer)
    }

    /// The storage of `tensors`, in order, and of the row flags, as pointers valid inside `body`.
    private static func withReadable(_ tensors: [Tensor], _ real: [Bool],
                                     _ body: ([UnsafePointer<Float>], UnsafePointer<Bool>) -> Void) {
        func open(_ i: Int, _ pointers: [UnsafePointer<Float>]) {
            guard i < tensors.count else {
                return real.withUnsafeBufferPointer { body(pointers, $0.baseAddress!) }
            }
            tensors[i].scalars.withUnsafeBufferPointer { open(i + 1, pointers + [$0.baseAddress!]) }
        }
        open(0, [])
    }

    private typealias Pointer = UnsafeMutablePointer<Float>

    /// A tensor's storage as a mutable pointer.
    private static func withMutable(_ a: inout Tensor, _ body: (Pointer) -> Void) {
        a.scalars.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }
}
