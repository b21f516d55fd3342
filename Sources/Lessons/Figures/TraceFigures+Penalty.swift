import Foundation
import Trace

extension TraceFigures {
    /// The L2 penalty λ·Σ‖W‖² that a run trained with `l2` added to every loss it
    /// reported — nil for a run without one — so figures can show the data loss alone.
    ///
    /// Per step, from the weight norms that step's statistics hold (the weights its
    /// forward pass used, as its training loss did). After each epoch, from the
    /// weights its validation saw: those of the next epoch's first step, or, after
    /// the last epoch, the final model's.
    func l2Penalty() throws -> (perStep: [Int: Double], perEpoch: [Double])? {
        guard let lambda = reader.manifest.run.hyperparameters["l2"].flatMap(Double.init) else { return nil }
        let final = try model()
        var perStep: [Int: Double] = [:]
        for p in final.parameters where p.decays {
            for (step, norm) in try reader.series(.l2, of: p.name, kind: .weight) {
                perStep[step, default: 0] += lambda * norm * norm
            }
        }
        let finalPenalty = lambda * final.parameters.filter(\.decays)
            .map { $0.value.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } }.reduce(0, +)
        let epochs = reader.manifest.epochs
        let perEpoch = epochs.enumerated().map { k, e in k == epochs.count - 1 ? finalPenalty : perStep[e.step + 1] ?? .nan }
        return (perStep, perEpoch)
    }
}
