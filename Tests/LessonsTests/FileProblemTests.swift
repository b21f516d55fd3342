import Foundation
import XCTest
@testable import Lessons

/// Foundation's file errors become one sentence naming the path and the system's reason.
final class FileProblemTests: XCTestCase {
    func testFoundationErrorsReadAsOneSentence() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("learn-fp-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("missing.json")
        XCTAssertThrowsError(try Data(contentsOf: missing)) { error in
            XCTAssertEqual(FileProblem(error)?.description, "cannot read \(missing.path): No such file or directory")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let blocker = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        XCTAssertThrowsError(try FileManager.default.createDirectory(at: blocker.appendingPathComponent("sub"),
                                                                     withIntermediateDirectories: true)) { error in
            let problem = FileProblem(error)
            XCTAssertEqual(problem?.reason, "Not a directory")
            XCTAssertFalse(problem?.description.contains("NSCocoaErrorDomain") ?? true)
        }
        XCTAssertNil(FileProblem(LessonError.invalidName("x")), "not a file error")
    }

    func testOutputFolderThatCannotBeCreatedIsNamedWithAHint() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("learn-fp-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let blocker = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        XCTAssertThrowsError(try FileProblem.createOutputFolder(blocker.appendingPathComponent("out"))) { error in
            XCTAssertEqual("\(error)", "cannot write to output folder \(blocker.path)/out: Not a directory "
                                       + "(choose another with --out DIR)")
        }
        XCTAssertNoThrow(try FileProblem.createOutputFolder(folder.appendingPathComponent("a/b")))
    }
}
