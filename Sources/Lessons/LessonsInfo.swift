import Foundation
/// Where the lessons folder is.
public enum LessonsInfo { public static let lessonsFolder = "lessons" }
