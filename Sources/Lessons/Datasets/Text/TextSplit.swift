/// The parts a text is split into, and `whole` for the text before splitting.
public enum TextPart: String, CaseIterable, Sendable, Codable {
    case training, validation, test, whole
}

/// How much of a text goes to training, validation and test, in that order by
/// position: with the standard 0.8 / 0.1 / 0.1 the first 80 % of the tokens
/// train, the next 10 % validate and the last 10 % test.
public struct SplitFractions: Equatable, Sendable, Codable {
    public let training: Double
    public let validation: Double
    public let test: Double

    /// 80 % training, 10 % validation, 10 % test.
    public static let standard = SplitFractions(checkedTraining: 0.8, validation: 0.1, test: 0.1)

    /// Fractions in 0...1 that make 1 (to within 1e-9), with some training; otherwise
    /// `TextSplitError.invalidFractions`.
    public init(training: Double, validation: Double, test: Double) throws {
        let parts = [training, validation, test]
        guard parts.allSatisfy({ $0.isFinite && $0 >= 0 && $0 <= 1 }), training > 0,
              abs(parts.reduce(0, +) - 1) <= 1e-9 else {
            throw TextSplitError.invalidFractions(training: training, validation: validation, test: test)
        }
        self.init(checkedTraining: training, validation: validation, test: test)
    }

    private init(checkedTraining training: Double, validation: Double, test: Double) {
        self.training = training
        self.validation = validation
        self.test = test
    }

    /// Where validation and test begin in a stream of `count` elements: training is
    /// `0..<validationStart`, validation `validationStart..<testStart`, test
    /// `testStart..<count`. Each boundary is its cumulative fraction of `count`,
    /// rounded to the nearest element.
    public func boundaries(count: Int) -> (validationStart: Int, testStart: Int) {
        let validationStart = Int((Double(count) * training).rounded())
        let testStart = Int((Double(count) * (training + validation)).rounded())
        return (min(validationStart, count), min(max(testStart, validationStart), count))
    }
}

/// A stream cut by position into training, validation and test: no element is
/// moved across a boundary or shuffled, and the three parts, joined in order,
/// are the stream again.
///
/// ```swift
/// let split = TextSplit(Array(0..<10), fractions: .standard)
/// // split.training == [0, 1, 2, 3, 4, 5, 6, 7], split.validation == [8], split.test == [9]
/// ```
public struct TextSplit<Element> {
    public let training: [Element]
    public let validation: [Element]
    public let test: [Element]

    public init(_ stream: [Element], fractions: SplitFractions) {
        let (validationStart, testStart) = fractions.boundaries(count: stream.count)
        training = Array(stream[..<validationStart])
        validation = Array(stream[validationStart..<testStart])
        test = Array(stream[testStart...])
    }

    private init(training: [Element], validation: [Element], test: [Element]) {
        self.training = training
        self.validation = validation
        self.test = test
    }

    /// The part named `part`; the whole stream for `.whole`.
    public subscript(part: TextPart) -> [Element] {
        switch part {
        case .training: return training
        case .validation: return validation
        case .test: return test
        case .whole: return training + validation + test
        }
    }

    /// The same split with each part transformed (tokens to ids, say).
    public func map<T>(_ transform: ([Element]) throws -> [T]) rethrows -> TextSplit<T> {
        TextSplit<T>(training: try transform(training), validation: try transform(validation),
                     test: try transform(test))
    }
}

extension TextSplit: Equatable where Element: Equatable {}
extension TextSplit: Sendable where Element: Sendable {}
