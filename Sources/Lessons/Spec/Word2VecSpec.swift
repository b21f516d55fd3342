/// A Word2Vec model in a lesson file: skip-gram with negative sampling, trained by its
/// own loop (`SkipGramTrainer`) instead of a layer list and `Trainer`.
///
/// ```yaml
/// model:
///   word2vec: {dimension: 50, window: 3, negatives: 5, subsample: 0.001}
/// training: {loss: negative_sampling, optimizer: sgd, learning_rate: 0.05, batch_size: 1024, ...}
/// ```
/// `batch_size` counts (centre, context) pairs per recorded step; each pair is its own
/// SGD update, as in word2vec.c.
public struct Word2VecSpec: Sendable, Equatable {
    /// Length of each word's vector.
    public var dimension: Int
    /// Largest distance between a centre word and a context word.
    public var window: Int
    /// Noise words drawn per pair (k).
    public var negatives: Int
    /// Subsampling threshold t for frequent words; nil: keep every word.
    public var subsample: Double?

    public init(dimension: Int, window: Int = 2, negatives: Int = 5, subsample: Double? = 1e-3) {
        self.dimension = dimension
        self.window = window
        self.negatives = negatives
        self.subsample = subsample
    }
}
