import Foundation
import NeuralNet
import Tensor
import Trace

/// A run's word vectors with the vocabulary that names their rows, read from its trace
/// folder: Word2Vec's input vectors (`word2vec.input`) or a layer model's Embedding
/// (`embedding1.embeddings`); the final ones (`model.safetensors`) or those the trace
/// kept at a step. Answers the questions the lesson asks of them, with the cosine
/// similarity cos(a, b) = a·b / (‖a‖ ‖b‖) as the measure.
struct WordEmbedding {
    let vocabulary: Vocabulary
    /// [vocabulary, dimension].
    let vectors: Tensor
    /// The parameter's trace name.
    let name: String

    var dimension: Int { vectors.shape[1] }

    init(vocabulary: Vocabulary, vectors: Tensor, name: String) {
        self.vocabulary = vocabulary
        self.vectors = vectors
        self.name = name
    }

    /// The embedding of `run` at `step` (nil: the trained model's).
    init(_ run: TraceFigures, step: Int? = nil) throws {
        guard FileManager.default.fileExists(atPath: run.folder.appendingPathComponent(Vocabulary.fileName).path) else {
            throw FigureUnavailable("the run keeps no vocabulary (\(Vocabulary.fileName)): it is not a model of words")
        }
        let parameters = run.layers.flatMap(\.parameters)
        guard let parameter = parameters.first(where: { $0.name == SkipGram.inputName })
                ?? parameters.first(where: { $0.name.hasSuffix(".embeddings") }) else {
            throw FigureUnavailable("the model has no word embedding")
        }
        vocabulary = try Vocabulary.read(from: run.folder)
        name = parameter.name
        if let step {
            vectors = try run.reader.tensor(parameter.name, kind: .weight, step: step)
        } else {
            let file = run.folder.appendingPathComponent(ModelArchitecture.weightsFileName)
            guard let final = try Checkpoint.load(from: file).tensors[parameter.name] else {
                throw FigureUnavailable("\(file.path) holds no \(parameter.name)")
            }
            vectors = final
        }
    }

    /// Steps at which the trace keeps the embedding.
    static func steps(_ run: TraceFigures) throws -> [Int] {
        let names = run.layers.flatMap(\.parameters).map(\.name)
        guard let name = names.first(where: { $0 == SkipGram.inputName }) ?? names.first(where: { $0.hasSuffix(".embeddings") })
        else { throw FigureUnavailable("the model has no word embedding") }
        return run.steps(holding: name, kind: .weight)
    }

    /// Whether `word` has its own row (not `<unk>`, not a reserved token).
    func knows(_ word: String) -> Bool { vocabulary.id(of: word) >= Vocabulary.reservedTokens.count }

    func vector(_ id: Int) -> [Double] {
        vectors.scalars[(id * dimension)..<((id + 1) * dimension)].map(Double.init)
    }

    func vector(_ word: String) -> [Double] { vector(vocabulary.id(of: word)) }

    func unit(_ v: [Double]) -> [Double] {
        let norm = v.map { $0 * $0 }.reduce(0, +).squareRoot()
        return norm > 0 ? v.map { $0 / norm } : v
    }

    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        let dot = zip(a, b).map { $0 * $1 }.reduce(0, +)
        let norms = (a.map { $0 * $0 }.reduce(0, +) * b.map { $0 * $0 }.reduce(0, +)).squareRoot()
        return norms > 0 ? dot / norms : 0
    }

    /// Every word's cosine with `query`, by id (reserved ids and `excluded` get −∞).
    func similarities(to query: [Double], excluding excluded: Set<Int> = []) -> [Double] {
        (0..<vocabulary.count).map { id in
            id < Vocabulary.reservedTokens.count || excluded.contains(id) ? -.infinity : Self.cosine(vector(id), query)
        }
    }

    /// The `count` words nearest to `word` by cosine, with their similarities.
    func neighbours(of word: String, count: Int) -> [(word: String, cosine: Double)] {
        let id = vocabulary.id(of: word)
        let s = similarities(to: vector(id), excluding: [id])
        return s.indices.sorted { s[$0] > s[$1] }.prefix(count).map { (vocabulary.token(of: $0), s[$0]) }
    }

    /// a : b :: c : ? answered as the word nearest to b̂ − â + ĉ, each vector scaled to
    /// length 1 first and a, b and c left out (Mikolov et al.'s 3CosAdd), with its cosine
    /// and the rank of `expected` among all answers.
    func analogy(_ a: String, _ b: String, _ c: String, expected: String)
        -> (answer: String, cosine: Double, expectedRank: Int, expectedCosine: Double) {
        let (va, vb, vc) = (unit(vector(a)), unit(vector(b)), unit(vector(c)))
        let query = (0..<dimension).map { vb[$0] - va[$0] + vc[$0] }
        let s = similarities(to: query, excluding: Set([a, b, c].map(vocabulary.id(of:))))
        let order = s.indices.sorted { s[$0] > s[$1] }
        let target = vocabulary.id(of: expected)
        let rank = (order.firstIndex(of: target) ?? order.count - 1) + 1
        return (vocabulary.token(of: order[0]), s[order[0]], rank, s[target])
    }
}
