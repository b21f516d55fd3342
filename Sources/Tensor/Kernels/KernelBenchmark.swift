import Dispatch

/// Timings of the engine's kernels on the shapes of the seed CNN (Keras's MNIST
/// example at batch 64), for `learn bench`. Returns numbers, prints nothing.
///
/// Every timing is the best of several repetitions lasting at least
/// `minimumSeconds` together, so a busy neighbour on a shared machine inflates it
/// less than an average would.
public enum KernelBenchmark {
    /// One GEMM shape: C[m×n] = op(A)·op(B) with inner dimension k.
    public struct GEMMShape: Sendable, Equatable {
        public let name: String
        public let m, n, k: Int
        public let transposeA, transposeB: Bool
        public init(_ name: String, m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false) {
            self.name = name
            (self.m, self.n, self.k, self.transposeA, self.transposeB) = (m, n, k, transposeA, transposeB)
        }
        /// 2·m·n·k multiply-adds counted as two operations each.
        public var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }

    public struct GEMMTiming: Sendable {
        public let shape: GEMMShape
        public let threads: Int
        public let seconds: Double
        public var gflops: Double { shape.flops / seconds / 1e9 }
    }

    /// Forward, backward and their sum for one convolution layer.
    public struct ConvolutionTiming: Sendable {
        public let name: String
        public let inputShape, weightShape: [Int]
        public let threads: Int
        public let forwardSeconds, backwardSeconds: Double
    }

    /// The GEMMs of one training step of the seed CNN at batch 64: forward
    /// Y = cols·W, weight gradient dW = colsᵀ·dY, input gradient dcols = dY·Wᵀ.
    public static let seedCNNShapes: [GEMMShape] = {
        let layers: [(String, m: Int, k: Int, n: Int)] = [
            ("conv1", 64 * 26 * 26, 9, 32), ("conv2", 64 * 11 * 11, 288, 64),
            ("conv3", 64 * 3 * 3, 576, 64), ("dense1", 64, 576, 64), ("dense2", 64, 64, 10),
        ]
        return layers.flatMap { l in [
            GEMMShape("\(l.0) forward", m: l.m, n: l.n, k: l.k),
            GEMMShape("\(l.0) weight gradient", m: l.k, n: l.n, k: l.m, transposeA: true),
            GEMMShape("\(l.0) input gradient", m: l.m, n: l.k, k: l.n, transposeB: true),
        ] }
    }()

    /// The seed CNN's three convolutions at batch 64: (name, input NHWC, weight, whether
    /// training needs the input gradient — not for the first layer).
    public static let seedCNNConvolutions: [(name: String, input: [Int], weight: [Int], inputGradient: Bool)] = [
        ("conv1", [64, 28, 28, 1], [3, 3, 1, 32], false),
        ("conv2", [64, 13, 13, 32], [3, 3, 32, 64], true),
        ("conv3", [64, 5, 5, 64], [3, 3, 64, 64], true),
    ]

    /// Times `GEMM.multiply` on `shape` with `threads` workers (restored afterwards).
    public static func gemm(_ shape: GEMMShape, threads: Int, minimumSeconds: Double = 0.2) -> GEMMTiming {
        let (ra, ca) = shape.transposeA ? (shape.k, shape.m) : (shape.m, shape.k)
        let (rb, cb) = shape.transposeB ? (shape.n, shape.k) : (shape.k, shape.n)
        let a = randomTensor([ra, ca], name: "a"), b = randomTensor([rb, cb], name: "b")
        var c = Tensor(shape: [shape.m, shape.n])
        let seconds = withThreads(threads) {
            bestTime(minimumSeconds: minimumSeconds) {
                matmul(a, b, transposeA: shape.transposeA, transposeB: shape.transposeB, into: &c, accumulate: false)
            }
        }
        return GEMMTiming(shape: shape, threads: threads, seconds: seconds)
    }

    /// Times `conv2D` and `conv2DBackward` on one layer shape.
    public static func convolution(name: String, input: [Int], weight: [Int], inputGradient: Bool = true,
                                   threads: Int, minimumSeconds: Double = 0.2) -> ConvolutionTiming {
        let x = randomTensor(input, name: "x"), w = randomTensor(weight, name: "w")
        let bias = randomTensor([weight[3]], name: "bias")
        let y = conv2D(x, weight: w, bias: bias)
        let dy = randomTensor(y.shape, name: "dy")
        let (forward, backward) = withThreads(threads) {
            (bestTime(minimumSeconds: minimumSeconds) { _ = conv2D(x, weight: w, bias: bias) },
             bestTime(minimumSeconds: minimumSeconds) {
                 _ = conv2DBackward(x, weight: w, outputGradient: dy, computeInputGradient: inputGradient)
             })
        }
        return ConvolutionTiming(name: name, inputShape: input, weightShape: weight, threads: threads,
                                 forwardSeconds: forward, backwardSeconds: backward)
    }

    private static func randomTensor(_ shape: [Int], name: String) -> Tensor {
        var rng = RandomStream(seed: 1, name: name)
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<count).map { _ in rng.nextUniform(-1, 1) })
    }

    private static func withThreads<T>(_ threads: Int, _ body: () -> T) -> T {
        let saved = WorkerPool.shared.threads
        WorkerPool.shared.threads = threads
        defer { WorkerPool.shared.threads = saved }
        return body()
    }

    /// Best wall time of `body` over repetitions totalling at least `minimumSeconds` (≥ 3 runs).
    private static func bestTime(minimumSeconds: Double, _ body: () -> Void) -> Double {
        body()
        var best = Double.infinity, total = 0.0, runs = 0
        while total < minimumSeconds || runs < 3 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            body()
            let t = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
            best = min(best, t)
            total += t
            runs += 1
        }
        return best
    }
}
