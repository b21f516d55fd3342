/// The summary of one tensor at one step, cheap enough to keep for every
/// tensor at every step: count, mean, standard deviation (population, ddof = 0,
/// like `numpy.std`), min, max, L2 norm ‖x‖₂ = √Σx², and a histogram of
/// `binCount` equal bins over [min, max] (of every element up to 16 384 elements;
/// of every k-th run of 256 adjacent elements, about that many, in larger tensors;
/// a trace bins layer outputs from a quarter of that sample, see `HistogramSampling`).
///
/// Bin of x: ⌊(x − min) / (max − min) · binCount⌋, with x = max in the last bin;
/// a constant tensor puts everything in bin 0. Non-finite elements (NaN, ±∞,
/// e.g. after a diverged step) are counted in `nonFinite` and left out of every
/// other field, so one NaN does not hide the rest of the distribution.
public struct TensorStatistics: Equatable, Sendable {
    public static let binCount = 32
    /// Names of the `moments` row stored in a trace, in order.
    public static let momentNames = ["count", "mean", "std", "min", "max", "l2", "nonfinite"]

    /// Elements in the tensor, finite or not.
    public var count: Int
    public var mean: Double
    public var std: Double
    public var min: Double
    public var max: Double
    public var l2: Double
    public var nonFinite: Int
    /// `binCount` counts over [min, max].
    public var histogram: [Int32]

    /// Statistics of `scalars` (one pass over memory for the moments, a short one
    /// over a sample for the bins).
    public init(of scalars: [Float]) {
        self = scalars.withUnsafeBufferPointer { StatisticsKernel.statistics($0, bins: Self.binCount) }
    }

    public init(count: Int, mean: Double, std: Double, min: Double, max: Double, l2: Double,
                nonFinite: Int, histogram: [Int32]) {
        self.count = count
        self.mean = mean
        self.std = std
        self.min = min
        self.max = max
        self.l2 = l2
        self.nonFinite = nonFinite
        self.histogram = histogram
    }

    /// `count, mean, std, min, max, l2, nonfinite`, the row stored in a trace.
    public var moments: [Double] {
        [Double(count), mean, std, min, max, l2, Double(nonFinite)]
    }

    /// Rebuilds statistics from a stored `moments` row and histogram.
    public init(moments m: ArraySlice<Double>, histogram: [Int32]) {
        let m = Array(m)
        self.init(count: Int(m[0]), mean: m[1], std: m[2], min: m[3], max: m[4], l2: m[5],
                  nonFinite: Int(m[6]), histogram: histogram)
    }

    /// One named statistic, for series such as "conv1.weight l2 per step".
    public func value(of measure: StatisticMeasure) -> Double {
        switch measure {
        case .mean: return mean
        case .std: return std
        case .min: return min
        case .max: return max
        case .l2: return l2
        case .count: return Double(count)
        case .nonFinite: return Double(nonFinite)
        }
    }
}

/// A scalar field of `TensorStatistics`, by the name used on the command line.
public enum StatisticMeasure: String, CaseIterable, Sendable {
    case mean, std, min, max, l2, count
    case nonFinite = "nonfinite"
}
