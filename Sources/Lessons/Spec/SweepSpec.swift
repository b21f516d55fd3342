import Foundation

/// A grid search over learning rate × batch size: one extra run of the lesson
/// per pair, each otherwise the main run (same data, model, optimizer and
/// normalisation), usually shorter. The parser turns it into variants named
/// `lr=0.001_bs=32`, trained and traced like any other; the `sweep` plot reads
/// their final validation accuracy back from those names and traces.
///
/// ```yaml
/// sweep: {learning_rate: [0.0003, 0.001, 0.003, 0.01], batch_size: [32, 128], epochs: 2}
/// ```
public struct SweepSpec: Sendable, Equatable {
    public var learningRates: [Double]
    public var batchSizes: [Int]
    /// Epochs of each sweep run; nil: the main run's.
    public var epochs: Int?

    /// Every (learning rate, batch size) pair, learning rate outermost.
    public var points: [(learningRate: Double, batchSize: Int)] {
        learningRates.flatMap { lr in batchSizes.map { (lr, $0) } }
    }

    /// The variant name of one point: `lr=0.001_bs=32` (a folder name).
    public static func variantName(learningRate: Double, batchSize: Int) -> String {
        "lr=\(learningRate)_bs=\(batchSize)"
    }

    /// The point a variant name stands for, or nil if it is not a sweep run's name.
    public static func point(inVariantNamed name: String) -> (learningRate: Double, batchSize: Int)? {
        guard name.hasPrefix("lr="), let cut = name.range(of: "_bs=") else { return nil }
        guard let lr = Double(name[name.index(name.startIndex, offsetBy: 3)..<cut.lowerBound]),
              let bs = Int(name[cut.upperBound...]) else { return nil }
        return variantName(learningRate: lr, batchSize: bs) == name ? (lr, bs) : nil
    }
}

extension LessonSpecParser {
    /// The `sweep` mapping: lists (or single values) of learning rates and batch sizes.
    static func parseSweep(_ node: SpecNode) throws -> SweepSpec {
        let m = try node.mapping(allowed: ["learning_rate", "batch_size", "epochs"],
                                 required: ["learning_rate", "batch_size"])
        func items(_ key: String) throws -> [SpecNode] {
            let value = m[key]!
            let list = try { if case .sequence = value.node { return try value.array() } else { return [value] } }()
            guard !list.isEmpty else { throw value.error("a sweep needs at least one value") }
            return list
        }
        let sweep = SweepSpec(learningRates: try items("learning_rate").map { try $0.double(in: 1e-9...1e6) },
                              batchSizes: try items("batch_size").map { try $0.int(in: 1...65536) },
                              epochs: try m["epochs"]?.int(in: 1...1000))
        guard Set(sweep.learningRates).count == sweep.learningRates.count else {
            throw m["learning_rate"]!.error("a learning rate appears twice")
        }
        guard Set(sweep.batchSizes).count == sweep.batchSizes.count else {
            throw m["batch_size"]!.error("a batch size appears twice")
        }
        return sweep
    }

    /// The sweep's runs as variants of the main run, after the lesson's own `variants`.
    static func sweepVariants(_ sweep: SweepSpec?, node: SpecNode?, after variants: [VariantSpec], data: DataSpec,
                              layers: [LayerSpec], training: TrainingSpec) throws -> [VariantSpec] {
        guard let sweep, let node else { return [] }
        return try sweep.points.map { point in
            let name = SweepSpec.variantName(learningRate: point.learningRate, batchSize: point.batchSize)
            guard !variants.contains(where: { $0.name == name }) else {
                throw node.error("the sweep's run '\(name)' has the name of a variant")
            }
            var t = training
            t.learningRate = point.learningRate
            t.batchSize = point.batchSize
            if let epochs = sweep.epochs { t.epochs = epochs }
            return VariantSpec(name: name, training: t, layers: layers, data: data)
        }
    }
}
