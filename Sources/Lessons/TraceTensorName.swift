import NeuralNet
import Trace

/// A tensor of a trace as people name it on the command line: `KIND/NAME`
/// (`gradient/conv1.weight`, `activation/pool1`), or a bare name, which stands for a
/// parameter's value, else a layer's activation, else the input batch.
public struct TraceTensorName: Equatable, Sendable {
    public var kind: TensorKind
    public var name: String

    /// `text` resolved against the series `reader` holds.
    public init(_ text: String, in reader: TraceReader) throws {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        if parts.count == 2, let kind = TensorKind(rawValue: parts[0]) {
            (self.kind, name) = (kind, parts[1])
            return
        }
        let known = Set(reader.statisticsSeries.map { "\($0.kind.rawValue)/\($0.name)" })
        for kind in [TensorKind.weight, .activation, .input] where known.contains("\(kind.rawValue)/\(text)") {
            (self.kind, name) = (kind, text)
            return
        }
        let names = Set(reader.statisticsSeries.map(\.name)).sorted()
        throw UnknownTensorName(text: text, suggestion: nearest(text, in: names).first)
    }

    /// `KIND/NAME`, the key of the tensor in the trace's safetensors files.
    public var key: String { "\(kind.rawValue)/\(name)" }
}

/// A name that no tensor of the trace has, with the nearest one that exists.
public struct UnknownTensorName: Error, CustomStringConvertible, Equatable {
    public let text: String
    public let suggestion: String?

    public var description: String {
        "the trace has no tensor '\(text)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
            + " (see `learn trace summary`)"
    }
}
