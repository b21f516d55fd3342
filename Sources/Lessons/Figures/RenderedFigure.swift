/// A figure drawn for a lesson run: its file under `figures/`, what it shows,
/// and whether the handout prints it.
public struct RenderedFigure: Codable, Equatable, Sendable {
    /// Path relative to the run folder, e.g. `figures/01-filters.png`.
    public var file: String
    public var kind: String
    public var caption: String
    public var handout: Bool
    /// Pixel size of the PNG.
    public var width: Int
    public var height: Int

    public init(file: String, kind: String, caption: String, handout: Bool, width: Int, height: Int) {
        self.file = file
        self.kind = kind
        self.caption = caption
        self.handout = handout
        self.width = width
        self.height = height
    }
}
