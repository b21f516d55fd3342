import Foundation
import Render

/// Fake recurrent-network data over a sentence (closed-form, no RNG): smooth gate values
/// with a few units that mean something a reader can check against the text.
extension Synthetic {
    /// 40 characters with a quotation, spaces and a newline.
    static let sentence = "The cat said \"hi there\" and sat down.\nOk"

    /// Per step of `text`: 1 after an opening quote has been read, until the closing one.
    static func insideQuotes(_ text: String) -> [Bool] {
        var inside = false
        return text.map { c in
            if c == "\"" { inside.toggle() }
            return inside
        }
    }

    /// `[steps, units]` forget-gate values in (0, 1): smooth waves, plus unit 3 closing at
    /// every space (a word boundary), unit 17 open exactly inside the quotes, unit 42
    /// closing at the newline.
    static func forgetGates(_ text: String = sentence, units: Int = 128) -> FloatArray {
        let characters = Array(text), quotes = insideQuotes(text)
        var values = [Float](repeating: 0, count: characters.count * units)
        for t in characters.indices { for u in 0..<units {
            let wave = 2.2 * sin(Double(t) * 0.11 * Double(1 + u % 5) + Double(u) * 0.7) + 1.1 * cos(Double(u) * 1.3)
            var v = 1 / (1 + exp(-wave))
            if u == 3 { v = characters[t] == " " ? 0.04 : 0.93 }
            if u == 17 { v = quotes[t] ? 0.97 : 0.06 }
            if u == 42 { v = characters[t] == "\n" ? 0.02 : 0.9 }
            values[t * units + u] = Float(v)
        } }
        return try! FloatArray(shape: [characters.count, units], values: values)
    }

    /// `[steps, units]` signed cell-state values in about [−2.5, 2.5]: unit 17 rises inside
    /// the quotes and falls after them; everything else drifts smoothly.
    static func cellStates(_ text: String = sentence, units: Int = 64) -> FloatArray {
        let quotes = insideQuotes(text)
        var values = [Float](repeating: 0, count: quotes.count * units)
        for t in quotes.indices { for u in 0..<units {
            var v = 1.6 * sin(Double(t) * 0.15 + Double(u) * 0.9) * cos(Double(u) * 0.37)
            if u == 17 { v = quotes[t] ? 2.4 : -0.6 }
            values[t * units + u] = Float(v)
        } }
        return try! FloatArray(shape: [quotes.count, units], values: values)
    }
}

extension Synthetic {
    /// A short paragraph with two quotations and line breaks (char-rnn style input).
    static let paragraph = "He looked up. \"Where are you going?\" she asked, and he said nothing.\n"
        + "Later, at the door: \"Home, I think.\"\nThe rain went on all night."

    /// Per character of `text`, a fake tanh cell in (−1, 1) that is high inside quotes and
    /// eases in and out over two characters.
    static func quoteCell(_ text: String) -> [Float] {
        let inside = insideQuotes(text).map { $0 ? 1.0 : 0.0 }
        return inside.indices.map { t in
            let window = inside[max(0, t - 2)...t]
            let eased = window.reduce(0, +) / Double(window.count)
            return Float(tanh(2.4 * eased - 0.9))
        }
    }

    /// Per character, a fake cell that counts the position in the current line: −0.9 at a
    /// line's start, rising towards +0.9 by character 60, reset by each newline.
    static func lineLengthCell(_ text: String) -> [Float] {
        var column = 0
        return text.map { c in
            defer { column = c == "\n" ? 0 : column + 1 }
            return Float(-0.9 + 1.8 * min(Double(column) / 60, 1))
        }
    }
}

extension Synthetic {
    /// What a character-level model writes as it trains (hand-made in char-rnn's manner).
    static let samplesOverTraining: [(String, String)] = [
        ("step 0", "kQ;e.vBz hXr!a Tq\nwjMu ,pe y'OlZd nnE?cf RiaxKw:s bgu\nZo.Hl"),
        ("step 500", "the soung ant the warl of he sain, an the kore hor thit\nmy lound the tere of therd"),
        ("step 5000", "ROMEO:\nWhat light is this that breaks upon the wall?\nIt is the east, and Juliet is the sun.\n"
            + "Arise, fair sun, and kill the envious moon,\nWho is already sick and pale with grief,\n"
            + "That thou her maid art far more fair than she.\nBe not her maid, since she is envious;"),
    ]
}

extension Synthetic {
    /// Fake top-5 next-character guesses over `text`: the actual next character is the
    /// first guess at most positions, second to fourth at some, missing at every 7th
    /// (t = 6, 13, 20, …); the first guess's probability waves between 0.35 and 0.85.
    static func topFive(_ text: String) -> [[TopKStrip.Candidate]] {
        let characters = Array(text), pool = Array(" etaonisrhld.,")
        let ranks: [Int?] = [0, 0, 1, 0, 2, 0, nil, 0, 1, 0, 3, 0, 0, nil]
        return characters.indices.map { t in
            let next = t + 1 < characters.count ? characters[t + 1] : " "
            var guesses = Array(pool.filter { $0 != next }.shuffledDeterministically(seed: t).prefix(5))
            if let rank = ranks[t % ranks.count] { guesses.insert(next, at: rank); guesses.removeLast() }
            var rest = 1.0, first = 0.35 + 0.5 * (0.5 + 0.5 * sin(Double(t) * 1.3))
            return guesses.enumerated().map { i, c in
                let p = i == 0 ? first : rest * 0.45
                rest -= p
                if i == 0 { first = p }
                return TopKStrip.Candidate(token: String(c), probability: Float(p))
            }
        }
    }
}

extension Array {
    /// A fixed permutation for `seed` (a rotation and a stride), enough for test data.
    func shuffledDeterministically(seed: Int) -> [Element] {
        guard count > 1 else { return self }
        let step = [1, 3, 5, 9, 11][seed % 5]
        let stepCoprime = (1...count).first { s in s >= step && gcd(s, count) == 1 } ?? 1
        return indices.map { self[(seed + $0 * stepCoprime) % count] }
    }

    private func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
