import Foundation
import Tensor

/// The two losses of a GAN, both binary cross-entropy on the discriminator's logits
/// (`BinaryCrossEntropy`: ℓ(a, y) = max(a, 0) − a·y + log(1 + e^−|a|), with σ(a) = D's
/// probability that its input is real).
///
/// The discriminator labels the real batch 1 − s (one-sided label smoothing s, Salimans
/// et al. 2016, §3.4: only the real side, so that D is never taught to call a generated
/// point real) and the generated batch 0, each batch's loss its own mean:
///
///     L_D = (1/B_r) Σ_i ℓ(a_i, 1 − s) + (1/B_f) Σ_j ℓ(â_j, 0)     a = D(x), â = D(G(z))
///     ∂L_D/∂a_i = (σ(a_i) − (1 − s)) / B_r        ∂L_D/∂â_j = σ(â_j) / B_f
///
/// The generator uses the non-saturating loss (Goodfellow et al. 2014, end of §3): instead
/// of minimising log(1 − D(G(z))), whose gradient vanishes while D rejects every sample,
/// it minimises −log D(G(z)), which is ℓ with the label 1:
///
///     L_G = (1/B_f) Σ_j ℓ(â_j, 1) = −(1/B_f) Σ_j log σ(â_j)      ∂L_G/∂â_j = (σ(â_j) − 1) / B_f
///
/// At the equilibrium D = ½ everywhere (with s = 0): L_D = 2 log 2 = log 4, L_G = log 2.
public enum AdversarialLoss {
    /// L_D and its gradient with respect to each batch's logits (`[B_r, 1]`, `[B_f, 1]`).
    public static func discriminator(real: Tensor, fake: Tensor, smoothing: Float = 0) throws
        -> (value: Float, real: Tensor, fake: Tensor) {
        let bce = BinaryCrossEntropy()
        let r = try bce.evaluate(real, .values(Tensor(shape: real.shape, repeating: 1 - smoothing)))
        let f = try bce.evaluate(fake, .values(Tensor(shape: fake.shape, repeating: 0)))
        return (r.value + f.value, r.gradient, f.gradient)
    }

    /// The non-saturating L_G and its gradient with respect to the logits D gave the generated batch.
    public static func generator(fake: Tensor) throws -> (value: Float, gradient: Tensor) {
        try BinaryCrossEntropy().evaluate(fake, .values(Tensor(shape: fake.shape, repeating: 1)))
    }

    /// L_D at the equilibrium D = ½ without smoothing: log 4.
    public static let discriminatorEquilibrium = 2 * log(2.0)
    /// L_G at the equilibrium: log 2.
    public static let generatorEquilibrium = log(2.0)
}
