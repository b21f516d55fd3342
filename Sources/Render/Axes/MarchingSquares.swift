/// Contour lines of a sampled function by marching squares: for each grid cell, the level
/// crosses an edge where its corner values straddle it, at the linearly interpolated point
/// `t = (level − a) / (b − a)`. Returns segments in grid coordinates (column, row).
enum MarchingSquares {
    static func segments(values: [Float], columns nx: Int, rows ny: Int, level: Float) -> [(Point, Point)] {
        guard nx > 1, ny > 1 else { return [] }
        var segments: [(Point, Point)] = []
        func v(_ i: Int, _ j: Int) -> Float { values[i * nx + j] }
        for i in 0..<(ny - 1) { for j in 0..<(nx - 1) {
            // Corners counter-clockwise: (i, j), (i, j+1), (i+1, j+1), (i+1, j).
            let corners = [(i, j), (i, j + 1), (i + 1, j + 1), (i + 1, j)]
            let values = corners.map { v($0.0, $0.1) }
            guard values.allSatisfy(\.isFinite) else { continue }
            var crossings: [Point] = []
            for e in 0..<4 {
                let (a, b) = (values[e], values[(e + 1) % 4])
                guard (a < level) != (b < level) else { continue }
                let t = Double((level - a) / (b - a))
                let (p, q) = (corners[e], corners[(e + 1) % 4])
                crossings.append(Point(Double(p.1) + t * Double(q.1 - p.1), Double(p.0) + t * Double(q.0 - p.0)))
            }
            // Two crossings: one segment; four (a saddle): pair them in edge order.
            if crossings.count == 2 { segments.append((crossings[0], crossings[1])) }
            if crossings.count == 4 { segments += [(crossings[0], crossings[1]), (crossings[2], crossings[3])] }
        } }
        return segments
    }
}
