import Foundation
import Plot
import Render

/// The gallery's frame series: the figure shows one frame, and a range input under it
/// moves through the frames (filters at each step, the decision boundary over training).
///
/// The page is built from untrusted lesson text, so the script is this fixed constant;
/// the frames reach it only as data — a JSON list in the figure's `data-frames`
/// attribute (`src`, `label`, `width`, `height`), escaped like every attribute. The
/// controls start `hidden` and the script shows them: without scripts the page still
/// shows the first frame and its caption. No library, no network: it works from `file://`.
enum FrameSlider {
    /// Loaded once per page that has a series, after the figures.
    static let script = """
    (function () {
      document.querySelectorAll('figure.series').forEach(function (figure) {
        var frames = JSON.parse(figure.getAttribute('data-frames'));
        var img = figure.querySelector('img');
        var controls = figure.querySelector('.slider');
        var range = controls.querySelector('input');
        var label = controls.querySelector('output');
        var links = figure.querySelectorAll('a[data-format]');
        frames.forEach(function (frame) { new Image().src = frame.src; });
        range.addEventListener('input', function () {
          var k = Number(range.value), frame = frames[k];
          img.src = frame.src;
          img.width = frame.width;
          img.height = frame.height;
          label.textContent = frame.label + ' (' + (k + 1) + ' of ' + frames.length + ')';
          links.forEach(function (link) {
            var file = (frame.vectors || {})[link.getAttribute('data-format')];
            if (file) { link.href = file; }
          });
        });
        controls.hidden = false;
      });
    })();
    """

    private struct Entry: Encodable {
        var src: String
        var label: String
        var width: Int
        var height: Int
        /// The frame's SVG and PDF by format (`svg`: path), when `--format` wrote them.
        var vectors: [String: String]?
    }

    /// The frames as escaped JSON for `data-frames`.
    static func dataAttribute(_ frames: [RenderedFigure.Frame], run: RunFolder) -> String {
        let entries = frames.map { frame in
            let vectors = run.vectorVersions(ofImage: frame.file)
            return Entry(src: HTMLAttribute.percentEncodedPath(frame.file), label: frame.label, width: frame.width,
                         height: frame.height, vectors: vectors.isEmpty ? nil : Dictionary(uniqueKeysWithValues:
                             vectors.map { ($0.format.rawValue, HTMLAttribute.percentEncodedPath($0.file)) }))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(entries)).flatMap { String(data: $0, encoding: .utf8) } ?? "[]"
        return HTMLAttribute.escaped(json)
    }

    /// `This frame also as SVG · PDF; all frames in one figure: SVG · PDF`. The first
    /// pair has `data-format` and follows the slider; nothing when `--format` wrote none.
    static func versionLinks(_ frames: [RenderedFigure.Frame], still: [(format: FigureFormat, file: String)],
                             run: RunFolder) -> Node<HTML.BodyContext> {
        let shown = frames.first.map { run.vectorVersions(ofImage: $0.file) } ?? []
        func links(_ versions: [(format: FigureFormat, file: String)], following: Bool) -> Node<HTML.BodyContext> {
            .group(versions.enumerated().map { i, version in
                .group(.if(i > 0, .text(" · ")),
                       .a(.href(HTMLAttribute.relativeURL(version.file)),
                          .if(following, .attribute(named: "data-format", value: version.format.rawValue)),
                          .text(version.format.rawValue.uppercased())))
            })
        }
        return .if(!shown.isEmpty || !still.isEmpty, .p(
            .class("formats"),
            .if(!shown.isEmpty, .group(.text("This frame also as "), links(shown, following: true))),
            .if(!shown.isEmpty && !still.isEmpty, .text("; ")),
            .if(!still.isEmpty, .group(.text("all frames in one figure: "), links(still, following: false)))))
    }

    /// The range input and the label of the frame shown: `step 0 (1 of 11)`.
    static func controls(_ frames: [RenderedFigure.Frame]) -> Node<HTML.BodyContext> {
        guard let first = frames.first else { return .empty }
        return .element(named: "div", nodes: [
            .attribute(named: "class", value: "slider"),
            .attribute(named: "hidden", value: "hidden"),
            .selfClosedElement(named: "input", attributes: [
                Attribute<HTML.BodyContext>.attribute(named: "type", value: "range"),
                .attribute(named: "min", value: "0"),
                .attribute(named: "max", value: "\(frames.count - 1)"),
                .attribute(named: "step", value: "1"),
                .attribute(named: "value", value: "0"),
                .attribute(named: "aria-label", value: "frame"),
            ]),
            .element(named: "output", text: "\(first.label) (1 of \(frames.count))"),
        ])
    }
}
