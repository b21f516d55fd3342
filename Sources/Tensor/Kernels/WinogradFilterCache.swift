import Foundation

/// The transformed filters U = G g Gᵀ of the last few weights a Winograd
/// convolution met, so that the same weights are transformed once, not at every
/// call: a recorded step's probe batch, and the next step's forward, convolve with
/// the weights the step left, and the transform is a serial scalar loop (~1.6 % of
/// a CNN step when repeated).
///
/// The key is the weights' content itself (with the shape and whether they are
/// read flipped): a tensor carries no version, and an optimizer updates weights in
/// place, so only equal bytes prove that U still holds. Comparing the bytes
/// (`memcmp`, 9·cin·cout floats) costs a small fraction of transforming them, and
/// U is a function of those bytes alone, so a hit returns exactly what a fresh
/// transform would: results stay bit-identical.
enum WinogradFilterCache {
    private struct Entry {
        let inChannels, outChannels: Int
        let flipped: Bool
        let weights: [Float]
        let filters: [Float]
    }

    /// Entries kept: a forward and a flipped transform for each of a few layers.
    private static let limit = 8
    private static let lock = NSLock()
    nonisolated(unsafe) private static var entries: [Entry] = []

    /// U for the weights `w` (9·cin·cout floats) of `winograd`, from the cache when
    /// the same bytes were transformed before, else transformed and kept.
    static func filters(_ w: UnsafeBufferPointer<Float>, _ winograd: WinogradConvolution, flipped: Bool) -> [Float] {
        let (cin, cout) = (winograd.inChannels, winograd.outChannels)
        if let hit = lookUp(w, inChannels: cin, outChannels: cout, flipped: flipped) { return hit }
        let filters = winograd.transformedFilters(w.baseAddress!, flipped: flipped)
        let entry = Entry(inChannels: cin, outChannels: cout, flipped: flipped, weights: Array(w), filters: filters)
        lock.withLock {
            if entries.count >= limit { entries.removeFirst() }
            entries.append(entry)
        }
        return filters
    }

    private static func lookUp(_ w: UnsafeBufferPointer<Float>, inChannels: Int, outChannels: Int,
                               flipped: Bool) -> [Float]? {
        lock.withLock {
            guard let index = entries.lastIndex(where: { entry in
                entry.inChannels == inChannels && entry.outChannels == outChannels && entry.flipped == flipped
                    && entry.weights.count == w.count
                    && entry.weights.withUnsafeBytes { memcmp($0.baseAddress!, w.baseAddress!, $0.count) == 0 }
            }) else { return nil }
            // Most recently used last, so the oldest entry is the one evicted.
            let entry = entries.remove(at: index)
            entries.append(entry)
            return entry.filters
        }
    }
}
