import Foundation
import NeuralNet
import Tensor
import Trace

extension TraceFigures {
    /// The architecture the run stored beside its trace (`model.json`).
    public func architecture() throws -> ModelArchitecture {
        do {
            return try ModelArchitecture.read(from: folder)
        } catch {
            throw FigureUnavailable("the run kept no model description (\(error))")
        }
    }

    /// The run's model with its parameters as they were at `step` — the weights
    /// that step's forward pass used, so step 0 is the initial model — or, with
    /// nil, the final trained parameters (`model.safetensors`).
    public func model(atStep step: Int? = nil) throws -> Sequential {
        let model = try architecture().model()
        guard let step else {
            try model.loadStateDict(try Checkpoint.load(from: folder.appendingPathComponent(ModelArchitecture.weightsFileName)).tensors)
            return model
        }
        var state: [String: Tensor] = [:]
        for p in model.parameters {
            guard steps(holding: p.name, kind: .weight).contains(step) else {
                throw FigureUnavailable("the trace does not keep \(p.name) at step \(step) (record policy)")
            }
            state[p.name] = try reader.tensor(p.name, kind: .weight, step: step)
        }
        try model.loadStateDict(state)
        return model
    }

    /// Steps whose full weights the trace keeps (every parameter present).
    public var weightSteps: [Int] {
        guard let first = layers.flatMap(\.parameters).first else { return [] }
        return steps(holding: first.name, kind: .weight)
    }

    /// The step of `held` nearest to each wanted step, each once, ascending: how a
    /// figure asked for "step 500" finds the step whose weights the trace kept.
    public static func nearestSteps(_ wanted: [Int], held: [Int]) -> [Int] {
        var chosen: [Int] = []
        for w in wanted {
            guard let near = held.min(by: { abs($0 - w) < abs($1 - w) }), !chosen.contains(near) else { continue }
            chosen.append(near)
        }
        return chosen.sorted()
    }
}
