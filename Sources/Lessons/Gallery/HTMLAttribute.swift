import Foundation

/// Attribute values for Plot, which escapes text nodes but writes attribute values as
/// given: a caption with a `"` would otherwise end the `alt` attribute early.
enum HTMLAttribute {
    /// `&`, `<`, `>`, `"` and `'` as character references.
    static func escaped(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.count)
        for character in value {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A relative file path as an escaped URL: each component percent-encoded, so a
    /// space or `#` in a file name still finds the file.
    static func relativeURL(_ path: String) -> String {
        escaped(percentEncodedPath(path))
    }

    /// A relative file path with each component percent-encoded (not yet HTML-escaped).
    static func percentEncodedPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map {
            $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#;")))
                ?? String($0)
        }.joined(separator: "/")
    }
}
