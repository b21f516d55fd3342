import Foundation

/// Why a vocabulary could not be built, read or used. File cases name the file;
/// `outsideVocabulary` lists what a prompt holds that the model never saw.
public enum VocabularyError: Error, CustomStringConvertible, Equatable {
    /// A cap below the two reserved tokens, or a minimum count below 1.
    case invalidLimits(maximumSize: Int?, minimumCount: Int)
    case missingFile(URL)
    case unreadable(URL, reason: String)
    /// The file is not a vocabulary written by `learn` (bad JSON, wrong format or version, bad tokens).
    case malformed(URL, reason: String)
    /// A prompt holds tokens (characters or words) the vocabulary lacks.
    case outsideVocabulary([String], kind: TokenizerKind)

    public var description: String {
        switch self {
        case let .invalidLimits(maximumSize, minimumCount):
            return "vocabulary limits maximum size \(maximumSize.map(String.init) ?? "none"), minimum count "
                + "\(minimumCount): the size must be at least \(Vocabulary.reservedTokens.count) (for "
                + "\(Vocabulary.reservedTokens.joined(separator: " and "))) and the count at least 1"
        case let .missingFile(url):
            return "\(url.path): no such file (a trained text model keeps its vocabulary there)"
        case let .unreadable(url, reason):
            return "\(url.path): cannot read (\(reason))"
        case let .malformed(url, reason):
            return "\(url.path): not a vocabulary written by learn (\(reason))"
        case let .outsideVocabulary(tokens, kind):
            return "the prompt has \(kind.unitName) the model never saw in training: "
                + tokens.map { "'\(Vocabulary.label($0))'" }.joined(separator: ", ")
                + "; leave them out or replace them"
        }
    }
}
