import Foundation
import NeuralNet
import Yams

/// Reads and validates `lesson.yaml`; every error names the file, line and key.
public enum LessonSpecParser {
    public static let layerTypes = ["Conv2D", "Dense", "MaxPool2D", "Flatten", "Dropout",
                                    "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax"]
    public static let activations = ["linear", "relu", "leaky_relu", "sigmoid", "tanh"]
    public static let losses = ["softmax_cross_entropy", "mse", "binary_cross_entropy"]
    public static let optimizers = ["sgd", "momentum", "nesterov", "rmsprop", "adam"]

    public static func parse(file: URL, name: String) throws -> LessonSpec {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw LessonError.missingFile(file.path)
        }
        return try parse(yaml: text, file: file.path, name: name)
    }

    public static func parse(yaml: String, file: String, name: String) throws -> LessonSpec {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                throw LessonError.spec(file: file, line: nil, key: "", message: "the file is empty", hint: nil)
            }
            root = node
        } catch let error as YamlError {
            throw LessonError.spec(file: file, line: yamlErrorLine(error), key: "",
                                   message: "malformed YAML: \(yamlErrorSummary(error))", hint: nil)
        }
        let top = try SpecNode(node: root, file: file, key: "").mapping(
            allowed: ["title", "summary", "level", "minutes", "goals", "data", "model", "training",
                      "record", "figures", "narrative", "exercises"],
            required: ["title", "summary", "data", "model", "training"])
        return LessonSpec(
            name: name,
            title: try top["title"]!.string(),
            summary: try top["summary"]!.string(),
            level: try top["level"]?.choice(["beginner", "intermediate", "advanced"]) ?? "beginner",
            minutes: try top["minutes"]?.int(in: 1...600) ?? 1,
            goals: try top["goals"]?.strings() ?? [],
            data: try parseData(top["data"]!),
            layers: try parseModel(top["model"]!),
            training: try parseTraining(top["training"]!),
            record: try top["record"]?.string() ?? "default",
            figures: try top["figures"]?.array().map(parseFigure) ?? [],
            narrative: try top["narrative"]?.strings() ?? [],
            exercises: try top["exercises"]?.string())
    }

    static func parseData(_ node: SpecNode) throws -> DataSpec {
        let m = try node.mapping(allowed: ["dataset", "validation_split", "quick_examples"], required: ["dataset"])
        return DataSpec(
            dataset: ImageDataset(rawValue: try m["dataset"]!.choice(ImageDataset.allCases.map(\.rawValue)))!,
            validationSplit: try m["validation_split"]?.double(in: 0.01...0.9),
            quickExamples: try m["quick_examples"]?.int(in: 10...1_000_000) ?? 1000)
    }

    static func parseModel(_ node: SpecNode) throws -> [LayerSpec] {
        let m = try node.mapping(allowed: ["layers"], required: ["layers"])
        let layers = try m["layers"]!.array()
        guard !layers.isEmpty else { throw m["layers"]!.error("a model needs at least one layer") }
        return try layers.map(parseLayer)
    }

    static func parseLayer(_ node: SpecNode) throws -> LayerSpec {
        guard case let .mapping(raw) = node.node, let typeNode = raw["type"] else {
            throw node.error("each layer is a mapping with a 'type'", hint: "e.g. {type: Dense, units: 64}")
        }
        let type = try SpecNode(node: typeNode, file: node.file, key: node.key + ".type").choice(layerTypes)
        func keys(_ extra: [String], required: [String] = []) throws -> [String: SpecNode] {
            try node.mapping(allowed: ["type"] + extra, required: required)
        }
        switch type {
        case "Conv2D":
            let m = try keys(["filters", "kernel", "stride", "padding", "activation", "initializer"],
                             required: ["filters", "kernel"])
            return .conv2D(filters: try m["filters"]!.int(in: 1...4096), kernel: try m["kernel"]!.int(in: 1...31),
                           stride: try m["stride"]?.int(in: 1...16) ?? 1,
                           padding: try m["padding"]?.choice(["valid", "same"]) ?? "valid",
                           activation: try m["activation"]?.choice(activations) ?? "linear",
                           initializer: try m["initializer"]?.choice(initializers) ?? "glorot_uniform")
        case "Dense":
            let m = try keys(["units", "activation", "initializer"], required: ["units"])
            return .dense(units: try m["units"]!.int(in: 1...1_000_000),
                          activation: try m["activation"]?.choice(activations) ?? "linear",
                          initializer: try m["initializer"]?.choice(initializers) ?? "glorot_uniform")
        case "MaxPool2D":
            let m = try keys(["size", "stride"])
            return .maxPool2D(size: try m["size"]?.int(in: 1...16) ?? 2, stride: try m["stride"]?.int(in: 1...16))
        case "Dropout":
            let m = try keys(["rate"], required: ["rate"])
            return .dropout(rate: try m["rate"]!.double(in: 0...0.99))
        case "Flatten":
            _ = try keys([])
            return .flatten
        case "Softmax":
            _ = try keys([])
            return .softmax
        default:
            _ = try keys(type == "LeakyReLU" ? ["alpha"] : [])
            return .activation(type)
        }
    }

    static var initializers: [String] { Initializer.allCases.map(\.rawValue) }

    static func parseTraining(_ node: SpecNode) throws -> TrainingSpec {
        let m = try node.mapping(allowed: ["loss", "optimizer", "learning_rate", "momentum", "schedule", "epochs",
                                           "batch_size", "seed", "l2", "early_stopping_patience"],
                                 required: ["loss", "optimizer"])
        let optimizer = try m["optimizer"]!.choice(optimizers)
        return TrainingSpec(
            loss: try m["loss"]!.choice(losses), optimizer: optimizer,
            learningRate: try m["learning_rate"]?.double(in: 1e-9...1e6),
            momentum: try m["momentum"]?.double(in: 0...0.9999) ?? (optimizer == "sgd" ? 0 : 0.9),
            nesterov: optimizer == "nesterov",
            schedule: try m["schedule"]?.choice(["constant", "step", "cosine"]) ?? "constant",
            epochs: try m["epochs"]?.int(in: 1...1000) ?? 5,
            batchSize: try m["batch_size"]?.int(in: 1...65536) ?? 64,
            seed: UInt64(try m["seed"]?.int(in: 0...Int.max) ?? 42),
            l2: try m["l2"]?.double(in: 0...10),
            earlyStoppingPatience: try m["early_stopping_patience"]?.int(in: 1...1000))
    }

    static func parseFigure(_ node: SpecNode) throws -> FigureSpec {
        let m = try node.mapping(allowed: ["plot", "caption", "handout"], required: ["plot", "caption"])
        return FigureSpec(kind: FigureSpec.Kind(rawValue: try m["plot"]!.choice(FigureSpec.Kind.allCases.map(\.rawValue)))!,
                          caption: try m["caption"]!.string(), handout: try m["handout"]?.bool() ?? true)
    }

    static func yamlErrorLine(_ error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            return mark.line
        default:
            return nil
        }
    }

    static func yamlErrorSummary(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _):
            return problem
        default:
            return "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
        }
    }
}
