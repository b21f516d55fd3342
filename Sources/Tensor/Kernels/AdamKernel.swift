import CVectorMath

/// Adam's update of a model's parameters, eight values at a time (`Adam` in NeuralNet
/// gives the rule and where α comes from):
///
///     m ← β1·m + (1−β1)·g        v ← β2·v + (1−β2)·g²        θ ← θ − α·m / (√v + ε̂)
///
/// m and v are flushed to zero below the smallest normal float (`SubnormalFlush`: a
/// dead unit's m would otherwise decay into subnormals and stay there).
///
/// m, v and θ in one pass over memory, every parameter in one parallel region cut into
/// blocks of `blockValues` (the update is a few passes over memory, and one thread
/// alone does not fill the memory bus). Each lane does the scalar rule's operations in
/// its order (no fused multiply-adds; √ is correctly rounded in both), so the bits
/// equal the scalar loop's whoever runs a block. A trace also asks for each change
/// θ_new − θ_old: the step then writes θ_new to a new array beside the old one (which
/// the trace's weights of the step still share) and the change in the same pass,
/// instead of copying θ before updating it and subtracting afterwards.
public enum AdamKernel {
    /// One parameter's arrays for `step`: θ, m and v are updated, `g` is its gradient.
    public struct Buffers {
        public var θ: [Float]
        public var m: [Float]
        public var v: [Float]
        public let g: [Float]
        /// θ_new − θ_old, after a step that keeps the changes; empty otherwise.
        public internal(set) var change: [Float] = []

        public init(θ: [Float], m: [Float], v: [Float], g: [Float]) {
            precondition(m.count == θ.count && v.count == θ.count && g.count == θ.count,
                         "Adam: \(θ.count) values, slots \(m.count), \(v.count), gradient \(g.count)")
            (self.θ, self.m, self.v, self.g) = (θ, m, v, g)
        }
    }

    /// Values per block of the parallel region.
    static let blockValues = 8_192
    /// Below this many values in all, the caller's thread updates them alone (a region
    /// would cost more than it saves).
    static let parallelFrom = 32_768

    /// One step of every parameter in `buffers`; with `keepingChanges`, each one's
    /// `change` receives θ_new − θ_old.
    public static func step(_ buffers: inout [Buffers], α: Float, β1: Float, β2: Float, ε: Float,
                            keepingChanges: Bool, pool: WorkerPool = .shared) {
        // The values the step reads θ from: the new θ's own array, or the old one beside it.
        var sources: [[Float]] = []
        if keepingChanges {
            sources = buffers.map(\.θ)
            for i in buffers.indices {
                buffers[i].θ = uninitialized(buffers[i].θ.count)
                buffers[i].change = uninitialized(buffers[i].θ.count)
            }
        }
        let rule = Rule(α: α, β1: β1, β2: β2, ε: ε)
        buffers.withUnsafeMutableBufferPointer { items in
            var jobs: [Job] = []
            withJobs(items, sources: sources, from: 0, into: &jobs) { run($0, rule, pool: pool) }
        }
    }

    /// A parameter's pointers, held while `step` runs.
    struct Job {
        let source: UnsafePointer<Float>
        let θ: UnsafeMutablePointer<Float>
        let m: UnsafeMutablePointer<Float>
        let v: UnsafeMutablePointer<Float>
        let g: UnsafePointer<Float>
        let change: UnsafeMutablePointer<Float>?
        let count: Int
    }

    struct Rule {
        let α: Float, β1: Float, β2: Float, ε: Float
    }

    private static func uninitialized(_ count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }

    /// Calls `body` with every item's pointers, each array held by its own nested access.
    private static func withJobs(_ items: UnsafeMutableBufferPointer<Buffers>, sources: [[Float]], from i: Int,
                                 into jobs: inout [Job], _ body: ([Job]) -> Void) {
        guard i < items.count else { return body(jobs) }
        guard items[i].θ.count > 0 else { return withJobs(items, sources: sources, from: i + 1, into: &jobs, body) }
        items[i].θ.withUnsafeMutableBufferPointer { θ in
            items[i].m.withUnsafeMutableBufferPointer { m in
                items[i].v.withUnsafeMutableBufferPointer { v in
                    items[i].g.withUnsafeBufferPointer { g in
                        items[i].change.withUnsafeMutableBufferPointer { change in
                            // (An empty array's base address need not be nil: the changes are asked by `sources`.)
                            func add(_ source: UnsafePointer<Float>) {
                                jobs.append(Job(source: source, θ: θ.baseAddress!, m: m.baseAddress!, v: v.baseAddress!,
                                                g: g.baseAddress!, change: sources.isEmpty ? nil : change.baseAddress!,
                                                count: θ.count))
                                withJobs(items, sources: sources, from: i + 1, into: &jobs, body)
                            }
                            if sources.isEmpty { add(UnsafePointer(θ.baseAddress!)) } else {
                                sources[i].withUnsafeBufferPointer { add($0.baseAddress!) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Every job's values, in blocks of `blockValues` (a job's last block may be shorter).
    private static func run(_ jobs: [Job], _ rule: Rule, pool: WorkerPool) {
        var blocks: [(job: Int, start: Int)] = []
        for (j, job) in jobs.enumerated() {
            for start in stride(from: 0, to: job.count, by: blockValues) { blocks.append((j, start)) }
        }
        let total = jobs.reduce(0) { $0 + $1.count }
        func runBlock(_ b: Int) {
            let (job, start) = (jobs[blocks[b].job], blocks[b].start)
            update(job, start..<min(job.count, start + blockValues), rule)
        }
        if total < parallelFrom {
            for b in blocks.indices { runBlock(b) }
        } else {
            pool.run(blocks: blocks.count, runBlock)
        }
    }

    /// The rule on `range` of one job's values.
    static func update(_ job: Job, _ range: Range<Int>, _ rule: Rule) {
        typealias V = SIMD8<Float>
        let (θ, source, m, v, g) = (job.θ, job.source, job.m, job.v, job.g)
        let (β1, β2, α, ε) = (rule.β1, rule.β2, rule.α, rule.ε)
        let (b1, c1, b2, c2) = (V(repeating: β1), V(repeating: 1 - β1), V(repeating: β2), V(repeating: 1 - β2))
        let (a, e) = (V(repeating: α), V(repeating: ε))
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            let gi = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
            let old = UnsafeRawPointer(source + i).loadUnaligned(as: V.self)
            let mi = SubnormalFlush.flush(b1 * UnsafeRawPointer(m + i).loadUnaligned(as: V.self) + c1 * gi)
            let vi = SubnormalFlush.flush(b2 * UnsafeRawPointer(v + i).loadUnaligned(as: V.self) + c2 * gi * gi)
            let θi = old - a * mi / (learn_sqrt8(vi) + e)
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
            UnsafeMutableRawPointer(θ + i).storeBytes(of: θi, as: V.self)
            if let change = job.change { UnsafeMutableRawPointer(change + i).storeBytes(of: θi - old, as: V.self) }
            i += 8
        }
        while i < range.upperBound {
            let old = source[i]
            m[i] = SubnormalFlush.flush(β1 * m[i] + (1 - β1) * g[i])
            v[i] = SubnormalFlush.flush(β2 * v[i] + (1 - β2) * g[i] * g[i])
            θ[i] = old - α * m[i] / (v[i].squareRoot() + ε)
            job.change?[i] = θ[i] - old
            i += 1
        }
    }
}
