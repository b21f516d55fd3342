import Foundation

/// Makes Cairo's SVG output deterministic and faithful to the canvas:
///
/// - Cairo 1.16 names a page `<g id="surfaceN">` and an embedded picture
///   `<image id="imageN">` after the surface's process-wide serial number, so the same
///   figure drawn twice gets different ids. Those ids (and the `#id` references to them)
///   are renumbered 1, 2, 3 … per kind in order of first appearance; glyph, clip and
///   pattern ids are already numbered per file.
/// - Cairo records no filter for an embedded image, so a viewer would smooth the pixel
///   data that `Canvas.image` draws with nearest-neighbour sampling; every `<image>` gets
///   `image-rendering` (CSS `pixelated`, and SVG 1.1's `optimizeSpeed` for older viewers).
///   The canvas draws no other images.
enum SVGCleanup {
    /// `id="surface12"`, `#image7"` or `#image7)`: an id or a reference to one.
    private static let serialID = try! NSRegularExpression(pattern: #"(id="|#)(surface|image)([0-9]+)(?=[")])"#)

    static func canonical(_ svg: Data) -> Data {
        let text = String(decoding: svg, as: UTF8.self)
        let ns = text as NSString
        var renamed: [String: String] = [:]
        var counts: [String: Int] = [:]
        var out = ""
        out.reserveCapacity(text.utf8.count + 4096)
        var last = 0
        for match in serialID.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let kind = ns.substring(with: match.range(at: 2))
            let old = kind + ns.substring(with: match.range(at: 3))
            let new = renamed[old] ?? {
                counts[kind, default: 0] += 1
                let name = kind + String(counts[kind]!)
                renamed[old] = name
                return name
            }()
            out += ns.substring(with: NSRange(location: last, length: match.range.location - last))
            out += ns.substring(with: match.range(at: 1)) + new
            last = match.range.location + match.range.length
        }
        out += ns.substring(from: last)
        out = out.replacingOccurrences(of: "<image ", with: #"<image style="image-rendering:pixelated" image-rendering="optimizeSpeed" "#)
        return Data(out.utf8)
    }
}
