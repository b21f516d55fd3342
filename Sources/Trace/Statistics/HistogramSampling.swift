import NeuralNet

/// How many elements a series' histogram counts: the full sample
/// (`StatisticsKernel.histogramSample`, 16 384) for the series a figure draws as
/// a distribution — parameter values and gradients (`weight/conv1.weight`,
/// `gradient/conv1.weight`), their updates, and the input batches — and a quarter
/// of it (`reducedHistogramSample`) for the rest: layer outputs and their
/// gradients, states, attention. Those are the large tensors (a conv layer's
/// output is ~1.4 M values at batch 64), so they were most of the ~380 000 values
/// binned per step, and no figure reads their histograms; 4 096 values still put
/// ~128 in each of the 32 bins, enough to see the shape with `learn trace`.
struct HistogramSampling {
    let parameterNames: Set<String>

    init(model: ModelDescription) { parameterNames = Set(model.parameterNames) }

    func sample(for key: SeriesKey) -> Int {
        switch key.kind {
        case .weight, .update, .input:
            return StatisticsKernel.histogramSample
        case .gradient:
            return parameterNames.contains(key.name) ? StatisticsKernel.histogramSample
                                                     : StatisticsKernel.reducedHistogramSample
        case .activation, .state, .attention:
            return StatisticsKernel.reducedHistogramSample
        }
    }
}
