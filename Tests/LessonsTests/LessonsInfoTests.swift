import XCTest
@testable import Lessons
final class LessonsInfoTests: XCTestCase {
    func testLessonsFolderName() { XCTAssertEqual(LessonsInfo.lessonsFolder, "lessons") }
}
