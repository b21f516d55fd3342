import ArgumentParser
import Foundation
import Lessons
import Tensor

/// `learn lesson NAME`: train, trace, draw and write the gallery page and handout.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Run a lesson: train its network, record a trace, draw its figures.",
        discussion: """
        Output goes to OUT/NAME/: trace/, figures/, index.html, handout.pdf, summary.json. \
        With --format svg,pdf each figure is also written as SVG and PDF beside its PNG, \
        and the gallery page links them.

        Examples:
          learn lesson cnn-mnist
          learn lesson cnn-mnist --epochs 10 --lr 0.0005
          learn lesson cnn-mnist --dataset fashion-mnist
          learn lesson cnn-mnist --data ~/mnist --out /tmp/runs --quick
          learn lesson cnn-mnist --format png,svg,pdf
          learn lesson ./my-lesson
            (a lesson folder anywhere; `learn new my-lesson` writes one)
          learn lesson ./iris --data ~/flowers.csv
        """)

    @Argument(help: "The lesson's name (see `learn list`), or the path of a lesson folder (./my-lesson).")
    var name: String

    @Option(help: "Number of passes over the training set.") var epochs: Int?
    @Option(name: .customLong("batch-size"), help: "Examples per mini-batch.") var batchSize: Int?
    @Option(name: .customLong("lr"), help: "Learning rate.") var learningRate: Double?
    @Option(help: "Seed for initialisation, shuffling and dropout.") var seed: UInt64?
    @OptionGroup var threads: ThreadsOption
    @OptionGroup var figureFormats: FormatOption
    @Option(help: "Folder with the four MNIST IDX files (train-images-idx3-ubyte[.gz], ...).") var data: String?
    @Option(help: "Dataset instead of the lesson's: mnist, fashion-mnist, spirals, moons, xor, circles, blobs, sine.") var dataset: String?
    @Option(help: "A UTF-8 text file for a text lesson, instead of the bundled WordNet glosses.") var text: String?
    @Option(help: "Output folder.") var out = "output"
    @Flag(help: "A short run: 1 epoch on a subset.") var quick = false
    @Option(help: "Record policy: default, all, none, or first=K,every=N,epoch-end.") var record: String?
    @Flag(name: .customLong("no-render"), help: "Train and trace only; draw nothing.") var noRender = false
    @Flag(help: "Print only errors.") var quiet = false

    func validate() throws {
        if let epochs, epochs < 1 { throw ValidationError("--epochs must be at least 1") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if let learningRate, !(learningRate > 0) { throw ValidationError("--lr must be positive") }
    }

    func run() throws {
        let formats = try figureFormats.parsed()
        threads.apply()
        var chosen: LessonDataset?
        if let dataset {
            guard let d = LessonDataset(name: dataset) else {
                throw CLIError("unknown dataset '\(dataset)'; choose one of: " + LessonDataset.names.joined(separator: ", "))
            }
            chosen = d
        }
        let options = LessonRunOptions(
            outputRoot: URL(fileURLWithPath: out), epochs: epochs, batchSize: batchSize, learningRate: learningRate,
            seed: seed, dataFolder: data.map { URL(fileURLWithPath: $0) }, dataset: chosen, quick: quick,
            record: record, render: !noRender, textFile: text.map { URL(fileURLWithPath: $0) },
            formats: formats)
        let runner = try LessonRunner(catalog: try findCatalog(for: name), name: name, options: options)
        let display = ProgressDisplay(quiet: quiet)
        runner.log = display.say
        runner.onStep = display.step
        runner.onEpoch = { [unowned runner] in display.epoch($0, of: runner.currentRunEpochs) }
        display.say("\(runner.spec.title) — \(runner.spec.name)")
        let summary = try runner.run()
        // Sequence data is counted in sequences, and its accuracy in steps.
        let noun = summary.exampleNoun ?? LessonDataset(name: summary.dataset)?.exampleNoun ?? "examples"
        let perStep = noun == "sequences" ? " per step" : ""
        if let accuracy = summary.testAccuracy {
            display.say(String(format: "test accuracy\(perStep) %.2f%% (loss %.4f) on %d \(noun)",
                               100 * accuracy, summary.testLoss ?? .nan, summary.testExamples))
        } else if let loss = summary.testLoss {
            display.say(String(format: "test loss %.4f on %d \(noun)", loss, summary.testExamples))
        }
        // The same figures as the gallery's runs table: a sweep's variants by validation only.
        for line in RunsConsoleLines.variants(spec: runner.spec, summary: summary) { display.say(line) }
        let phases = summary.phaseSeconds.sorted { $0.key < $1.key }
            .map { String(format: "%@ %.1fs", $0.key, $0.value) }.joined(separator: ", ")
        display.say("time: \(phases)")
        display.say("output: \(URL(fileURLWithPath: out).appendingPathComponent(runner.spec.name).path)")
    }
}
