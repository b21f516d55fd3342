import Foundation
import NeuralNet

/// Shows training progress: on a terminal a live bar (epoch, step/total, loss,
/// accuracy, samples/s, ETA) redrawn in place; otherwise one plain line per
/// epoch; nothing with `--quiet`.
final class ProgressDisplay {
    enum Mode { case live, lines, quiet }
    let mode: Mode
    private var lastDraw = Date.distantPast
    private let started = Date()

    init(quiet: Bool) {
        mode = quiet ? .quiet : (isatty(STDOUT_FILENO) == 1 ? .live : .lines)
    }

    func say(_ line: String) {
        guard mode != .quiet else { return }
        print(line)
        fflush(stdout)
    }

    func step(_ p: StepProgress) {
        guard mode == .live else { return }
        let now = Date()
        let last = p.step + 1 == p.totalSteps
        guard last || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let done = Double(p.step + 1) / Double(p.totalSteps)
        let width = 24, filled = Int(done * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let eta = now.timeIntervalSince(started) * (1 - done) / max(done, 1e-9)
        var text = "epoch \(p.epoch + 1)/\(p.epochs) \(bar) \(p.batchInEpoch)/\(p.batchesPerEpoch)"
        text += String(format: "  loss %.4f", p.loss)
        if let a = p.accuracy { text += String(format: "  acc %.1f%%", 100 * a) }
        text += String(format: "  %.0f samples/s  ETA %.0fs", p.samplesPerSecond, eta)
        print("\r\u{1B}[2K" + text, terminator: "")
        fflush(stdout)
    }

    func epoch(_ m: NeuralNet.EpochMetrics, of epochs: Int) {
        guard mode != .quiet else { return }
        if mode == .live { print("\r\u{1B}[2K", terminator: "") }
        var text = "epoch \(m.epoch + 1)/\(epochs): loss \(String(format: "%.4f", m.loss))"
        if let a = m.accuracy { text += String(format: ", accuracy %.2f%%", 100 * a) }
        // Named by the set they were measured on: test_loss in a run that holds nothing back.
        let set = m.heldOutSet ?? .validation
        if let l = m.validationLoss { text += ", \(set.lossName) " + String(format: "%.4f", l) }
        if let a = m.validationAccuracy { text += ", \(set.accuracyName) " + String(format: "%.2f%%", 100 * a) }
        text += String(format: " (%.1f s)", m.seconds)
        print(text)
        fflush(stdout)
    }
}
