import Render
import Trace

/// One colour per layer across every figure of a lesson that draws a line per layer
/// (gradient sizes, stuck units): layer k of the model's weighted layers (those with a
/// weight matrix or kernel) takes `Theme.distinctCategories[k]`, so neighbouring layers
/// are of different hue families (conv2 vermillion, dense1 purple: not orange beside
/// vermillion as by series index), and a layer keeps its colour when a figure leaves
/// another layer out. A layer without weights (a separate activation) takes the colour
/// of the weighted layer before it, whose output it transforms.
extension TraceFigures {
    func layerCategory(of name: String) -> Int {
        Self.layerCategories(layers)[name] ?? Theme.distinctCategories[0]
    }

    /// The colour (theme category) of every layer of `layers`, by the rule above.
    static func layerCategories(_ layers: [LayerDescription]) -> [String: Int] {
        var weighted = -1, categories: [String: Int] = [:]
        let order = Theme.distinctCategories
        for layer in layers {
            if layer.parameters.contains(where: { $0.shape.count >= 2 }) { weighted += 1 }
            categories[layer.name] = order[max(weighted, 0) % order.count]
        }
        return categories
    }
}
