/// A figure drawn for a lesson run, as `summary.json` keeps it: its file under
/// `figures/`, the plot, the caption, whether the handout prints it, and for a frame
/// series (see `NamedFigure`) its frames.
///
/// `file` is the image the handout prints (for a series: small multiples of a few
/// frames); the gallery shows `file`, or for a series one frame at a time under a
/// slider. `id` is the name a narrative marker `{{figure: ID}}` uses to place the figure
/// beside its paragraph (`FigureSpec.id`). Summaries written before `id` and `frames`
/// existed still decode: both are optional.
public struct RenderedFigure: Codable, Equatable, Sendable {
    /// Path relative to the run folder, e.g. `figures/01-filters.png`.
    public var file: String
    public var kind: String
    public var caption: String
    public var handout: Bool
    /// Pixel size of the PNG.
    public var width: Int
    public var height: Int
    /// The lesson figure's id (`decision-boundary`, `compare-curves-2`), nil in old summaries.
    public var id: String?
    /// The frames of a series, in order; nil for a single image.
    public var frames: [Frame]?
    /// The smallest text of `file`, in points of its layout `width / pixelsPerPoint` wide
    /// (nil in old summaries, or when it has no text): the handout prints it at this size
    /// times its printed width over that layout width.
    public var smallestTextSize: Double?

    /// One frame of a series: `figures/01-filters-step-000300.png`, labelled `step 300`.
    public struct Frame: Codable, Equatable, Sendable {
        public var file: String
        public var label: String
        public var width: Int
        public var height: Int

        public init(file: String, label: String, width: Int, height: Int) {
            self.file = file
            self.label = label
            self.width = width
            self.height = height
        }
    }

    public init(file: String, kind: String, caption: String, handout: Bool, width: Int, height: Int,
                id: String? = nil, frames: [Frame]? = nil, smallestTextSize: Double? = nil) {
        self.file = file
        self.kind = kind
        self.caption = caption
        self.handout = handout
        self.width = width
        self.height = height
        self.id = id
        self.frames = frames
        self.smallestTextSize = smallestTextSize
    }

    /// Pixels per point of every figure PNG (`Figure.pngData`'s default): an 800-pt
    /// layout is 1200 pixels wide.
    public static let pixelsPerPoint = 1.5

    /// The points the figure was laid out in across its width.
    public var layoutWidth: Double { Double(width) / Self.pixelsPerPoint }
}
