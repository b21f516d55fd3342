/// One row of a Winograd tile transformed sixteen channels wide: its six values stored to
/// six planes `step` bytes apart, V[ξ] or E[ξ] for ξ = 6·row + column, the layout whose
/// planes the 36 GEMMs read (`WideWinogradInput`, `WideWinogradGradient`).
enum WidePlaneRow {
    typealias V = SIMD16<Float>
    typealias Row = (V, V, V, V, V, V)

    @_transparent
    static func store(_ row: Row, _ at: UnsafeMutableRawPointer, _ step: Int) {
        at.storeBytes(of: row.0, as: V.self)
        (at + step).storeBytes(of: row.1, as: V.self)
        (at + 2 &* step).storeBytes(of: row.2, as: V.self)
        (at + 3 &* step).storeBytes(of: row.3, as: V.self)
        (at + 4 &* step).storeBytes(of: row.4, as: V.self)
        (at + 5 &* step).storeBytes(of: row.5, as: V.self)
    }
}
