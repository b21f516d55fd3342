/// The facts of a run that a trace records once, filled by the caller (the lesson
/// runner): which lesson, which model, which settings, so that a trace can be
/// understood — and the run repeated — without the code that made it.
public struct TraceRunInfo: Codable, Equatable, Sendable {
    public var lesson: String
    public var model: ModelDescription
    /// Hyperparameters as the lesson states them (`"learning_rate": "0.01"`).
    public var hyperparameters: [String: String]
    public var seed: UInt64
    public var threads: Int
    /// Version of the `learn` build that wrote the trace.
    public var toolVersion: String

    public init(lesson: String, model: ModelDescription, hyperparameters: [String: String] = [:],
                seed: UInt64, threads: Int, toolVersion: String) {
        self.lesson = lesson
        self.model = model
        self.hyperparameters = hyperparameters
        self.seed = seed
        self.threads = threads
        self.toolVersion = toolVersion
    }
}

/// A model as a list of layers, in forward order.
public struct ModelDescription: Codable, Equatable, Sendable {
    public var layers: [LayerDescription]

    public init(layers: [LayerDescription]) { self.layers = layers }

    /// Every parameter name (`conv1.weight`), in layer order.
    public var parameterNames: [String] { layers.flatMap { $0.parameters.map(\.name) } }
}

/// One layer: its trace name (`conv1`), its type (`Conv2D`), the shape of its
/// output for one sample, and its parameters.
public struct LayerDescription: Codable, Equatable, Sendable {
    public var name: String
    public var type: String
    public var outputShape: [Int]
    public var parameters: [ParameterDescription]

    public init(name: String, type: String, outputShape: [Int], parameters: [ParameterDescription] = []) {
        self.name = name
        self.type = type
        self.outputShape = outputShape
        self.parameters = parameters
    }
}

/// A named parameter (`conv1.weight`) and its shape.
public struct ParameterDescription: Codable, Equatable, Sendable {
    public var name: String
    public var shape: [Int]

    public init(name: String, shape: [Int]) {
        self.name = name
        self.shape = shape
    }
}
