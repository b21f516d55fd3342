import XCTest
@testable import Trace
final class TraceSchemaTests: XCTestCase {
    func testSchemaVersionIsPositive() { XCTAssertGreaterThan(TraceSchema.version, 0) }
}
