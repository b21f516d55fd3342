import Foundation
import NeuralNet

/// Which steps of a run keep what. Statistics of every reported tensor are kept
/// at every step (or, to cut overhead, every `statisticsEvery`-th step and at
/// every full-tensor step); full tensors are kept at the first `first` steps,
/// every `every`-th step (step % every == 0), and each epoch's last step if
/// `epochEnds`.
///
/// Parsed from the command line or a lesson: `all`, `none`, `default`, or a
/// comma list such as `first=5,every=100,epoch-end` (plus `stats-every=N`).
public struct RecordPolicy: Equatable, Sendable, CustomStringConvertible {
    public var first: Int
    /// 0 means never.
    public var every: Int
    public var epochEnds: Bool
    /// Statistics every this many steps (1 = every step, the default).
    public var statisticsEvery: Int

    public init(first: Int = 0, every: Int = 0, epochEnds: Bool = false, statisticsEvery: Int = 1) {
        self.first = first
        self.every = every
        self.epochEnds = epochEnds
        self.statisticsEvery = max(1, statisticsEvery)
    }

    /// Full tensors at every step (small lessons).
    public static let all = RecordPolicy(every: 1)
    /// Statistics only.
    public static let none = RecordPolicy()
    /// The first 3 steps, every 1000th and each epoch's end: 12 full steps for a
    /// 5-epoch, 4690-step run (≈150 MB at 12 MB per step, plus ≈26 MB of
    /// statistics for 30 tensors), inside the 200 MB budget.
    public static let `default` = RecordPolicy(first: 3, every: 1000, epochEnds: true)

    public init(parsing text: String) throws {
        self.init()
        for token in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            switch token {
            case "all": (first, every, epochEnds) = (0, 1, false)
            case "none": (first, every, epochEnds) = (0, 0, false)
            case "default": (first, every, epochEnds) = (Self.default.first, Self.default.every, Self.default.epochEnds)
            case "epoch-end": epochEnds = true
            default:
                let parts = token.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let n = Int(parts[1]), n >= 0 else {
                    throw RecordPolicyError.invalidToken(token, in: text)
                }
                switch parts[0] {
                case "first": first = n
                case "every": every = n
                case "stats-every" where n >= 1: statisticsEvery = n
                default: throw RecordPolicyError.invalidToken(token, in: text)
                }
            }
        }
    }

    public var description: String {
        let statistics = statisticsEvery > 1 ? ["stats-every=\(statisticsEvery)"] : []
        var parts: [String] = []
        if first > 0 { parts.append("first=\(first)") }
        if every > 0 { parts.append("every=\(every)") }
        if epochEnds { parts.append("epoch-end") }
        if every == 1 { parts = ["all"] }
        if parts.isEmpty { parts = ["none"] }
        return (parts + statistics).joined(separator: ",")
    }

    /// Whether full tensors are kept at this step.
    public func keepsFullTensors(at info: StepInfo) -> Bool {
        info.step < first || (every > 0 && info.step % every == 0) || (epochEnds && info.endsEpoch)
    }

    /// Whether the step records anything (statistics, and full tensors if kept).
    public func recordsStatistics(at info: StepInfo) -> Bool {
        info.step % statisticsEvery == 0 || keepsFullTensors(at: info)
    }

    /// The steps that keep full tensors in a run of `totalSteps` steps split
    /// evenly (last epoch possibly shorter) into `epochs` epochs.
    public func fullTensorSteps(totalSteps: Int, epochs: Int) -> [Int] {
        let stepsPerEpoch = max(1, (totalSteps + max(epochs, 1) - 1) / max(epochs, 1))
        return (0..<max(totalSteps, 0)).filter { step in
            let endsEpoch = (step + 1) % stepsPerEpoch == 0 || step == totalSteps - 1
            return keepsFullTensors(at: StepInfo(step: step, epoch: step / stepsPerEpoch, endsEpoch: endsEpoch))
        }
    }
}

/// A record-policy string that could not be parsed.
public enum RecordPolicyError: Error, CustomStringConvertible, Equatable {
    case invalidToken(String, in: String)

    public var description: String {
        switch self {
        case let .invalidToken(token, text):
            return "record policy '\(text)': cannot read '\(token)' "
                + "(expected all, none, default, first=K, every=N, epoch-end or stats-every=N)"
        }
    }
}
