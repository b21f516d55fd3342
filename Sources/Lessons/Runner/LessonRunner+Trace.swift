import Foundation
import NeuralNet
import Tensor
import Trace

extension LessonRunner {
    /// The model and settings as the trace's manifest records them; `heldOutExamples` is
    /// the size of the set the per-epoch metrics are measured on (validation, or test
    /// where a lesson holds none back), which says how noisy those metrics are.
    func runInfo(_ model: Sequential, _ plan: RunPlan, heldOutExamples: Int? = nil) -> TraceRunInfo {
        let t = plan.training
        let layers = model.summary.map { l in
            LayerDescription(name: l.name, type: l.kind, outputShape: l.outputShape,
                             parameters: l.parameters.map { ParameterDescription(name: $0.name, shape: $0.shape) })
        }
        var hyper = ["loss": t.loss.rawValue, "optimizer": t.optimizer.rawValue, "epochs": "\(t.epochs)", "batch_size": "\(t.batchSize)",
                     "learning_rate": t.learningRate.map { "\($0)" } ?? "default", "schedule": t.schedule.rawValue,
                     "dataset": (options.dataset ?? plan.data.dataset).name, "run": plan.name]
        if let l2 = t.l2 { hyper["l2"] = "\(l2)" }
        if let patience = t.earlyStoppingPatience { hyper["early_stopping_patience"] = "\(patience)" }
        if let clip = t.clipNorm { hyper["clip_norm"] = "\(clip)" }
        if let sequence = plan.data.sequence { hyper["sequence_length"] = "\(sequence.length)" }
        if options.quick { hyper["quick"] = "true" }
        hyper[HeldOutSet.hyperparameter] = HeldOutSet(plan, dataset: options.dataset ?? plan.data.dataset).rawValue
        if let heldOutExamples { hyper[HeldOutSet.examplesHyperparameter] = "\(heldOutExamples)" }
        return TraceRunInfo(lesson: spec.name, model: ModelDescription(layers: layers), hyperparameters: hyper,
                            seed: t.seed, threads: WorkerPool.shared.threads, toolVersion: learnVersion)
    }

    /// One test example of each class (the first of each), in class order, for
    /// images; the first 64 test examples for small inputs (points in the plane,
    /// regression), where a probe that large costs nothing and shows whole
    /// layers at work. A fixed batch that every recorded step shows.
    static func probe(from test: LabeledData) -> (inputs: Tensor, target: LossTarget) {
        if test.exampleShape.reduce(1, *) <= 16 {
            let probe = test.subset(Array(0..<min(64, test.count)))
            return (probe.inputs, probe.targets.map(LossTarget.values) ?? .classes(probe.labels))
        }
        let probe = test.subset(imageProbeIndices(labels: test.labels, classCount: test.classNames.count))
        return (probe.inputs, .classes(probe.labels))
    }

    /// Which test examples make an image probe: the first of each class, in class order
    /// (the first 8 when no class is found). Figures use it to find the probe's true
    /// classes among the evaluation record's test labels.
    static func imageProbeIndices(labels: [Int], classCount: Int) -> [Int] {
        let picked = (0..<classCount).compactMap { labels.firstIndex(of: $0) }
        return picked.isEmpty ? Array(0..<min(8, labels.count)) : picked
    }

    /// The training examples, kept beside the trace when they are as small as a
    /// probe of points (≤ 16 features each), so figures can draw the data itself.
    static func trainingSetRecord(_ train: LabeledData) -> TrainingSetRecord? {
        guard train.exampleShape.reduce(1, *) <= 16 else { return nil }
        return TrainingSetRecord(inputs: train.inputs, labels: train.isRegression ? nil : train.labels,
                                 targets: train.targets)
    }

    /// Tensors recorded per step: activations, layer and input gradients, and
    /// weight, gradient and update of every parameter.
    static func tracedTensorCount(_ model: Sequential) -> Int {
        let outputs = recordedOutputs(model)
        return 2 * outputs.count + outputs.attentionTensors + 3 + 3 * model.parameters.count
    }

    /// Bytes of the full tensors of one probe step.
    static func fullTensorBytes(_ model: Sequential, probe: Int) -> Int {
        let outputs = recordedOutputs(model)
        let perExample = outputs.values * 2 + outputs.attentionValues
            + model.inputShape.reduce(1, *) * 2 + (model.outputShapes.last?.reduce(1, *) ?? 0)
        let parameters = model.parameters.map { $0.value.count }.reduce(0, +) * 3
        return 4 * (perExample * probe + parameters)
    }

    /// The layer outputs a model records (each with its gradient) and their values per
    /// example, the layers inside containers (a Transformer block's) included, and the
    /// attention weights, scores and Q, K, V of its attention layers.
    static func recordedOutputs(_ model: Sequential) -> (count: Int, values: Int, attentionTensors: Int, attentionValues: Int) {
        var total = (count: 0, values: 0, attentionTensors: 0, attentionValues: 0)
        for (layer, shape) in zip(model.layers, model.outputShapes) {
            if let container = layer as? LayerContainer {
                let inner = recordedOutputs(container.chain)
                total = (total.count + inner.count, total.values + inner.values, total.attentionTensors + inner.attentionTensors,
                         total.attentionValues + inner.attentionValues)
                if layer is Sequential { continue }
            }
            total.count += 1
            total.values += shape.reduce(1, *)
            if let attention = layer as? MultiHeadAttention, let time = shape.first {
                total.attentionTensors += 5
                total.attentionValues += 2 * attention.heads * time * time + 3 * time * attention.heads * attention.keySize
            }
        }
        return total
    }

    /// Test-set class probabilities, computed as `learn predict` computes them
    /// (`classProbabilities`: softmax of logits, σ of one logit, or a Softmax layer's
    /// output), and the 16 most confident mistakes with their images; for small inputs
    /// (points in the plane) the whole test set too, so figures can draw it.
    static func evaluationRecord(model: Sequential, endsInSoftmax: Bool, test: LabeledData) throws -> EvaluationRecord {
        let p = classProbabilities(try model.predict(test.inputs), endsInSoftmax: endsInSoftmax)
        let predicted = predictedClasses(p)
        let c = p.shape.last ?? 1
        let mistakes = test.labels.indices.filter { predicted[$0] != test.labels[$0] }
            .sorted { p.scalars[$0 * c + predicted[$0]] > p.scalars[$1 * c + predicted[$1]] }
            .prefix(16)
        return EvaluationRecord(classNames: test.classNames, labels: test.labels, probabilities: p,
                                mistakeIndices: Array(mistakes), mistakeImages: test.inputs.gather(rows: Array(mistakes)),
                                inputs: test.exampleShape.reduce(1, *) <= 16 ? test.inputs : nil)
    }
}

/// The version that traces and summaries record.
public let learnVersion = "0.1.0"
