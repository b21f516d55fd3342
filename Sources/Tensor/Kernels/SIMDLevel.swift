import Foundation

/// Whether the kernels that have an AVX-512 twin in `TensorAVX512` use it: the GEMM's
/// 6×32 `SIMD16` tile (wherever two full 16-column panels lie side by side), GELU
/// sixteen lanes at a time and the moments pass (`MomentsKernel`) in zmm registers.
/// Without AVX-512, and by default on other CPUs, everything runs the AVX2 kernels
/// (the 6×16 `SIMD8` tile, GELU eight lanes at a time, SIMD16 moments in ymm pairs).
///
/// Each twin does the same operations lane for lane (the GEMM the same chain of fused
/// multiply-adds per value), so the choice changes speed only, never a bit of a
/// result (`WideTileTests` runs both). The
/// choice is made once, at first use, from the CPU's feature flags; setting the
/// environment variable `LEARN_SIMD=avx2` keeps the AVX2 tile (for comparisons).
public enum SIMDLevel {
    /// Whether the AVX-512 kernels run. Only ever true on a CPU that has AVX-512;
    /// tests and benchmarks may turn it off (set it between runs, not during one).
    ///
    /// Kernels read it per GEMM block. A global with a computed initial value is read
    /// through `swift_once` (a call, on Linux, at every read: 1.2 % of a training step's
    /// samples), so the choice lives in `choice`, whose constant initial value the
    /// compiler stores statically; the first read makes the choice. Threads that race
    /// on that first read all store the same value.
    @inline(__always)
    public static var avx512: Bool {
        get {
            if choice < 0 { choice = cpuHasAVX512 && !forcedAVX2 ? 1 : 0 }
            return choice == 1
        }
        set { choice = newValue ? 1 : 0 }
    }

    /// −1 until the first read of `avx512`, then 0 or 1.
    @exclusivity(unchecked) nonisolated(unsafe) private static var choice: Int8 = -1

    /// The CPU runs the AVX-512 subset that `TensorAVX512` is compiled for
    /// (`-target-cpu skylake-avx512`: F, CD, BW, DQ, VL) and the OS saves zmm state.
    public static let cpuHasAVX512: Bool = {
        #if arch(x86_64) && os(Linux)
        // Linux lists a flag only when the kernel also enables its register state.
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        let flags = Set(line.split(separator: " ").map(String.init))
        return requiredFlags.isSubset(of: flags)
        #elseif arch(x86_64) && canImport(Darwin)
        return requiredFlags.allSatisfy { sysctlFlag("hw.optional.\($0)") }
        #else
        return false
        #endif
    }()


    static let requiredFlags: Set<String> = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]

    private static var forcedAVX2: Bool {
        ProcessInfo.processInfo.environment["LEARN_SIMD"]?.lowercased() == "avx2"
    }

    #if canImport(Darwin)
    private static func sysctlFlag(_ name: String) -> Bool {
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        return sysctlbyname(name, &value, &size, nil, 0) == 0 && value != 0
    }
    #endif
}
