import Foundation
import SnapshotTesting
import Tensor
import Trace
import XCTest
@testable import Lessons

/// The `embeddings` lesson: Word2Vec on the WordNet glosses' words (and an LSTM's
/// embedding of the same vocabulary), its trace, figures and lesson-file checks.
final class EmbeddingsLessonTests: XCTestCase {
    private static var shared: Result<LessonQuickRun, Error>?

    private func quickRun() throws -> LessonQuickRun {
        if Self.shared == nil { Self.shared = Result { try LessonQuickRun("embeddings") } }
        return try Self.shared!.get()
    }

    override class func tearDown() {
        (try? shared?.get())?.remove()
        shared = nil
    }

    func testQuickRunTrainsWord2VecAndAnLSTMDrawsEveryFigureAndMatchesSnapshot() throws {
        let run = try quickRun()
        XCTAssertEqual(run.summary.variants.map(\.name), ["lstm"])
        XCTAssertEqual(run.summary.exampleNoun, "words")
        XCTAssertEqual(run.summary.figures.map(\.file), [
            "figures/01-curves.png", "figures/02-neighbours.png", "figures/03-embedding-map.png",
            "figures/04-similarity.png", "figures/05-compare-embeddings.png",
        ])
        // Knowing nothing costs 6 ln 2 per pair (one context and five noise words, each a coin toss).
        let loss = try XCTUnwrap(run.summary.testLoss)
        XCTAssertLessThan(Double(loss), 6 * log(2.0))
        assertSnapshot(of: try run.traceText(), as: .lines, named: "embeddings")
    }

    func testTraceKeepsTheEmbeddingAtRecordedStepsAndTheVocabularyOfBothRuns() throws {
        let run = try quickRun()
        let trace = run.runFolder.appendingPathComponent("trace")
        let vocabulary = try Vocabulary.read(from: trace)
        XCTAssertEqual(try Vocabulary.read(from: run.runFolder.appendingPathComponent("variants/lstm/trace")), vocabulary,
                       "both runs read the same words with the same ids")
        let figures = try TraceFigures(traceFolder: trace)
        let steps = try WordEmbedding.steps(figures)
        XCTAssertGreaterThanOrEqual(steps.count, 2)
        let first = try WordEmbedding(figures, step: steps[0]), final = try WordEmbedding(figures)
        XCTAssertEqual(first.vectors.shape, [vocabulary.count, 32])
        XCTAssertNotEqual(first.vectors, final.vectors, "training moved the vectors")
        XCTAssertEqual(try figures.reader.scalars().column("loss").count, run.summary.steps)
    }

    func testGenerateNamesWhatAWord2VecRunLacksAndWorksOnItsLSTMVariant() throws {
        let run = try quickRun()
        for folder in [run.runFolder, run.runFolder.appendingPathComponent("trace")] {
            XCTAssertThrowsError(try TextGenerator(runFolder: folder)) { error in
                XCTAssertTrue("\(error)".contains("no model that predicts the next token"), "\(error)")
            }
        }
        let writer = try TextGenerator(runFolder: run.runFolder.appendingPathComponent("variants/lstm"))
        XCTAssertFalse(try writer.generate(prompt: "the", length: 3, seed: 1).isEmpty)
    }

    func testCosineNeighboursAnalogiesAndPrincipalAxesOnKnownVectors() throws {
        // Four words in 2-D: he (1, 0), she (0, 1), his (1, 0.1), her (0.1, 1).
        let vocabulary = try Vocabulary(counting: ["he", "he", "he", "she", "she", "his", "her"], kind: .word)
        var vectors = Tensor(shape: [vocabulary.count, 2], repeating: 0)
        for (word, v) in [("he", [1.0, 0]), ("she", [0, 1]), ("his", [1, 0.1]), ("her", [0.1, 1])] as [(String, [Float])] {
            let id = vocabulary.id(of: word)
            vectors.scalars[id * 2] = v[0]
            vectors.scalars[id * 2 + 1] = v[1]
        }
        let e = WordEmbedding(vocabulary: vocabulary, vectors: vectors, name: "test")
        XCTAssertEqual(e.neighbours(of: "he", count: 1).first?.word, "his")
        XCTAssertEqual(WordEmbedding.cosine([1, 0], [0, 2]), 0, accuracy: 1e-12)
        let answer = e.analogy("she", "her", "he", expected: "his")
        XCTAssertEqual(answer.answer, "his")
        XCTAssertEqual(answer.expectedRank, 1)
        let pca = PrincipalAxes([[2, 0], [-2, 0], [0, 1], [0, -1]])
        XCTAssertEqual(abs(pca.axes[0][0]), 1, accuracy: 1e-9, "most variance along x")
        XCTAssertEqual(pca.explained[0], 0.8, accuracy: 1e-9)
        XCTAssertEqual(pca.explained[1], 0.2, accuracy: 1e-9)
    }

    func testLessonFileMistakesAboutWord2VecNameTheirLine() throws {
        func error(_ model: String, _ training: String, dataset: String = "text") -> String {
            let yaml = "title: t\nsummary: s\ndata: {dataset: \(dataset)}\nmodel:\n  \(model)\ntraining:\n  \(training)\n"
            do {
                _ = try LessonSpecParser.parse(yaml: yaml, file: "lesson.yaml", name: "x")
                return "no error"
            } catch { return "\(error)" }
        }
        let good = "word2vec: {dimension: 8}"
        XCTAssertEqual(error(good, "{loss: negative_sampling, optimizer: sgd}"), "no error")
        let wrongLoss = error(good, "{loss: mse, optimizer: sgd}")
        XCTAssertTrue(wrongLoss.contains("lesson.yaml:7") && wrongLoss.contains("negative_sampling"), wrongLoss)
        let adam = error(good, "{loss: negative_sampling, optimizer: adam}")
        XCTAssertTrue(adam.contains("lesson.yaml:7") && adam.contains("sgd"), adam)
        let images = error(good, "{loss: negative_sampling, optimizer: sgd}", dataset: "mnist")
        XCTAssertTrue(images.contains("lesson.yaml:3") && images.contains("dataset: text"), images)
        let badWindow = error("word2vec: {dimension: 8, window: 0}", "{loss: negative_sampling, optimizer: sgd}")
        XCTAssertTrue(badWindow.contains("lesson.yaml:5") && badWindow.contains("window"), badWindow)
        let typo = error("word2vec: {dimension: 8, negative: 5}", "{loss: negative_sampling, optimizer: sgd}")
        XCTAssertTrue(typo.contains("did you mean 'negatives'"), typo)
        let layers = error("layers: [{type: Dense, units: 2}]", "{loss: negative_sampling, optimizer: sgd}")
        XCTAssertTrue(layers.contains("lesson.yaml:7") && layers.contains("word2vec"), layers)
    }
}
