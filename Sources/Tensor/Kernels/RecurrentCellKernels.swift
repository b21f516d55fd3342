/// The elementwise part of one time step of an LSTM, GRU or SimpleRNN, forward and
/// backward, on the rows of one step (`batch` rows of a time-major buffer, see
/// `SequenceLayout`), eight units at a time with `VectorMath`'s σ and tanh. The
/// products (h·U, dZ·Uᵀ) are GEMMs that `RecurrentSequenceKernels` runs around these
/// in its time loops; the formulas are written out in the layers' files
/// (`LSTM.swift`, `GRU.swift`, `SimpleRNN.swift`).
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
    /// `carried` may be `dhNext` itself: each unit is read before it is written.
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
    /// padded rows): dh_{t−1} = direct + dS·Uᵀ. `direct` may be `dhNext` itself.
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

    /// dA = (dL/dh_t + dh_next) ⊙ (1 − h_t²); `carried` as in `lstmBackward` (it may be `dhNext`).
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
