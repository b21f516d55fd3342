@testable import Tensor

/// The convolution-and-pooling shapes that `MeasuredPooledConvolutionTests` and
/// `SummarizedPooledConvolutionTests` both run, so the stored and the summarized pass are
/// checked on the same cuts.
enum PooledConvolutionCases {
    /// First-layer route: cnn-mnist's conv1 at batch 64 (the GEMM's 96-row pieces straddle
    /// 26×26 images); 5 images whose last piece is short; 24 channels (the eight-lane loop on
    /// AVX-512 too); not ReLU'd; pieces longer than an image (4×4 outputs of 8 channels).
    static let firstLayer: [(x: [Int], filters: Int, rectified: Bool)] = [
        ([64, 28, 28, 1], 32, true), ([5, 28, 28, 1], 32, true), ([3, 12, 14, 1], 24, true),
        ([4, 10, 12, 1], 16, false), ([7, 6, 6, 1], 8, true),
    ]
    /// Winograd's route (cnn-mnist's conv2): 9 images (a short last block), cut edge tiles
    /// (11×11 outputs), 2×2 and 3×3/3 windows, 'same' padding.
    static let winograd: [(x: [Int], filters: Int, padding: Padding, pool: Int)] = [
        ([9, 13, 13, 32], 64, .valid, 2), ([9, 13, 13, 32], 64, .valid, 3), ([5, 12, 12, 16], 16, .same, 2),
    ]
}
