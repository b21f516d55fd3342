/// Fixed-length training windows cut from a token stream, for next-token
/// prediction: window n starts at `starts[n]`, its inputs are the `length`
/// tokens from there and its targets the same tokens shifted by one,
///
///     inputs[n, t]  = stream[starts[n] + t]
///     targets[n, t] = stream[starts[n] + t + 1]
///
/// with `starts[n] = n · stride` (a stride equal to the length cuts the stream
/// into consecutive windows; a smaller one overlaps them). A full window needs
/// `length + 1` tokens, so the last target of one window is the first input of
/// the next when `stride == length`.
///
/// With `padLast`, one more window starts at the next stride position if the
/// stream still has a token there with a token after it: it holds the
/// remaining inputs, then padding (input `Vocabulary.paddingID`, target
/// `ignoredTarget`, mask 0) up to `length`. Without it, a tail shorter than a
/// full window is dropped, and a stream shorter than `length + 1` gives no windows.
///
/// Arrays are flat and row-major, `shape == [count, length]`, ready for
/// `Tensor(shape: windows.shape, scalars: windows.inputScalars)`.
///
/// ```swift
/// let w = try TokenWindows(stream: [5, 6, 7, 8, 9, 10], length: 2, stride: 2, padLast: true)
/// // inputs  [[5, 6], [7, 8], [9,  0]]
/// // targets [[6, 7], [8, 9], [10, -1]]
/// // mask    [[1, 1], [1, 1], [1,  0]]
/// ```
public struct TokenWindows: Equatable, Sendable {
    /// The target at a padded position; sequence losses skip it.
    public static let ignoredTarget = -1

    /// Number of windows, N.
    public let count: Int
    /// Tokens per window, T.
    public let length: Int
    /// Where each window starts in the stream.
    public let starts: [Int]
    /// `[N, T]` token ids, row-major.
    public let inputs: [Int]
    /// `[N, T]` next-token ids, row-major; `ignoredTarget` at padding.
    public let targets: [Int]
    /// `[N, T]`, 1 at a real token, 0 at padding.
    public let mask: [Float]

    public init(stream: [Int], length: Int, stride: Int, padLast: Bool = false) throws {
        guard length >= 1, stride >= 1 else { throw TextSplitError.invalidWindow(length: length, stride: stride) }
        // Full windows start at 0, stride, … while start + length + 1 ≤ stream.count.
        let fullCount = stream.count >= length + 1 ? (stream.count - length - 1) / stride + 1 : 0
        var starts = (0..<fullCount).map { $0 * stride }
        let next = fullCount * stride
        if padLast && next + 1 < stream.count { starts.append(next) }
        self.init(stream: stream, starts: starts, length: length)
    }

    /// Windows of `length` starting at `starts` (each start below `stream.count − 1`);
    /// one that runs past the end is padded.
    public init(stream: [Int], starts: [Int], length: Int) {
        var inputs: [Int] = []
        var targets: [Int] = []
        var mask: [Float] = []
        for start in starts {
            let real = min(length, stream.count - 1 - start)
            inputs += stream[start..<(start + real)]
            targets += stream[(start + 1)...(start + real)]
            mask += repeatElement(1, count: real)
            inputs += repeatElement(Vocabulary.paddingID, count: length - real)
            targets += repeatElement(Self.ignoredTarget, count: length - real)
            mask += repeatElement(0, count: length - real)
        }
        self.count = starts.count
        self.length = length
        self.starts = starts
        self.inputs = inputs
        self.targets = targets
        self.mask = mask
    }

    /// `[count, length]`.
    public var shape: [Int] { [count, length] }

    /// The inputs of window `n`.
    public func inputs(of n: Int) -> ArraySlice<Int> { inputs[(n * length)..<((n + 1) * length)] }
    /// The targets of window `n`.
    public func targets(of n: Int) -> ArraySlice<Int> { targets[(n * length)..<((n + 1) * length)] }
    /// The mask of window `n`.
    public func mask(of n: Int) -> ArraySlice<Float> { mask[(n * length)..<((n + 1) * length)] }

    /// The inputs as `Float`s, the element type of the engine's `Tensor`.
    public var inputScalars: [Float] { inputs.map(Float.init) }
    /// The targets as `Float`s (−1 at padding).
    public var targetScalars: [Float] { targets.map(Float.init) }
}
