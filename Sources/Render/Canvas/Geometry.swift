/// A point in canvas units (points, 1/72 inch; y grows downwards as in Cairo).
public struct Point: Equatable, Sendable {
    public var x: Double
    public var y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

/// A size in canvas units.
public struct Size: Equatable, Sendable {
    public var width: Double
    public var height: Double
    public init(_ width: Double, _ height: Double) { self.width = width; self.height = height }
}

/// An axis-aligned rectangle in canvas units; the building block of every layout.
public struct Rect: Equatable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }

    public var minX: Double { x }
    public var minY: Double { y }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var center: Point { Point(x + width / 2, y + height / 2) }

    /// The rectangle shrunk by the given amounts on each side.
    public func inset(top: Double = 0, left: Double = 0, bottom: Double = 0, right: Double = 0) -> Rect {
        Rect(x: x + left, y: y + top, width: max(0, width - left - right),
             height: max(0, height - top - bottom))
    }

    public func inset(by d: Double) -> Rect { inset(top: d, left: d, bottom: d, right: d) }

    /// Splits off a strip of `amount` from the right; returns (rest, strip).
    public func sliceRight(_ amount: Double) -> (Rect, Rect) {
        let a = min(amount, width)
        return (Rect(x: x, y: y, width: width - a, height: height),
                Rect(x: x + width - a, y: y, width: a, height: height))
    }

}
