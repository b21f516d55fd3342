import Render
import Trace

/// One colour per layer across every figure of a lesson that draws a line per layer
/// (gradient sizes, stuck units): weighted layer k of the model's n weighted layers
/// (those with a weight matrix or kernel) takes `Theme.depthColor(k, of: n)`, a ramp
/// from dark (input side) to light green (output side). Layers have their own palette,
/// not the categorical one that runs take, so that a line of a layer chart is never read
/// as a run ("blue = relu" in neuron-activations' run figures is not dense0 in its layer
/// charts, issue 20); the ramp also makes depth readable, and a layer keeps its colour
/// when a figure leaves another layer out. A layer without weights (a separate
/// activation) takes the colour of the weighted layer before it, whose output it transforms.
extension TraceFigures {
    func layerColor(of name: String) -> Color {
        Self.layerColors(layers)[name] ?? Theme.standard.depthColor(0, of: 1)
    }

    /// The colour of every layer of `layers`, by the rule above.
    static func layerColors(_ layers: [LayerDescription], theme: Theme = .standard) -> [String: Color] {
        let count = layers.filter(isWeighted).count
        var weighted = -1, colors: [String: Color] = [:]
        for layer in layers {
            if isWeighted(layer) { weighted += 1 }
            colors[layer.name] = theme.depthColor(max(weighted, 0), of: count)
        }
        return colors
    }

    private static func isWeighted(_ layer: LayerDescription) -> Bool {
        layer.parameters.contains { $0.shape.count >= 2 }
    }
}
