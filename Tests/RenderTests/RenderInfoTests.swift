import XCTest
import Render

final class RenderInfoTests: XCTestCase {
    func testCairoAndPangoAreLinked() {
        XCTAssert(RenderInfo.cairoVersion.hasPrefix("1."))
        XCTAssert(RenderInfo.pangoVersion.hasPrefix("1."))
    }
}
