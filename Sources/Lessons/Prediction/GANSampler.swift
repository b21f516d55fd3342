import Foundation
import NeuralNet
import Render
import Tensor
import Trace

/// A trained GAN's generator, drawing new samples: G(z) for noise z drawn with a seed
/// (the same seed gives the same samples), and a picture of them — over the trained
/// discriminator's field with the real points for points in the plane, a grid for images.
///
/// ```swift
/// let sampler = try GANSampler(runFolder: URL(fileURLWithPath: "output/gan-2d"))
/// try sampler.figure(count: 500, seed: 1).writePNG(to: "samples.png")
/// ```
public struct GANSampler {
    public let architecture: GANArchitecture
    public let generator: Sequential
    public let discriminator: Sequential
    /// The trace folder the models were read from.
    public let folder: URL

    /// The trained GAN of a run folder (or of a trace folder inside it).
    public init(runFolder: URL) throws {
        let trace = runFolder.appendingPathComponent("trace")
        let folder = FileManager.default.fileExists(atPath: trace.appendingPathComponent(GANArchitecture.fileName).path)
            ? trace : runFolder
        guard let architecture = try GANArchitecture.read(from: folder) else {
            throw GenerationError.notAGAN(reason: "\(folder.path) holds no \(GANArchitecture.fileName) (learn generate "
                                              + "--count draws from a GAN lesson's run, such as gan-2d's)")
        }
        self.architecture = architecture
        (generator, discriminator) = try architecture.trainedModels(in: folder)
        self.folder = folder
    }

    /// `count` samples G(z), `[count, data shape…]`, for noise drawn from the seed.
    public func samples(count: Int, seed: UInt64) throws -> Tensor {
        let z = architecture.gan.noise.sample(count: count, size: architecture.gan.noiseSize, seed: seed,
                                               name: "generate", index: 0)
        return try generator.predict(z)
    }

    /// The samples as a figure: points over D's field with the run's real points, or images in a grid.
    public func figure(count: Int, seed: UInt64) throws -> Figure {
        let x = try samples(count: count, seed: seed)
        let shape = architecture.dataShape
        if shape == [2] {
            let real = try TrainingSetRecord.read(fromTrace: folder)?.inputs ?? x
            let plane = GANFigures.square(around: real)
            let logits = try discriminator.predict(plane.inputs, batchSize: 4096)
            func coordinates(_ t: Tensor) -> (x: [Double], y: [Double]) {
                ((0..<t.shape[0]).map { Double(t.scalars[2 * $0]) }, (0..<t.shape[0]).map { Double(t.scalars[2 * $0 + 1]) })
            }
            return try AdversarialPlane(title: "\(count) samples of the trained generator (seed \(seed))",
                                        xRange: plane.xRange, yRange: plane.yRange,
                                        field: try FloatArray(shape: [plane.rows, plane.columns],
                                                              values: logits.scalars.map { 1 / (1 + exp(-$0)) }),
                                        real: coordinates(real), generated: coordinates(x))
        }
        guard architecture.isImage else {
            throw GenerationError.invalidOption("the generator's samples are \(shape): neither points in the plane nor images")
        }
        return try GANImageFigures.mosaic(architecture.pixels(x), title: "\(count) samples of the trained generator (seed \(seed))",
                                     subtitle: "G(z) for \(count) noise vectors z drawn with seed \(seed)")
    }
}
