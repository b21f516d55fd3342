import Tensor

/// Tracks the best validation loss and keeps a copy of the weights that gave it.
final class EarlyStoppingMonitor {
    let rule: EarlyStopping
    let parameters: [Parameter]
    private(set) var bestLoss = Float.infinity
    private(set) var bestEpoch: Int?
    private var bestValues: [Tensor] = []
    private var epochsWithoutImprovement = 0

    init(_ rule: EarlyStopping, parameters: [Parameter]) {
        self.rule = rule
        self.parameters = parameters
    }

    var restores: Bool { rule.restoreBestWeights && bestEpoch != nil }

    /// Records an epoch's validation loss; true when training should stop.
    func observe(epoch: Int, loss: Float) -> Bool {
        if loss < bestLoss - rule.minDelta {
            bestLoss = loss
            bestEpoch = epoch
            epochsWithoutImprovement = 0
            if rule.restoreBestWeights { bestValues = parameters.map(\.value) }
            return false
        }
        epochsWithoutImprovement += 1
        return epochsWithoutImprovement >= rule.patience
    }

    func restoreBest() {
        for (p, v) in zip(parameters, bestValues) { p.value = v }
    }
}
