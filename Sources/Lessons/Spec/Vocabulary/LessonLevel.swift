/// The `level:` of a lesson: whom it is written for.
public enum LessonLevel: String, CaseIterable, Sendable {
    case beginner
    case intermediate
    case advanced
}
