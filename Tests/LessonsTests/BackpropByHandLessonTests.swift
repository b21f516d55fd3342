import Foundation
import NeuralNet
import SnapshotTesting
import Tensor
import Trace
import XCTest
@testable import Lessons

/// The backprop-by-hand lesson: its run draws one graph per chain-rule stage, and
/// every number its narrative quotes is the run's — checked against the trace and,
/// for gradients, against finite differences of the loss on the engine's model.
final class BackpropByHandLessonTests: XCTestCase {
    static let lesson = "backprop-by-hand"

    func testQuickRunDrawsTheForwardPassAndEveryBackwardStage() throws {
        let run = try LessonQuickRun(Self.lesson, render: false)
        defer { run.remove() }
        assertSnapshot(of: try run.traceText(), as: .lines, named: Self.lesson)
        // The figures alone: a handout of eight figures takes seconds to typeset.
        let spec = try LessonCatalog.locate().spec(Self.lesson)
        let figures = try FigureRenderer.render(traceFolder: run.traces[0].folder, figures: spec.figures,
                                                into: run.outputRoot, warn: { XCTFail($0) })
        XCTAssertEqual(figures.map(\.file),
                       (0...6).map { String(format: "figures/%02d-backprop-step0-stage\($0).png", $0 + 1) }
                           + ["figures/08-parameter-steps.png"])
        XCTAssertTrue(figures.allSatisfy(\.handout), "each stage is a key figure with its own caption")
    }

    func testStagesComputeGradientsFromTheLossBackwards() throws {
        let run = try LessonQuickRun(Self.lesson, render: false)
        defer { run.remove() }
        let graph = try BackpropGraph(trace: try TraceFigures(traceFolder: run.traces[0].folder), step: 0)
        XCTAssertEqual(graph.stages.map(\.computes), [
            [], ["a2_1"], ["z2_1"], ["w2_1_1", "w2_2_1", "b2_1"], ["a1_1", "a1_2"], ["z1_1", "z1_2"],
            ["w1_1_1", "w1_2_1", "b1_1", "w1_1_2", "w1_2_2", "b1_2"],
        ])
        XCTAssertEqual(graph.node("a2_1").label, "ŷ")
        XCTAssertEqual(graph.node("y1").value, 0.9, accuracy: 1e-6, "the target, recovered from ∂L/∂ŷ = 2(ŷ − y)")
        XCTAssertTrue(graph.stages[2].substitutions[0].hasPrefix("∂L/∂z²₁ = ∂L/∂ŷ · f′ = −0.5408 · 0.6296·(1 − 0.6296)"),
                      graph.stages[2].substitutions[0])
        let stage3 = try BackpropFigures.figure(graph, stage: 3)
        XCTAssertEqual(Set(stage3.nodes.filter { $0.gradient != nil }.map(\.id)),
                       ["L", "a2_1", "z2_1", "w2_1_1", "w2_2_1", "b2_1"], "only gradients known by stage 3 are shown")
        XCTAssertEqual(stage3.highlighted, ["w2_1_1", "w2_2_1", "b2_1"])
    }

    // MARK: The narrative's numbers

    func testEveryNumberTheNarrativeQuotesIsTheRunsAndMatchesFiniteDifferences() throws {
        let catalog = try LessonCatalog.locate()
        let spec = try catalog.spec(Self.lesson)
        let folder = try catalog.lessonFolder(Self.lesson)
        let walkthrough = try String(contentsOf: folder.appendingPathComponent("walkthrough.md"), encoding: .utf8)
        let table = try QuotedNumber.table(in: walkthrough)
        XCTAssertGreaterThanOrEqual(table.count, 25)

        let run = try LessonQuickRun(Self.lesson, render: false, epochs: spec.training.epochs)
        defer { run.remove() }
        let trace = try TraceFigures(traceFolder: run.traces[0].folder)
        let example = try XCTUnwrap(Self.example(spec))
        let model = try trace.model(atStep: 0)
        for row in table {
            let traced = try row.reference.value(in: trace)
            XCTAssertEqual(row.value, traced, accuracy: row.halfUnit + 1e-7, "\(row.quantity): the trace has \(traced)")
            guard let estimate = try row.reference.finiteDifference(model, example) else { continue }
            XCTAssertEqual(row.value, estimate, accuracy: row.halfUnit + 5e-6,
                           "\(row.quantity): finite differences give \(estimate)")
        }

        // Each worked equation ends in the value the table gives its left-hand side.
        let results = try QuotedNumber.equationResults(in: walkthrough)
        XCTAssertGreaterThanOrEqual(results.count, 20)
        for (quantity, result) in results {
            guard let row = table.first(where: { $0.quantity == quantity }) else { continue }
            XCTAssertEqual(result.value, row.value, accuracy: pow(10, -Double(result.decimals)) / 2 + 1e-9,
                           "the walkthrough says \(quantity) = \(result.text), the table \(row.value)")
        }

        // Every decimal in the narrative and the captions is a value of that table or a lesson setting.
        let known = table.map(\.value) + Self.settings(spec)
        let texts = try spec.narrative.map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
            + spec.figures.map(\.caption)
        for text in texts {
            for quoted in try QuotedNumber.decimals(in: text) {
                let tolerance = pow(10, -Double(quoted.decimals)) / 2 + 1e-9
                XCTAssertTrue(known.contains { abs($0 - quoted.value) <= tolerance },
                              "the narrative quotes \(quoted.text), which is neither in the table nor a lesson setting")
            }
        }
    }

    /// The lesson's one example as engine tensors.
    static func example(_ spec: LessonSpec) throws -> (x: Tensor, y: Tensor)? {
        guard case let .inline(examples) = spec.data.dataset else { return nil }
        let data = try examples.labeledData
        return data.targets.map { (data.inputs, $0) }
    }

    /// The numbers the lesson file sets: inputs, targets, starting weights and biases, learning rate.
    static func settings(_ spec: LessonSpec) -> [Double] {
        var values: [Double] = spec.training.learningRate.map { [$0] } ?? []
        if case let .inline(examples) = spec.data.dataset {
            values += examples.inputs.flatMap { $0 } + (examples.targets ?? []).flatMap { $0 }
        }
        for case let .dense(_, _, _, weights, bias, _) in spec.layers {
            values += (weights ?? []).flatMap { $0 } + (bias ?? [])
        }
        return values
    }

    // MARK: Inline data and explicit weights in lesson files

    static let yaml = """
    title: T
    summary: S
    data: {dataset: inline, inputs: [[1.0, 0.5]], targets: [[0.9]]}
    model:
      layers:
        - {type: Dense, units: 2, weights: [[0.5, -0.4], [0.3, 0.6]], bias: [0.1, -0.2]}
        - {type: Dense, units: 1}
    training: {loss: mse, optimizer: sgd}
    """

    private func parseError(_ yaml: String) -> String {
        do {
            _ = try LessonSpecParser.parse(yaml: yaml, file: "lesson.yaml", name: "x")
            return "no error"
        } catch { return "\(error)" }
    }

    func testInlineExamplesAreTheTrainingAndTestSet() throws {
        let spec = try LessonSpecParser.parse(yaml: Self.yaml, file: "lesson.yaml", name: "x")
        XCTAssertEqual(spec.data.dataset, .inline(InlineExamples(inputs: [[1.0, 0.5]], targets: [[0.9]])))
        XCTAssertTrue(spec.data.dataset.isRegression)
        XCTAssertEqual(spec.layers[0], .dense(units: 2, activation: .linear, initializer: .glorotUniform,
                                              weights: [[0.5, -0.4], [0.3, 0.6]], bias: [0.1, -0.2]))
        let labelled = try LessonSpecParser.parse(yaml: Self.yaml.replacingOccurrences(of: "targets: [[0.9]]", with: "labels: [2]"),
                                                  file: "lesson.yaml", name: "x")
        guard case let .inline(examples) = labelled.data.dataset else { return XCTFail("not inline") }
        XCTAssertEqual(try examples.labeledData.labels, [2])
        XCTAssertEqual(try examples.labeledData.classNames, ["0", "1", "2"])
    }

    func testInlineExampleMistakesNameTheKey() {
        let cases: [(String, String, String)] = [
            ("targets: [[0.9]]", "targets: [[0.9], [0.1]]", "data.targets: 2 given for 1 example in 'inputs'"),
            ("targets: [[0.9]]", "targets: [[0.9]], labels: [1]", "data.dataset: an inline dataset gives either 'targets'"),
            ("inputs: [[1.0, 0.5]]", "inputs: [[1.0, 0.5], [2.0]]", "data.inputs[1]: 1 numbers where 2 are needed"),
            ("dataset: inline,", "dataset: moons,", "data.inputs: 'inputs' is for examples written in the lesson"),
            ("targets: [[0.9]]", "targets: [[0.9]], noise: 0.1", "data.noise: an inline dataset is exactly the examples"),
        ]
        for (old, new, expected) in cases {
            let message = parseError(Self.yaml.replacingOccurrences(of: old, with: new))
            XCTAssertTrue(message.contains(expected), message)
        }
    }

    func testExplicitWeightsAreCheckedAgainstTheLayer() throws {
        let rows = parseError(Self.yaml.replacingOccurrences(of: "[0.3, 0.6]]", with: "[0.3, 0.6, 0.1]]"))
        XCTAssertTrue(rows.contains("lesson.yaml:6: model.layers[0].weights[1]: 3 numbers where 2 are needed"), rows)
        let bias = parseError(Self.yaml.replacingOccurrences(of: "bias: [0.1, -0.2]", with: "bias: [0.1]"))
        XCTAssertTrue(bias.contains("model.layers[0].bias: 1 numbers for a layer of 2 units"), bias)

        // The number of rows (inputs) is known only when the model is built.
        let spec = try LessonSpecParser.parse(yaml: Self.yaml, file: "lesson.yaml", name: "x")
        XCTAssertThrowsError(try ModelFactory.model(spec.layers, file: "lessons/x/lesson.yaml", inputShape: [3], seed: 1)) { error in
            XCTAssertEqual("\(error)", "lessons/x/lesson.yaml: model.layers[0].weights: dense1.weight has shape [3, 2] "
                           + "(inputs × units), but the lesson gives [2, 2]")
        }
        let model = try ModelFactory.model(spec.layers, file: "lessons/x/lesson.yaml", inputShape: [2], seed: 1)
        XCTAssertEqual(model.parameters[0].value, Tensor(shape: [2, 2], scalars: [0.5, -0.4, 0.3, 0.6]))
        XCTAssertEqual(model.parameters[1].value, Tensor(shape: [2], scalars: [0.1, -0.2]))
        // A model.json written before layers could carry weights still reads.
        let old = #"{"dense":{"activation":"linear","initializer":"glorot_uniform","units":2}}"#
        XCTAssertEqual(try JSONDecoder().decode(LayerSpec.self, from: Data(old.utf8)),
                       .dense(units: 2, activation: .linear, initializer: .glorotUniform))
    }

    func testFusedActivationsAreRefusedWithTheFix() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("backprop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let folder = root.appendingPathComponent("lessons/fused")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let yaml = Self.yaml.replacingOccurrences(of: "{type: Dense, units: 1}", with: "{type: Dense, units: 1, activation: sigmoid}")
            + "\nrecord: all\nfigures:\n  - {plot: backprop-steps, caption: c}\n"
        try yaml.write(to: folder.appendingPathComponent("lesson.yaml"), atomically: true, encoding: .utf8)
        var warnings: [String] = []
        let runner = try LessonRunner(catalog: LessonCatalog(folder: root.appendingPathComponent("lessons")), name: "fused",
                                      options: LessonRunOptions(outputRoot: root.appendingPathComponent("output"), epochs: 1))
        runner.log = { warnings.append($0) }
        XCTAssertThrowsError(try runner.run())
        XCTAssertTrue(warnings.contains { $0.contains("needs each activation as a layer of its own ({type: Sigmoid})") },
                      "\(warnings)")
    }
}

/// A number quoted in a lesson's Markdown, with its printed precision.
struct QuotedNumber {
    var text: String
    var value: Double
    var decimals: Int

    /// Every decimal number (`0.7500`, `−0.02198`) in `text`; `−` is the minus sign.
    static func decimals(in text: String) throws -> [QuotedNumber] {
        try text.matches(of: Regex("[−-]?[0-9]+\\.[0-9]+")).map { match in
            let quoted = String(text[match.range])
            return QuotedNumber(text: quoted, value: Double(quoted.replacingOccurrences(of: "−", with: "-"))!,
                                decimals: quoted.split(separator: ".")[1].count)
        }
    }
}

struct UnreadableReference: Error { var text: String }

/// A row of the walkthrough's table: a quantity, its printed value, and where the trace keeps it.
struct TableRow {
    var quantity: String
    var value: Double
    var halfUnit: Double
    var reference: TraceReference
}

/// Where a quoted number lives in a run: `activation/dense1` [0, 1] (at step N), the
/// slope a(1 − a) of a sigmoid's activation, or the loss column of `scalars.csv`.
enum TraceReference {
    case tensor(kind: TensorKind, name: String, index: [Int], step: Int)
    case sigmoidSlope(name: String, index: [Int])
    case loss(step: Int)

    init(_ text: String) throws {
        let indexPart = "\\[([0-9, ]+)\\]"
        if let m = try Regex("^`scalars.csv` loss(?: at step ([0-9]+))?$").wholeMatch(in: text) {
            self = .loss(step: m.output[1].substring.map { Int($0)! } ?? 0)
        } else if let m = try Regex("^slope of `activation/([a-z0-9]+)` \(indexPart)$").wholeMatch(in: text) {
            self = .sigmoidSlope(name: String(m.output[1].substring!), index: Self.index(m.output[2].substring!))
        } else if let m = try Regex("^`([a-z]+)/([a-z0-9.]+)` \(indexPart)(?: at step ([0-9]+))?$").wholeMatch(in: text),
                  let kind = TensorKind(rawValue: String(m.output[1].substring!)) {
            self = .tensor(kind: kind, name: String(m.output[2].substring!), index: Self.index(m.output[3].substring!),
                           step: m.output[4].substring.map { Int($0)! } ?? 0)
        } else {
            throw UnreadableReference(text: text)
        }
    }

    private static func index(_ text: Substring) -> [Int] {
        text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces))! }
    }

    func value(in trace: TraceFigures) throws -> Double {
        switch self {
        case let .tensor(kind, name, index, step):
            return try Self.element(trace.reader.tensor(name, kind: kind, step: step), index)
        case let .sigmoidSlope(name, index):
            let a = try Self.element(trace.reader.tensor(name, kind: .activation, step: 0), index)
            return a * (1 - a)
        case let .loss(step):
            return try XCTUnwrap(trace.reader.scalars().column("loss").first { $0.step == step }).value
        }
    }

    static func element(_ t: Tensor, _ index: [Int]) -> Double {
        Double(t.scalars[zip(index, t.shape).reduce(0) { $0 * $1.1 + $1.0 }])
    }

    /// For a gradient at step 0: the central difference (L(v + h) − L(v − h)) / 2h of the
    /// loss with one parameter, or one layer output, of the step-0 model moved by ±h. The
    /// engine computes in Float32: h = 0.01 keeps both the rounding error (≈ 3e-8 / 2h) and
    /// the h² error of the formula near 2e-6; h = 0.001 loses 1e-5 to rounding.
    func finiteDifference(_ model: Sequential, _ example: (x: Tensor, y: Tensor)) throws -> Double? {
        guard case let .tensor(.gradient, name, index, 0) = self else { return nil }
        let h: Float = 1e-2
        func loss(from start: Int, _ input: Tensor) throws -> Double {
            var out = input
            for layer in model.layers[start...] { out = try layer.forward(out, context: .inference) }
            return Double(try MeanSquaredError().evaluate(out, .values(example.y)).value)
        }
        if let parameter = model.parameters.first(where: { $0.name == name }) {
            let at = zip(index, parameter.shape).reduce(0) { $0 * $1.1 + $1.0 }
            let original = parameter.value
            defer { parameter.value = original }
            func moved(_ v: Float) throws -> Double {
                parameter.value.scalars[at] = v
                return try loss(from: 0, example.x)
            }
            let up = original.scalars[at] + h, down = original.scalars[at] - h
            return (try moved(up) - moved(down)) / Double(up - down)
        }
        guard let layer = model.layers.firstIndex(where: { $0.name == name }) else { return nil }
        var output = example.x
        for l in model.layers[...layer] { output = try l.forward(output, context: .inference) }
        let at = zip(index, output.shape).reduce(0) { $0 * $1.1 + $1.0 }
        func moved(_ v: Float) throws -> Double {
            var copy = output
            copy.scalars[at] = v
            return try loss(from: layer + 1, copy)
        }
        let up = output.scalars[at] + h, down = output.scalars[at] - h
        return (try moved(up) - moved(down)) / Double(up - down)
    }
}

extension QuotedNumber {
    /// `(left-hand side, final number)` of each equation `X = … = 0.1234` in the fenced code
    /// blocks of `markdown`; equations side by side are three or more spaces apart.
    static func equationResults(in markdown: String) throws -> [(String, QuotedNumber)] {
        let blocks = markdown.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        let lines = blocks.flatMap { $0.split(separator: "\n") }
        return try lines.flatMap { try $0.split(separator: try Regex(" {3,}")) }.compactMap { equation in
            let sides = equation.components(separatedBy: " = ")
            guard sides.count >= 2, let result = try decimals(in: sides.last!).last,
                  result.text == sides.last!.trimmingCharacters(in: .whitespaces) else { return nil }
            // An update `w ← w − η·∂L/∂w = …` gives the value "w … after the update".
            let lhs = sides[0].components(separatedBy: " ← ")
            let quantity = lhs[0].trimmingCharacters(in: .whitespaces) + (lhs.count > 1 ? " after the update" : "")
            return (quantity, result)
        }
    }

    /// The rows of the Markdown table whose last column names a place in the trace.
    static func table(in markdown: String) throws -> [TableRow] {
        try markdown.split(separator: "\n").compactMap { line -> TableRow? in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard line.hasPrefix("|"), cells.count == 3, cells[2].contains("`"), let value = try decimals(in: cells[1]).first
            else { return nil }
            return TableRow(quantity: cells[0], value: value.value, halfUnit: pow(10, -Double(value.decimals)) / 2,
                            reference: try TraceReference(cells[2]))
        }
    }
}
