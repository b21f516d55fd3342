import Foundation
import NeuralNet
import Trace

/// Times a `Trainer`'s steps from its callbacks: the seconds spent training by the end
/// of each step, the validation pass at each epoch's end left out (the clock restarts
/// after it), so that runs of different models compare by the time they trained.
/// What the callbacks did before (progress display) still happens.
final class TrainingStopwatch {
    private(set) var seconds: [Double] = []
    private var total = 0.0
    private var last = Date()

    /// Starts the clock and hooks it into `trainer`'s step and epoch callbacks.
    init(attachedTo trainer: Trainer) {
        let onStep = trainer.onStep, onEpoch = trainer.onEpoch
        trainer.onStep = { [self] progress in
            let now = Date()
            total += now.timeIntervalSince(last)
            last = now
            seconds.append(total)
            onStep?(progress)
        }
        trainer.onEpoch = { [self] metrics in
            onEpoch?(metrics)
            last = Date()
        }
        last = Date()
    }

    var record: TrainingTimeRecord { TrainingTimeRecord(seconds: seconds) }
}
