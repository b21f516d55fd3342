import XCTest
import Render

/// `ColorScale`: data values to colormap entries, `t = (v − lower) / (upper − lower)`.
final class ColorScaleTests: XCTestCase {
    private let theme = Theme.standard
    private var diverging: [Color] { theme.diverging.table }
    private var viridis: [Color] { theme.sequential.table }

    func testSymmetricMapsMinusMToTheFirstEntryZeroToTheCentreAndMToTheLast() {
        let scale = ColorScale.symmetric([-1, 3, 0.5, -2.5], theme: theme)
        XCTAssertEqual(scale.lower, -3)
        XCTAssertEqual(scale.upper, 3)
        XCTAssertEqual(scale.color(-3), diverging[0])
        XCTAssertEqual(scale.color(0), diverging[128], "zero sits at t = 0.5, entry 128")
        XCTAssertEqual(scale.color(3), diverging[255])
        XCTAssertEqual(scale.color(-30), diverging[0], "below the range clamps")
        XCTAssertEqual(scale.color(30), diverging[255], "above the range clamps")
    }

    /// v and −v land in mirrored bins (t and 1 − t): entry i and entry 255 − i, or 256 − i
    /// when 128·v/m is a whole number (bins are half-open).
    func testSymmetricGivesEqualMagnitudesMirroredColours() {
        let scale = ColorScale.symmetric([-2, 2], theme: theme)
        for step in 1...200 {
            let v = Double(step) / 100
            let positive = diverging.firstIndex(of: scale.color(v))!, negative = diverging.firstIndex(of: scale.color(-v))!
            XCTAssertGreaterThan(positive, 127, "v = \(v) is on the red side")
            XCTAssertLessThan(negative, 128, "−v = \(-v) is on the blue side")
            XCTAssert([255, 256].contains(positive + negative), "v = \(v): entries \(negative) and \(positive)")
        }
    }

    func testSymmetricRangeIgnoresMissingValuesAndIsNeverEmpty() {
        XCTAssertEqual(ColorScale.symmetric([1, -4, .nan, -.infinity], theme: theme).upper, 4)
        for values: [Float] in [[0, 0, 0], [], [.nan, .infinity]] {
            let scale = ColorScale.symmetric(values, theme: theme)
            XCTAssertEqual(scale.lower, -1, "\(values)")
            XCTAssertEqual(scale.upper, 1, "\(values)")
            XCTAssertEqual(scale.color(0), diverging[128], "zero is still the centre for \(values)")
        }
    }

    func testSequentialMapsTheMinimumToTheFirstEntryAndTheMaximumToTheLast() {
        let scale = ColorScale.sequential([3, 7, -1, .nan], theme: theme)
        XCTAssertEqual(scale.lower, -1)
        XCTAssertEqual(scale.upper, 7)
        XCTAssertEqual(scale.color(-1), viridis[0])
        XCTAssertEqual(scale.color(3), viridis[128])
        XCTAssertEqual(scale.color(7), viridis[255])
        XCTAssertEqual(scale.color(6.999), viridis[255])
        XCTAssertEqual(scale.color(-1 + 8.0 / 256), viridis[1], "the second bin starts one 256th of the range up")
        XCTAssertEqual(scale.color(-1 + 8.0 / 256 - 1e-9), viridis[0])
    }

    func testSequentialFromZeroStartsAtZeroUnlessTheDataGoesBelow() {
        let scale = ColorScale.sequential([2, 5], theme: theme, fromZero: true)
        XCTAssertEqual(scale.lower, 0)
        XCTAssertEqual(scale.color(0), viridis[0])
        XCTAssertEqual(scale.color(2.5), viridis[128])
        XCTAssertEqual(scale.color(5), viridis[255])
        XCTAssertEqual(ColorScale.sequential([-2, 5], theme: theme, fromZero: true).lower, -2)
    }

    func testSequentialUsesTheColormapItIsGiven() {
        let scale = ColorScale.sequential([0, 1], theme: theme, colormap: .diverging)
        XCTAssertEqual(scale.color(0), diverging[0])
        XCTAssertEqual(scale.color(1), diverging[255])
    }

    func testNaNAndInfinitiesAreTheMissingColour() {
        for scale in [ColorScale.symmetric([-1, 1], theme: theme), .sequential([0, 1], theme: theme)] {
            for value in [Double.nan, .infinity, -.infinity] {
                XCTAssertEqual(scale.color(value), theme.missingValue, "\(value)")
            }
        }
        XCTAssertEqual(ColorScale.sequential([0, 1], theme: theme).colors([0, .nan, 1]),
                       [viridis[0], theme.missingValue, viridis[255]])
    }

    /// All-equal data has no range to divide by; every value gets the first entry.
    func testDegenerateRangesDoNotDivideByZero() {
        for values: [Float] in [[0, 0], [4, 4, 4], [-3], [1e30, 1e30], [-1e30], [], [.nan]] {
            let scale = ColorScale.sequential(values, theme: theme)
            XCTAssertGreaterThan(scale.upper - scale.lower, 0, "\(values)")
            let value = Double(values.first(where: \.isFinite) ?? 0)
            XCTAssertEqual(scale.color(value), viridis[0], "\(values)")
        }
        let explicit = ColorScale(colormap: .viridis, lower: 2, upper: 2, missing: theme.missingValue)
        XCTAssertGreaterThan(explicit.upper, explicit.lower)
        XCTAssertEqual(explicit.color(2), viridis[0])
    }
}
