/// The elementwise part of one time step of an LSTM, GRU or SimpleRNN, forward and
/// backward, on the rows of one step (`batch` rows of a time-major buffer, see
/// `SequenceLayout`), eight units at a time with `VectorMath`'s σ and tanh. The
/// products (x·W, h·U, dZ·Uᵀ) are GEMMs the layers run around these; the formulas are
/// written out in the layers' files (`LSTM.swift`, `GRU.swift`, `SimpleRNN.swift`).
///
/// A row whose `real` flag is false (a padded step) carries its state over: its
/// outputs equal its inputs, and backward passes dh and dc through untouched.
/// Elementwise and single-threaded per step, so any thread count gives the same bits.
public enum RecurrentCellKernels {
    typealias V = VectorMath.V

    /// Calls `body(j, count)` for blocks of 8 units, then once per remaining unit (count 1).
    @inline(__always)
    static func units(_ u: Int, _ body: (Int, Int) -> Void) {
        var j = 0
        while j + 8 <= u { body(j, 8); j += 8 }
        while j < u { body(j, 1); j += 1 }
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ j: Int, _ n: Int) -> V {
        n == 8 ? UnsafeRawPointer(p + j).loadUnaligned(as: V.self) : V(repeating: p[j])
    }

    @inline(__always)
    static func store(_ v: V, _ p: UnsafeMutablePointer<Float>, _ j: Int, _ n: Int) {
        if n == 8 { UnsafeMutableRawPointer(p + j).storeBytes(of: v, as: V.self) } else { p[j] = v[0] }
    }

    // MARK: LSTM

    /// z (i, f, c, o blocks of `u`) → gates in place; c_t, h_t from c_{t−1}, h_{t−1}.
    static func lstmForward(gates: UnsafeMutablePointer<Float>, cPrevious: UnsafePointer<Float>,
                            hPrevious: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
                            h: UnsafeMutablePointer<Float>, batch: Int, units u: Int, real: UnsafePointer<Bool>) {
        for b in 0..<batch {
            let z = gates + b * 4 * u, cp = cPrevious + b * u, hp = hPrevious + b * u, cb = c + b * u, hb = h + b * u
            let carry = !real[b]
            units(u) { j, n in
                let i = VectorMath.sigmoid(load(z, j, n)), f = VectorMath.sigmoid(load(z, u + j, n))
                let g = VectorMath.tanh(load(z, 2 * u + j, n)), o = VectorMath.sigmoid(load(z, 3 * u + j, n))
                store(i, z, j, n); store(f, z, u + j, n); store(g, z, 2 * u + j, n); store(o, z, 3 * u + j, n)
                if carry {
                    store(load(cp, j, n), cb, j, n); store(load(hp, j, n), hb, j, n)
                } else {
                    let cell = f * load(cp, j, n) + i * g
                    store(cell, cb, j, n); store(o * VectorMath.tanh(cell), hb, j, n)
                }
            }
        }
    }

    /// dZ of one step and the dc, dh that flow to the step before (`dcNext` in place;
    /// `carried` gets dh for padded rows, 0 for real ones: dh_{t−1} = carried + dZ·Uᵀ).
    static func lstmBackward(gates: UnsafePointer<Float>, cPrevious: UnsafePointer<Float>, c: UnsafePointer<Float>,
                             dOutput: UnsafePointer<Float>, dhNext: UnsafePointer<Float>,
                             dcNext: UnsafeMutablePointer<Float>, dZ: UnsafeMutablePointer<Float>,
                             carried: UnsafeMutablePointer<Float>, batch: Int, units u: Int, real: UnsafePointer<Bool>) {
        let one = V(repeating: 1)
        for b in 0..<batch {
            let gz = gates + b * 4 * u, dz = dZ + b * 4 * u, row = b * u
            let carry = !real[b]
            units(u) { j, n in
                let dh = load(dOutput + row, j, n) + load(dhNext + row, j, n)
                if carry {
                    store(V(), dz, j, n); store(V(), dz, u + j, n); store(V(), dz, 2 * u + j, n); store(V(), dz, 3 * u + j, n)
                    store(dh, carried + row, j, n)
                    return
                }
                let i = load(gz, j, n), f = load(gz, u + j, n), g = load(gz, 2 * u + j, n), o = load(gz, 3 * u + j, n)
                let tc = VectorMath.tanh(load(c + row, j, n))
                let dc = load(dcNext + row, j, n) + dh * o * (one - tc * tc)
                store(dc * g * i * (one - i), dz, j, n)
                store(dc * load(cPrevious + row, j, n) * f * (one - f), dz, u + j, n)
                store(dc * i * (one - g * g), dz, 2 * u + j, n)
                store(dh * tc * o * (one - o), dz, 3 * u + j, n)
                store(dc * f, dcNext + row, j, n)
                store(V(), carried + row, j, n)
            }
        }
    }

    // MARK: GRU

    /// a = x·W + b_x (z, r, h blocks) → gates (z, r, ĥ) in place, s_h saved, h_t, from
    /// s = h_{t−1}·U + b_h and h_{t−1}.
    static func gruForward(gates: UnsafeMutablePointer<Float>, recurrent s: UnsafePointer<Float>,
                           recurrentCandidate: UnsafeMutablePointer<Float>, hPrevious: UnsafePointer<Float>,
                           h: UnsafeMutablePointer<Float>, batch: Int, units u: Int, real: UnsafePointer<Bool>) {
        let one = V(repeating: 1)
        for b in 0..<batch {
            let a = gates + b * 3 * u, sb = s + b * 3 * u, hp = hPrevious + b * u, hb = h + b * u
            let sh = recurrentCandidate + b * u
            let carry = !real[b]
            units(u) { j, n in
                let z = VectorMath.sigmoid(load(a, j, n) + load(sb, j, n))
                let r = VectorMath.sigmoid(load(a, u + j, n) + load(sb, u + j, n))
                let recurrent = load(sb, 2 * u + j, n)
                let candidate = VectorMath.tanh(load(a, 2 * u + j, n) + r * recurrent)
                store(z, a, j, n); store(r, a, u + j, n); store(candidate, a, 2 * u + j, n)
                store(recurrent, sh, j, n)
                let previous = load(hp, j, n)
                store(carry ? previous : z * previous + (one - z) * candidate, hb, j, n)
            }
        }
    }

    /// dA (input side) and dS (recurrent side) of one step; `direct` gets dh ⊙ z (dh for
    /// padded rows): dh_{t−1} = direct + dS·Uᵀ.
    static func gruBackward(gates: UnsafePointer<Float>, recurrentCandidate: UnsafePointer<Float>,
                            hPrevious: UnsafePointer<Float>, dOutput: UnsafePointer<Float>, dhNext: UnsafePointer<Float>,
                            dA: UnsafeMutablePointer<Float>, dS: UnsafeMutablePointer<Float>,
                            direct: UnsafeMutablePointer<Float>, batch: Int, units u: Int, real: UnsafePointer<Bool>) {
        let one = V(repeating: 1)
        for b in 0..<batch {
            let gz = gates + b * 3 * u, da = dA + b * 3 * u, ds = dS + b * 3 * u, row = b * u
            let carry = !real[b]
            units(u) { j, n in
                let dh = load(dOutput + row, j, n) + load(dhNext + row, j, n)
                if carry {
                    for k in 0..<3 { store(V(), da, k * u + j, n); store(V(), ds, k * u + j, n) }
                    store(dh, direct + row, j, n)
                    return
                }
                let z = load(gz, j, n), r = load(gz, u + j, n), candidate = load(gz, 2 * u + j, n)
                let dz = dh * (load(hPrevious + row, j, n) - candidate) * z * (one - z)
                let dCandidate = dh * (one - z) * (one - candidate * candidate)
                let dr = dCandidate * load(recurrentCandidate + row, j, n) * r * (one - r)
                store(dz, da, j, n); store(dr, da, u + j, n); store(dCandidate, da, 2 * u + j, n)
                store(dz, ds, j, n); store(dr, ds, u + j, n); store(dCandidate * r, ds, 2 * u + j, n)
                store(dh * z, direct + row, j, n)
            }
        }
    }

    // MARK: SimpleRNN

    /// a = x·W + h_{t−1}·U + b → h_t = tanh(a).
    static func tanhForward(_ a: UnsafePointer<Float>, hPrevious: UnsafePointer<Float>, h: UnsafeMutablePointer<Float>,
                            batch: Int, units u: Int, real: UnsafePointer<Bool>) {
        for b in 0..<batch {
            let row = b * u, carry = !real[b]
            units(u) { j, n in
                store(carry ? load(hPrevious + row, j, n) : VectorMath.tanh(load(a + row, j, n)), h + row, j, n)
            }
        }
    }

    /// dA = (dL/dh_t + dh_next) ⊙ (1 − h_t²); `carried` as in `lstmBackward`.
    static func tanhBackward(h: UnsafePointer<Float>, dOutput: UnsafePointer<Float>, dhNext: UnsafePointer<Float>,
                             dA: UnsafeMutablePointer<Float>, carried: UnsafeMutablePointer<Float>,
                             batch: Int, units u: Int, real: UnsafePointer<Bool>) {
        let one = V(repeating: 1)
        for b in 0..<batch {
            let row = b * u, carry = !real[b]
            units(u) { j, n in
                let dh = load(dOutput + row, j, n) + load(dhNext + row, j, n)
                let hv = load(h + row, j, n)
                store(carry ? V() : dh * (one - hv * hv), dA + row, j, n)
                store(carry ? dh : V(), carried + row, j, n)
            }
        }
    }
}

/// One time step on tensors, recurrent product included: `t` is the step, whose rows
/// are `t·batch ..< (t+1)·batch` of the time-major buffers; state buffers (`cells`,
/// `hiddens`) hold T + 1 blocks, block 0 the initial state, so step t reads block t and
/// writes block t + 1; `real` holds one flag per time-major row.
///
/// The batch is cut into fixed blocks of `rowsPerBlock` sequences, which the cores take
/// in parallel: the sequences of a batch are independent, so each block runs its own
/// h_{t−1}·U (a GEMM on its rows) and gate math. The blocks, and so every GEMM's shape
/// and summation order, are the same for any thread count.
extension RecurrentCellKernels {
    public static let rowsPerBlock = 16

    /// Calls `body(rows)` for each block of rows of `0..<batch`, in parallel.
    static func forEachRowBlock(batch: Int, _ body: (Range<Int>) -> Void) {
        let blocks = (batch + rowsPerBlock - 1) / rowsPerBlock
        WorkerPool.shared.run(blocks: blocks) { k in body((k * rowsPerBlock)..<min(batch, (k + 1) * rowsPerBlock)) }
    }

    /// rows of C += rows of A · B (B `[k, n]` row-major, which the GEMM reads in place:
    /// the backward steps take Uᵀ already transposed), one block's GEMM on this thread.
    @inline(__always)
    static func blockProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ c: UnsafeMutablePointer<Float>, rows: Int, k: Int, n: Int) {
        GEMM.multiply(transposeA: false, transposeB: false, m: rows, n: n, k: k, a: a, lda: k, b: b,
                      ldb: n, c: c, ldc: n, accumulate: true, pool: .serial)
    }

    /// z_t = gates rows (x_t·W + b on entry) + h_{t−1}·U, then `lstmForward`.
    public static func lstmForwardStep(_ t: Int, batch: Int, units u: Int, recurrentKernel: Tensor, gates: inout Tensor,
                                       cells: inout Tensor, hiddens: inout Tensor, real: [Bool]) {
        withReadable([recurrentKernel], real) { p, flags in
            withMutable(&gates, &cells, &hiddens) { g, c, h in
                forEachRowBlock(batch: batch) { rows in
                    let row = t * batch + rows.lowerBound, state = row * u
                    blockProduct(h + state, p[0], g + row * 4 * u, rows: rows.count, k: u, n: 4 * u)
                    lstmForward(gates: g + row * 4 * u, cPrevious: c + state, hPrevious: h + state,
                                c: c + state + batch * u, h: h + state + batch * u, batch: rows.count, units: u,
                                real: flags + row)
                }
            }
        }
    }

    /// `lstmBackward` for step t, then dh_next = carried + dZ_t · Uᵀ (`transposedKernel` is Uᵀ `[4u, u]`).
    public static func lstmBackwardStep(_ t: Int, batch: Int, units u: Int, transposedKernel: Tensor, gates: Tensor,
                                        cells: Tensor, dOutput: Tensor, dhNext: inout Tensor, dcNext: inout Tensor,
                                        dZ: inout Tensor, real: [Bool]) {
        var carried = Tensor(shape: [batch, u])
        withReadable([gates, cells, dOutput, transposedKernel], real) { p, flags in
            let (g, c, dy, w) = (p[0], p[1], p[2], p[3])
            withMutable(&dhNext, &dcNext, &dZ, &carried) { dh, dc, dz, carry in
                forEachRowBlock(batch: batch) { rows in
                    let row = t * batch + rows.lowerBound, state = row * u, local = rows.lowerBound * u
                    lstmBackward(gates: g + row * 4 * u, cPrevious: c + state, c: c + state + batch * u,
                                 dOutput: dy + state, dhNext: dh + local, dcNext: dc + local, dZ: dz + row * 4 * u,
                                 carried: carry + local, batch: rows.count, units: u, real: flags + row)
                    (dh + local).update(from: carry + local, count: rows.count * u)
                    blockProduct(dz + row * 4 * u, w, dh + local, rows: rows.count, k: 4 * u, n: u)
                }
            }
        }
    }

    /// s = h_{t−1}·U + b_h for the step's rows, then `gruForward`.
    public static func gruForwardStep(_ t: Int, batch: Int, units u: Int, recurrentKernel: Tensor, recurrentBias: Tensor,
                                      gates: inout Tensor, recurrentCandidate: inout Tensor, hiddens: inout Tensor,
                                      real: [Bool]) {
        var s = Tensor(shape: [batch, 3 * u])
        withReadable([recurrentKernel, recurrentBias], real) { p, flags in
            let (w, bias) = (p[0], p[1])
            withMutable(&gates, &recurrentCandidate, &hiddens, &s) { g, sh, h, sb in
                forEachRowBlock(batch: batch) { rows in
                    let row = t * batch + rows.lowerBound, state = row * u, local = rows.lowerBound * 3 * u
                    for r in 0..<rows.count { (sb + local + r * 3 * u).update(from: bias, count: 3 * u) }
                    blockProduct(h + state, w, sb + local, rows: rows.count, k: u, n: 3 * u)
                    gruForward(gates: g + row * 3 * u, recurrent: sb + local, recurrentCandidate: sh + state,
                               hPrevious: h + state, h: h + state + batch * u, batch: rows.count, units: u,
                               real: flags + row)
                }
            }
        }
    }

    /// `gruBackward` for step t, then dh_next = direct + dS_t · Uᵀ (`transposedKernel` is Uᵀ `[3u, u]`).
    public static func gruBackwardStep(_ t: Int, batch: Int, units u: Int, transposedKernel: Tensor, gates: Tensor,
                                       recurrentCandidate: Tensor, hiddens: Tensor, dOutput: Tensor,
                                       dhNext: inout Tensor, dA: inout Tensor, dS: inout Tensor, real: [Bool]) {
        var direct = Tensor(shape: [batch, u])
        withReadable([gates, recurrentCandidate, hiddens, dOutput, transposedKernel], real) { p, flags in
            let (g, sh, h, dy, w) = (p[0], p[1], p[2], p[3], p[4])
            withMutable(&dhNext, &dA, &dS, &direct) { dh, da, ds, out in
                forEachRowBlock(batch: batch) { rows in
                    let row = t * batch + rows.lowerBound, state = row * u, local = rows.lowerBound * u
                    gruBackward(gates: g + row * 3 * u, recurrentCandidate: sh + state, hPrevious: h + state,
                                dOutput: dy + state, dhNext: dh + local, dA: da + row * 3 * u, dS: ds + row * 3 * u,
                                direct: out + local, batch: rows.count, units: u, real: flags + row)
                    (dh + local).update(from: out + local, count: rows.count * u)
                    blockProduct(ds + row * 3 * u, w, dh + local, rows: rows.count, k: 3 * u, n: u)
                }
            }
        }
    }

    /// a_t = rows (x_t·W + b on entry) + h_{t−1}·U, then h_t = tanh(a_t).
    public static func tanhForwardStep(_ t: Int, batch: Int, units u: Int, recurrentKernel: Tensor,
                                       preactivations: inout Tensor, hiddens: inout Tensor, real: [Bool]) {
        withReadable([recurrentKernel], real) { p, flags in
            withMutable(&preactivations, &hiddens) { a, h in
                forEachRowBlock(batch: batch) { rows in
                    let row = t * batch + rows.lowerBound, state = row * u
                    blockProduct(h + state, p[0], a + state, rows: rows.count, k: u, n: u)
                    tanhForward(a + state, hPrevious: h + state, h: h + state + batch * u, batch: rows.count,
                                units: u, real: flags + row)
                }
            }
        }
    }

    /// `tanhBackward` for step t, then dh_next = carried + dA_t · Uᵀ (`transposedKernel` is Uᵀ).
    public static func tanhBackwardStep(_ t: Int, batch: Int, units u: Int, transposedKernel: Tensor, hiddens: Tensor,
                                        dOutput: Tensor, dhNext: inout Tensor, dA: inout Tensor, real: [Bool]) {
        var carried = Tensor(shape: [batch, u])
        withReadable([hiddens, dOutput, transposedKernel], real) { p, flags in
            let (h, dy, w) = (p[0], p[1], p[2])
            withMutable(&dhNext, &dA, &carried) { dh, da, carry in
                forEachRowBlock(batch: batch) { rows in
                    let row = t * batch + rows.lowerBound, state = row * u, local = rows.lowerBound * u
                    tanhBackward(h: h + state + batch * u, dOutput: dy + state, dhNext: dh + local, dA: da + state,
                                 carried: carry + local, batch: rows.count, units: u, real: flags + row)
                    (dh + local).update(from: carry + local, count: rows.count * u)
                    blockProduct(da + state, w, dh + local, rows: rows.count, k: u, n: u)
                }
            }
        }
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

    /// Two, three or four tensors' storage as mutable pointers at once.
    private static func withMutable(_ a: inout Tensor, _ b: inout Tensor, _ body: (Pointer, Pointer) -> Void) {
        a.scalars.withUnsafeMutableBufferPointer { pa in
            b.scalars.withUnsafeMutableBufferPointer { pb in body(pa.baseAddress!, pb.baseAddress!) }
        }
    }

    private static func withMutable(_ a: inout Tensor, _ b: inout Tensor, _ c: inout Tensor,
                                    _ body: (Pointer, Pointer, Pointer) -> Void) {
        withMutable(&a, &b) { pa, pb in c.scalars.withUnsafeMutableBufferPointer { body(pa, pb, $0.baseAddress!) } }
    }

    private static func withMutable(_ a: inout Tensor, _ b: inout Tensor, _ c: inout Tensor, _ d: inout Tensor,
                                    _ body: (Pointer, Pointer, Pointer, Pointer) -> Void) {
        withMutable(&a, &b, &c) { pa, pb, pc in d.scalars.withUnsafeMutableBufferPointer { body(pa, pb, pc, $0.baseAddress!) } }
    }
}
