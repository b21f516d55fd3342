import XCTest
@testable import Render
final class RenderInfoTests: XCTestCase {
    func testCairoIsLinked() { XCTAssert(RenderInfo.cairoVersion.hasPrefix("1.")) }
}
