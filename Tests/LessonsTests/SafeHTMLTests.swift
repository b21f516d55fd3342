import Foundation
import Ink
import XCTest
@testable import Lessons

/// `SafeHTML`: the Markdown of an untrusted lesson never becomes live markup, and the
/// Markdown of a real lesson renders as it always did.
final class SafeHTMLTests: XCTestCase {
    private func safe(_ markdown: String) -> String { SafeHTML.html(markdown: markdown) }

    /// Hostile Markdown, each with what must be left of it.
    static let hostile: [(markdown: String, expected: String)] = [
        ("<script>alert(1)</script>", ""),
        ("<SCRIPT type=\"text/javascript\">alert(1)</SCRIPT>after", "<p>after</p>"),
        ("<script>if (a<b) { document.write(\"</p><img src=x onerror=alert(1)>\") }</script>", ""),
        ("<script>never closed, so everything after it is code", ""),
        ("<style>body { background: url(javascript:alert(1)) }</style>", ""),
        ("<img src=x onerror=alert(1)>", "<img src=\"x\"/>"),
        ("<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>"),
        ("[x](javascript:alert(1))", "<p><a>x</a></p>"),
        ("![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "<img alt=\"x\"/>"),
        ("<a href=\"&#106;avascript:alert(1)\">x</a>", "<a>x</a>"),
        ("<a href=\"&#x4A;&#x61;vascript&#58;alert(1)\">x</a>", "<a>x</a>"),
        ("<a href=\"  JaVaScRiPt:alert(1)\">x</a>", "<a>x</a>"),
        ("<a href=\"java&#9;script:alert(1)\">x</a>", "<a>x</a>"),
        ("<a href=\"vbscript:msgbox(1)\">x</a>", "<a>x</a>"),
        ("<iframe src=\"https://example.org\"></iframe>", ""),
        ("<svg onload=alert(1)><text>hi</text></svg>", "hi"),
        ("<div style=\"background:red\" onclick=\"alert(1)\">text</div>", "text"),
        ("<p onmouseover=\"alert(1)\" style=\"color:red\" title=\"t\">hi</p>", "<p title=\"t\">hi</p>"),
        ("<a title=\"x>y\" href=\"javascript:alert(1)\">t</a>", "<a title=\"x&gt;y\">t</a>"),
        ("<img alt=\"a>\" src=x onerror=\"alert(1)\">", "<img src=\"x\" alt=\"a&gt;\"/>"),
        ("<a href=\"https://example.org\">never closed", "<a href=\"https://example.org\">never closed</a>"),
        ("<p>Unclosed <strong>bold</section></main> text", "<p>Unclosed <strong>bold text</strong></p>"),
        ("<!-- <script>alert(1)</script> --><p>visible</p>", "<p>visible</p>"),
        ("<p>&#60;script&#62; stays text &amp; &mdash;</p>", "<p>&lt;script&gt; stays text &amp; &mdash;</p>"),
        ("<p>cut off at the end <img src=x onerror=alert(1)", "<p>cut off at the end &lt;img src=x onerror=alert(1)</p>"),
        ("<object data=\"x.swf\"><embed src=\"x.swf\"></object><form action=\"x\"><input></form>", ""),
        ("<a href=\"https://example.org\" target=\"_blank\" onclick=\"steal()\">ok</a>",
         "<a href=\"https://example.org\">ok</a>"),
    ]

    func testHostileMarkupIsReducedToItsHarmlessPart() {
        for (markdown, expected) in Self.hostile {
            XCTAssertEqual(safe(markdown), expected, markdown)
        }
    }

    func testNothingButAllowedElementsAndAttributesSurvives() {
        for (markdown, _) in Self.hostile {
            let html = safe(markdown)
            for token in HTMLToken.tokens(html) {
                switch token {
                case let .open(name, attributes):
                    let allowed = SafeHTML.elements[name]
                    XCTAssertNotNil(allowed, "<\(name)> from \(markdown)")
                    XCTAssert(Set(attributes.keys).isSubset(of: allowed ?? []), "\(attributes) from \(markdown)")
                case let .close(name):
                    XCTAssertNotNil(SafeHTML.elements[name], "</\(name)> from \(markdown)")
                case .text:
                    break
                }
            }
            for case let .open(_, attributes) in HTMLToken.tokens(html) {
                for key in ["href", "src"] {
                    if let url = attributes[key] { XCTAssert(SafeHTML.isSafeURL(url), "\(url) from \(markdown)") }
                }
            }
            for forbidden in ["<script", "<style", "<iframe", "<svg", "<object", "<embed", "<div"] {
                XCTAssertFalse(html.lowercased().contains(forbidden), "\(forbidden) in \(html) from \(markdown)")
            }
            XCTAssertEqual(SafeHTML.sanitized(html), html, "sanitising twice changes nothing")
        }
    }

    func testTokensSplitTagsTheWayABrowserDoes() {
        XCTAssertEqual(HTMLToken.tokens("<a title=\"x>y\" href='b' data-x=c checked>t</a >"), [
            .open("a", attributes: ["title": "x>y", "href": "b", "data-x": "c", "checked": ""]), .text("t"), .close("a"),
        ])
        XCTAssertEqual(HTMLToken.tokens("2 < 3 <!-- a > b --> done"), [.text("2 < 3 "), .text(" done")])
        XCTAssertEqual(HTMLToken.tokens("<SCRIPT>if (a<b) x = '</p>'</script >after"), [
            .open("script", attributes: [:]), .text("if (a<b) x = '</p>'"), .close("script"), .text("after"),
        ])
        XCTAssertEqual(HTMLToken.tokens("<IMG SRC=x src=y ALT=\"&#65;&amp;\">"), [.open("img", attributes: ["src": "x", "alt": "A&"])])
        XCTAssertEqual(HTMLToken.tokens("text <a href=\"never closed"), [.text("text <a href=\"never closed")])
    }

    func testOnlyRelativeHTTPAndMailtoURLsAreAllowed() {
        for url in ["figures/01-heatmap.png", "../index.html", "#figure-2", "?q=1", "/abs/path", "//example.org/x",
                    "a/b:c", "https://example.org/a?b=c#d", "HTTP://EXAMPLE.ORG", "mailto:teacher@example.org",
                    " https://example.org ", ""] {
            XCTAssertTrue(SafeHTML.isSafeURL(url), url)
        }
        for url in ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "\u{01}javascript:alert(1)",
                    "\u{0C}javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)", "java\rscript:x",
                    "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", "file:///etc/passwd", "about:blank",
                    "javascript\u{0}:alert(1)", "jav\u{7F}ascript:alert(1)", "javascript:\u{0338}alert(1)"] {
            XCTAssertFalse(SafeHTML.isSafeURL(url), url.debugDescription)
        }
    }

    func testAnEntityTheSanitiserDoesNotKnowCannotHideAScheme() {
        // `&colon;` is ':' to a browser; the sanitiser escapes its `&`, so the browser
        // reads the harmless relative URL `javascript&colon;alert(1)` that was checked.
        XCTAssertEqual(safe("<a href=\"javascript&colon;alert(1)\">x</a>"),
                       "<a href=\"javascript&amp;colon;alert(1)\">x</a>")
    }

    func testMarkdownRendersAsInkWritesIt() {
        let markdown = """
        # Title

        Text with **bold**, *italic*, `a < b && c`, a [link](https://example.org/a?b=1&c=2) and ![an image](figures/x.png).

        ```swift
        if a < b && c > d { print("<tag>") }
        ```

        1. one
        2. two
           - nested

        > quoted

        | left | centre | right |
        |:---|:---:|---:|
        | 1 | 2 | 3 |

        ---
        Line  
        break
        """
        let ink = MarkdownParser().html(from: markdown), html = safe(markdown)
        XCTAssertEqual(HTMLToken.tokens(html).map(decoded), HTMLToken.tokens(ink).map(decoded))
        for piece in ["<h1>Title</h1>", "<code>a &lt; b &amp;&amp; c</code>", "<a href=\"https://example.org/a?b=1&amp;c=2\">",
                      "<img src=\"figures/x.png\" alt=\"an image\"/>",
                      "<pre><code class=\"language-swift\">if a &lt; b &amp;&amp; c &gt; d { print(&quot;&lt;tag&gt;&quot;) }\n</code></pre>",
                      "<ol><li>one</li><li>two<ul><li>nested</li></ul></li></ol>", "<blockquote><p>quoted</p></blockquote>",
                      "<th align=\"center\">centre</th>", "<td align=\"right\">3</td>", "<hr>", "Line<br>break"] {
            XCTAssert(html.contains(piece), "\(piece) missing from \(html)")
        }
    }

    /// Every bundled lesson's Markdown comes out as Ink wrote it: the same tokens, and
    /// the same bytes but for `"` and `'` in text, which the sanitiser writes as references.
    func testEveryBundledLessonsMarkdownIsUnchanged() throws {
        let lessons = IDXFixtures.repositoryRoot.appendingPathComponent("lessons")
        let fm = FileManager.default
        var checked = 0
        for lesson in try fm.contentsOfDirectory(atPath: lessons.path).sorted()
        where fm.fileExists(atPath: lessons.appendingPathComponent("\(lesson)/lesson.yaml").path) {
            let folder = lessons.appendingPathComponent(lesson)
            for file in try fm.contentsOfDirectory(atPath: folder.path).sorted() where file.hasSuffix(".md") {
                let markdown = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                let ink = MarkdownParser().html(from: markdown)
                let sanitized = SafeHTML.sanitized(ink)
                XCTAssertEqual(unescapingQuotes(sanitized), ink, "\(lesson)/\(file)")
                XCTAssertEqual(HTMLToken.tokens(sanitized).map(decoded), HTMLToken.tokens(ink).map(decoded),
                               "\(lesson)/\(file)")
                checked += 1
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 20, "the bundled lessons' Markdown files were found")
    }

    private func unescapingQuotes(_ html: String) -> String {
        html.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
    }

    private func decoded(_ token: HTMLToken) -> HTMLToken {
        if case let .text(text) = token { return .text(HTMLToken.decodeEntities(text)) }
        return token
    }
}
