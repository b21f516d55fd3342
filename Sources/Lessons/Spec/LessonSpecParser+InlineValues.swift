/// Numbers a lesson writes out itself instead of drawing them: examples
/// (`dataset: inline`) and a Dense layer's starting `weights` and `bias`, so that
/// the numbers a narrative quotes are fixed by the lesson file.
extension LessonSpecParser {
    static let inlineDataKeys = ["inputs", "targets", "labels"]

    /// The `dataset` of a `data` mapping (or `base`'s when a variant leaves it out).
    static func parseDataset(_ m: [String: SpecNode], base: LessonDataset?) throws -> LessonDataset {
        let stray = inlineDataKeys.first { m[$0] != nil }
        guard let node = m["dataset"] else {
            if let key = ownDataKeys.first(where: { m[$0] != nil }) {
                throw m[key]!.error("'\(key)' changes your own data: give 'dataset: csv' or 'dataset: images' beside it")
            }
            if let stray { throw m[stray]!.error("examples written in the lesson need 'dataset: inline' beside them") }
            return base!
        }
        let name = try node.choice(LessonDataset.names + [InlineExamples.datasetName] + ownDatasetNames)
        if ownDatasetNames.contains(name) { return try parseOwnData(m, dataset: node, name: name) }
        if let key = ownDataKeys.first(where: { m[$0] != nil }) {
            throw m[key]!.error("'\(key)' is for your own data (dataset: csv or images)")
        }
        guard name == InlineExamples.datasetName else {
            if let stray { throw m[stray]!.error("'\(stray)' is for examples written in the lesson (dataset: inline)") }
            return LessonDataset(name: name)!
        }
        for key in ["examples", "test_examples", "noise"] where m[key] != nil {
            throw m[key]!.error("an inline dataset is exactly the examples it lists: they are the training and test set")
        }
        return .inline(try parseInlineExamples(m, dataset: node))
    }

    /// `inputs` (one row per example) with either `targets` (one row each) or `labels`.
    static func parseInlineExamples(_ m: [String: SpecNode], dataset: SpecNode) throws -> InlineExamples {
        guard let inputNode = m["inputs"] else {
            throw dataset.error("an inline dataset needs 'inputs'", hint: "e.g. inputs: [[1.0, 0.5]], targets: [[0.9]]")
        }
        guard (m["targets"] == nil) != (m["labels"] == nil) else {
            throw dataset.error("an inline dataset gives either 'targets' (regression) or 'labels' (classes), not "
                                + (m["targets"] == nil ? "neither" : "both"))
        }
        let inputs = try numberRows(inputNode, width: nil, unit: "inputs")
        func checkCount(_ node: SpecNode, _ count: Int) throws {
            guard count == inputs.count else {
                throw node.error("\(count) given for \(inputs.count) example\(inputs.count == 1 ? "" : "s") in 'inputs'")
            }
        }
        if let node = m["targets"] {
            let targets = try numberRows(node, width: nil, unit: "outputs")
            try checkCount(node, targets.count)
            return InlineExamples(inputs: inputs, targets: targets)
        }
        let labels = try m["labels"]!.array().map { try $0.int(in: 0...1000) }
        try checkCount(m["labels"]!, labels.count)
        return InlineExamples(inputs: inputs, labels: labels)
    }

    /// A Dense layer's starting weights: one row per input, each with one number per unit.
    static func parseDenseWeights(_ node: SpecNode, units: Int) throws -> [[Double]] {
        try numberRows(node, width: units, unit: "units (weights are inputs × units, one row per input)")
    }

    static func parseDenseBias(_ node: SpecNode, units: Int) throws -> [Double] {
        let bias = try node.array().map { try $0.double() }
        guard bias.count == units else { throw node.error("\(bias.count) numbers for a layer of \(units) units") }
        return bias
    }

    /// A non-empty list of rows of numbers, all `width` long (or as long as the first row).
    static func numberRows(_ node: SpecNode, width: Int?, unit: String) throws -> [[Double]] {
        let rows = try node.array()
        guard !rows.isEmpty else { throw node.error("expected at least one row of numbers") }
        var values: [[Double]] = []
        for row in rows {
            guard case .sequence = row.node else { throw row.error("expected a row of numbers, e.g. [0.5, 1.0]") }
            let numbers = try row.array().map { try $0.double() }
            let expected = width ?? values.first?.count ?? max(1, numbers.count)
            guard numbers.count == expected else {
                throw row.error("\(numbers.count) numbers where \(expected) are needed (\(expected) \(unit))")
            }
            values.append(numbers)
        }
        return values
    }
}
