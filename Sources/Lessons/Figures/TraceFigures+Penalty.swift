import Foundation
import Trace

extension TraceFigures {
    /// The L2 penalty λ·Σ‖W‖² that a run trained with `l2` added to the training loss of
    /// every step — nil for a run without one — so figures can show the data loss alone.
    /// It comes from the weight norms each step's statistics hold (the weights its forward
    /// pass used, as its training loss did). Validation and test losses carry no penalty.
    func l2Penalty() throws -> [Int: Double]? {
        guard let lambda = reader.manifest.run.hyperparameters["l2"].flatMap(Double.init) else { return nil }
        var perStep: [Int: Double] = [:]
        for p in try model().parameters where p.decays {
            for (step, norm) in try reader.series(.l2, of: p.name, kind: .weight) {
                perStep[step, default: 0] += lambda * norm * norm
            }
        }
        return perStep
    }
}
