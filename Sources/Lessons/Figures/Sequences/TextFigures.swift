import Foundation
import NeuralNet
import Render
import Tensor
import Trace

/// Figures of a text model, from its trace, the vocabulary beside it and the held-out
/// text it keeps (`TextSampleRecord`): what it writes from one prompt as training goes
/// on and at several temperatures, and what it expects next under each character of
/// a sentence.
enum TextFigures {
    /// A run's trained text model and vocabulary, or `FigureUnavailable`.
    static func generator(_ run: TraceFigures, atStep step: Int? = nil) throws -> TextGenerator {
        guard FileManager.default.fileExists(atPath: run.folder.appendingPathComponent(Vocabulary.fileName).path) else {
            throw FigureUnavailable("the run is not a text model (its trace has no \(Vocabulary.fileName))")
        }
        return try TextGenerator(model: try run.model(atStep: step), vocabulary: try Vocabulary.read(from: run.folder))
    }

    static func prompt(_ c: FigureContext) -> String { c.text("prompt") ?? "a " }
    static func length(_ c: FigureContext) -> Int { c.integers("length")?.first ?? 160 }

    /// The same prompt continued by the model as its weights were at several recorded
    /// steps (same seed and temperature, so only the weights differ), and by the final model.
    static func samplesOverTraining(_ c: FigureContext) throws -> Figure {
        let held = c.main.weightSteps
        guard held.count >= 2 else { throw FigureUnavailable("the trace keeps weights at fewer than two steps") }
        let wanted = c.integers("steps") ?? (0..<5).map { held[($0 * (held.count - 1)) / 4] }
        let steps = TraceFigures.nearestSteps(wanted, held: held)
        let temperature = c.numbers("temperature")?.first ?? 0.8
        var samples = try steps.map { step in
            TextSamples.Sample(label: "step \(step)", prompt: prompt(c),
                               continuation: try generator(c.main, atStep: step)
                                   .generate(prompt: prompt(c), length: length(c), temperature: temperature, seed: 1))
        }
        samples.append(TextSamples.Sample(label: "trained", prompt: prompt(c),
                                          continuation: try generator(c.main).generate(prompt: prompt(c), length: length(c),
                                                                                       temperature: temperature, seed: 1)))
        return try TextSamples(title: "The same prompt continued as training goes on",
                               subtitle: "temperature \(temperature), the same random draws at every step: only the weights differ",
                               samples: samples, maxLines: 4)
    }

    /// The trained model's continuations of one prompt at several temperatures.
    static func temperatures(_ c: FigureContext) throws -> Figure {
        let writer = try generator(c.main)
        let temperatures = c.numbers("temperatures") ?? [0.3, 0.8, 1.5]
        let samples = try temperatures.map { t in
            TextSamples.Sample(label: "T = \(t)", prompt: prompt(c),
                               continuation: try writer.generate(prompt: prompt(c), length: length(c), temperature: t, seed: 1))
        }
        return try TextSamples(title: "Sampling temperature: safe and repetitive, or varied and wild",
                               subtitle: "p ∝ exp(logit / T): T < 1 sharpens the model's distribution, T > 1 flattens it",
                               samples: samples, maxLines: 4)
    }

    /// Under each character of a validation line, the five characters the trained
    /// model thinks most likely to come next, the true one outlined.
    static func nextTokens(_ c: FigureContext) throws -> Figure {
        let writer = try generator(c.main)
        guard let sample = try TextSampleRecord.read(fromTrace: c.main.folder), sample.ids.count > 2 else {
            throw FigureUnavailable("the trace keeps no held-out text")
        }
        let count = min(c.integers("characters")?.first ?? 40, writer.context, sample.ids.count - 1)
        let start = sentenceStart(sample.ids, vocabulary: writer.vocabulary, room: count + 1)
        let ids = Array(sample.ids[start..<(start + count)])
        let logits = try writer.logits(after: ids).logits
        let k = 5
        let candidates = logits.map { row -> [TopKStrip.Candidate] in
            let p = TextGenerator.softmax(row, temperature: 1)
            return p.indices.sorted { p[$0] > p[$1] }.prefix(k)
                .map { TopKStrip.Candidate(token: writer.vocabulary.token(of: $0), probability: p[$0]) }
        }
        return try TopKStrip(title: "What the model expects next, under each character of a validation line",
                             subtitle: "its \(k) most probable next characters, darker = more probable; the character that "
                                 + "really came next is outlined",
                             tokens: ids.map(writer.vocabulary.token(of:)), candidates: candidates,
                             nextAfterLast: writer.vocabulary.token(of: sample.ids[start + count]))
    }

    /// Where a line starts in `ids` with `room` tokens after it (else 0).
    static func sentenceStart(_ ids: [Int], vocabulary: Vocabulary, room: Int) -> Int {
        let newline = vocabulary.id(of: "\n")
        for (i, id) in ids.enumerated() where id == newline && i + 1 + room <= ids.count { return i + 1 }
        return 0
    }

    /// Validation perplexity e^loss of every run per epoch, on a log axis, with the
    /// perplexity of a uniform guess (the vocabulary size) for scale.
    static func perplexity(_ c: FigureContext) throws -> Figure {
        var series: [Series] = [], categories: [Int] = []
        var vocabularySize = 0
        for run in try c.selectedRuns() {
            let epochs = run.figures.reader.manifest.epochs
            let values = epochs.compactMap { e in e.value(ScalarName.validationLoss).map { (Double(e.epoch + 1), exp($0)) } }
            guard !values.isEmpty else { continue }
            let parameters = run.figures.layers.flatMap(\.parameters).map { $0.shape.reduce(1, *) }.reduce(0, +)
            series.append(Series(name: "\(run.name) (\(Ticks.thousands(parameters)) parameters)", x: values.map(\.0), y: values.map(\.1)))
            categories.append(c.category(ofRun: run.name))
            if vocabularySize == 0, let vocabulary = try? Vocabulary.read(from: run.figures.folder) { vocabularySize = vocabulary.count }
        }
        guard !series.isEmpty else { throw FigureUnavailable("no run recorded a validation loss") }
        let uniform = vocabularySize > 0
            ? [ReferenceLine(Double(vocabularySize), label: "uniform guess among \(vocabularySize) tokens")] : []
        return try LineChart(title: "Validation perplexity: how many characters are still in play",
                             xLabel: "epoch", yLabel: "perplexity e^loss", series: series, yScale: .log, markers: true,
                             categories: categories, referenceLines: uniform)
    }
}
