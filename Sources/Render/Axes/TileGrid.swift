/// The layout of `count` equal tiles in rows: how many columns fit in a width, how big each
/// tile is, and where tile `i` goes (row-major, optional caption strip under each tile).
/// Shared by filter grids, feature maps, sample grids and attention panels.
public struct TileGrid: Sendable {
    public let count: Int
    public let columns: Int
    public let tileSize: Size
    public let gap: Double
    public let captionHeight: Double

    /// Fits tiles of aspect `width / height` into `width`, about `preferredTileWidth` each
    /// (never wider than `maxTileWidth`); rows are balanced so the last one is not nearly
    /// empty (64 tiles → 7 rows of 10, not 6 of 11 and one of 2... when widths allow).
    public init(count: Int, aspect: Double, width: Double, preferredTileWidth: Double,
                maxTileWidth: Double? = nil, gap: Double, captionHeight: Double = 0, columns fixed: Int? = nil) {
        self.count = max(count, 0)
        self.gap = gap
        self.captionHeight = captionHeight
        var columns = fixed ?? max(1, Int((width + gap) / (preferredTileWidth + gap)))
        columns = max(1, min(columns, max(count, 1)))
        if fixed == nil {
            let rows = (max(count, 1) + columns - 1) / columns
            columns = (max(count, 1) + rows - 1) / rows
        }
        self.columns = columns
        var tileWidth = (width - gap * Double(columns - 1)) / Double(columns)
        if let maxTileWidth { tileWidth = min(tileWidth, maxTileWidth) }
        tileWidth = max(tileWidth, 1)
        tileSize = Size(tileWidth, tileWidth / max(aspect, 1e-6))
    }

    public var rows: Int { (count + columns - 1) / columns }

    public var size: Size {
        Size(Double(columns) * tileSize.width + Double(columns - 1) * gap,
             Double(rows) * (tileSize.height + captionHeight) + Double(max(rows - 1, 0)) * gap)
    }

    /// Tile `index`'s image rectangle, the grid's top-left corner at `origin`.
    public func rect(_ index: Int, origin: Point) -> Rect {
        let row = index / columns, column = index % columns
        return Rect(x: origin.x + Double(column) * (tileSize.width + gap),
                    y: origin.y + Double(row) * (tileSize.height + captionHeight + gap),
                    width: tileSize.width, height: tileSize.height)
    }
}
