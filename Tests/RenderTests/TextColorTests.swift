import XCTest
import Render

/// `Theme.textColor(on:)`: text on a coloured cell is white or ink, whichever contrasts more.
final class TextColorTests: XCTestCase {
    private let theme = Theme.standard

    func testRelativeLuminanceOfBlackWhiteAndPrimaries() {
        XCTAssertEqual(Color.black.relativeLuminance, 0)
        XCTAssertEqual(Color.white.relativeLuminance, 1, accuracy: 1e-12)
        XCTAssertEqual(Color(red: 0, green: 1, blue: 0).relativeLuminance, 0.7152, accuracy: 1e-12)
        // sRGB 0.5 is linear 0.214, not 0.5: mid grey is darker than its number suggests.
        XCTAssertEqual(Color(red: 0.5, green: 0.5, blue: 0.5).relativeLuminance, 0.2140, accuracy: 1e-4)
    }

    func testDarkBackgroundsGetWhiteTextAndLightOnesInk() {
        XCTAssertEqual(theme.textColor(on: .black), .white)
        XCTAssertEqual(theme.textColor(on: .white), theme.ink)
        XCTAssertEqual(theme.textColor(on: theme.sequential.table[0]), .white, "viridis' dark purple")
        XCTAssertEqual(theme.textColor(on: theme.sequential.table[255]), theme.ink, "viridis' yellow")
        XCTAssertEqual(theme.textColor(on: theme.diverging.table[0]), .white, "deep blue")
        XCTAssertEqual(theme.textColor(on: theme.diverging.table[128]), theme.ink, "the white centre")
        XCTAssertEqual(theme.textColor(on: theme.missingValue), theme.ink, "magenta NaN cells")
    }

    /// The switch sits where both choices contrast equally, about luminance 0.21 for ink
    /// #222222; a grey just below takes white, one just above takes ink.
    func testTheSwitchIsWhereBothContrastsAreEqual() {
        func grey(_ luminance: Double) -> Color {
            let c = luminance <= 0.0031308 ? luminance * 12.92 : 1.055 * pow(luminance, 1 / 2.4) - 0.055
            return Color(red: c, green: c, blue: c)
        }
        let ink = theme.ink.relativeLuminance
        let crossover = (1.05 * (ink + 0.05)).squareRoot() - 0.05
        XCTAssertEqual(crossover, 0.21, accuracy: 0.01)
        XCTAssertEqual(theme.textColor(on: grey(crossover - 0.01)), .white)
        XCTAssertEqual(theme.textColor(on: grey(crossover + 0.01)), theme.ink)
    }

    /// Every entry of both colormaps gets the text colour with the better contrast. In the
    /// middle of viridis neither choice reaches WCAG's 4.5 for small text (the best is
    /// about 4.0 near entry 125); the choice never falls below 3.
    func testEveryColormapEntryGetsAReadableTextColour() {
        func contrast(_ a: Color, _ b: Color) -> Double {
            let (x, y) = (a.relativeLuminance, b.relativeLuminance)
            return (max(x, y) + 0.05) / (min(x, y) + 0.05)
        }
        for map in [theme.sequential, theme.diverging] {
            for (i, background) in map.table.enumerated() {
                let chosen = theme.textColor(on: background)
                let other = chosen == .white ? theme.ink : .white
                XCTAssertGreaterThanOrEqual(contrast(chosen, background), contrast(other, background), "\(map.name)[\(i)]")
                XCTAssertGreaterThan(contrast(chosen, background), 3, "\(map.name)[\(i)]")
            }
        }
    }
}
