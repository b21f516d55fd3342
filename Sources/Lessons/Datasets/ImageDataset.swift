/// The image classification datasets a lesson can train on, named as the
/// command line's `--dataset` spells them. Both come as the same four IDX files
/// of 28×28 grey images with ten classes; they differ in what the classes are.
public enum ImageDataset: String, CaseIterable, Sendable {
    /// Handwritten digits (LeCun, Cortes, Burges).
    case mnist
    /// Zalando's photographs of clothing, a drop-in replacement for MNIST.
    case fashionMNIST = "fashion-mnist"

    /// The name to show people: "MNIST", "Fashion-MNIST".
    public var title: String {
        switch self {
        case .mnist: return "MNIST"
        case .fashionMNIST: return "Fashion-MNIST"
        }
    }

    /// What label `i` means, for `i` in 0..<10.
    public var classNames: [String] {
        switch self {
        case .mnist:
            return (0...9).map(String.init)
        case .fashionMNIST:
            return ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
        }
    }
}

/// The four files of an MNIST-format dataset folder, as MNIST itself names
/// them; each may also be present gzip-compressed with a `.gz` suffix.
public enum MNISTFileName: String, CaseIterable, Sendable {
    case trainImages = "train-images-idx3-ubyte"
    case trainLabels = "train-labels-idx1-ubyte"
    case testImages = "t10k-images-idx3-ubyte"
    case testLabels = "t10k-labels-idx1-ubyte"
}
