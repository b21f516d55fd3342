import Foundation
import XCTest
import Render

/// Golden-image checks. A figure is rendered to PNG, decoded, and compared pixel for pixel
/// with `__Goldens__/NAME.png` next to the tests (decoded pixels, not bytes: a libpng
/// update may change the bytes of an identical image).
///
/// Re-record after an intended visual change, then LOOK at the new images before
/// committing them:
///     RECORD_GOLDENS=1 swift test -c release --filter RenderTests
/// A missing golden is recorded and the test fails, so a new figure is never accepted
/// unseen. On a mismatch the rendered image is written to `$TMPDIR/render-failures/`.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("__Goldens__")

    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" }

    static func assertMatches(_ figure: Figure, named name: String, width: Double = 800,
                              file: StaticString = #filePath, line: UInt = #line) throws {
        let png = try figure.pngData(width: width)
        let url = directory.appendingPathComponent("\(name).png")
        if recording || !FileManager.default.fileExists(atPath: url.path) {
            try png.write(to: url, options: .atomic)
            if !recording { XCTFail("recorded missing golden \(name).png; look at it, then re-run", file: file, line: line) }
            return
        }
        let expected = try RasterImage(contentsOfPNG: url.path)
        let actual = try RasterImage(png: png)
        if expected != actual {
            let failures = FileManager.default.temporaryDirectory.appendingPathComponent("render-failures")
            try FileManager.default.createDirectory(at: failures, withIntermediateDirectories: true)
            try png.write(to: failures.appendingPathComponent("\(name).png"))
            XCTFail("\(name): pixels differ from golden (\(actual.width)×\(actual.height) vs "
                    + "\(expected.width)×\(expected.height)); actual in \(failures.path)", file: file, line: line)
        }
    }
}

/// Property checks shared by the plot tests.
enum Pixels {
    /// Number of distinct colours: a blank or single-colour image has 1.
    static func distinctColors(_ image: RasterImage) -> Int { Set(image.pixels).count }

    /// Fraction of pixels that are not the white background.
    static func inkedFraction(_ image: RasterImage) -> Double {
        Double(image.pixels.filter { $0 != 0xFFFF_FFFF }.count) / Double(image.pixels.count)
    }

    static func render(_ figure: Figure, width: Double = 800) throws -> RasterImage {
        try RasterImage(png: figure.pngData(width: width))
    }
}
