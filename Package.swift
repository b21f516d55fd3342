// swift-tools-version:6.0
import PackageDescription

// Without a target CPU, SwiftPM builds for baseline x86-64 and every SIMD FMA
// becomes a libm `fmaf` call per lane (../shared/SIMD.md: 0.6 vs 80 GFLOP/s).
#if arch(x86_64)
let simdSettings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
// The AVX-512 GEMM tile alone, run only after Tensor's SIMDLevel has found AVX-512 on
// the CPU at run time; everything else stays AVX2 and runs on any x86-64 since Haswell.
let avx512Settings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "skylake-avx512"])]
#else
let simdSettings: [SwiftSetting] = []
let avx512Settings: [SwiftSetting] = []
#endif

let package = Package(
    name: "learn",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "learn", targets: ["learn"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.17.0"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CISAL", path: "Sources/CISAL", pkgConfig: "libisal",
                       providers: [.apt(["libisal-dev"])]),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo", pkgConfig: "pangocairo",
                       providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .systemLibrary(name: "CVectorMath", path: "Sources/CVectorMath"),
        .systemLibrary(name: "CFileSpace", path: "Sources/CFileSpace"),
        .target(name: "TensorAVX512", swiftSettings: avx512Settings),
        .target(name: "Tensor", dependencies: ["TensorAVX512", "CVectorMath"], swiftSettings: simdSettings),
        .target(name: "NeuralNet", dependencies: ["Tensor"], swiftSettings: simdSettings),
        .target(name: "Trace", dependencies: ["Tensor", "NeuralNet", "CISAL", "CFileSpace"], exclude: ["README.md"],
                swiftSettings: simdSettings),
        .target(name: "Render", dependencies: ["CCairo"]),
        // The ONNX format as generated Swift (see Sources/ONNXProto/README.md): no protoc plugin at build time.
        .target(name: "ONNXProto", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
                exclude: ["README.md", "onnx.proto"]),
        .target(name: "Lessons",
                dependencies: ["Tensor", "NeuralNet", "Trace", "Render", "CZlib", "Yams", "ONNXProto",
                               .product(name: "Plot", package: "Plot"),
                               .product(name: "Ink", package: "Ink"),
                               .product(name: "SwiftCSV", package: "SwiftCSV")],
                swiftSettings: simdSettings),
        .target(name: "Benchmarks", dependencies: ["Lessons", "Tensor", "NeuralNet", "Trace", "Render"], exclude: ["keras"],
                swiftSettings: simdSettings),
        .executableTarget(name: "learn",
                          dependencies: ["Lessons", "Benchmarks", "Tensor", "NeuralNet", "Trace", "Render", "CMalloc",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: simdSettings),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"], swiftSettings: simdSettings),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "Tensor", "Trace"], exclude: ["keras"],
                    swiftSettings: simdSettings),
        .testTarget(name: "TraceTests",
                    dependencies: ["Trace", "NeuralNet", "Tensor",
                                   .product(name: "SnapshotTesting", package: "swift-snapshot-testing"), "CZlib"],
                    exclude: ["python", "__Snapshots__"],
                    swiftSettings: simdSettings),
        .testTarget(name: "RenderTests", dependencies: ["Render"], exclude: ["__Goldens__"]),
        .testTarget(name: "learnTests", dependencies: ["learn"]),
        .testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks", "Lessons", "NeuralNet"], swiftSettings: simdSettings),
        .testTarget(name: "LessonsTests", dependencies: ["Lessons", "NeuralNet", "Tensor", "Render", "Trace", "ONNXProto",
                                                         .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                                                         .product(name: "SnapshotTesting", package: "swift-snapshot-testing")],
                    exclude: ["check_gallery.sh", "__Snapshots__", "python", "Fixtures"],
                    swiftSettings: simdSettings),
    ],
    swiftLanguageModes: [.v5]
)
