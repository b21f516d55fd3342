/// `summary.json`'s epochs name the held-out metrics by their set: `validationLoss` and
/// `validationAccuracy`, or `testLoss` and `testAccuracy` in a run that measured them on
/// the test set. Summaries written before, with `validation*` for either, still read.
extension EpochMetrics {
    enum CodingKeys: String, CodingKey {
        case epoch, loss, accuracy, validationLoss, validationAccuracy, testLoss, testAccuracy, seconds
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let test = c.contains(.testLoss) || c.contains(.testAccuracy)
        self.init(epoch: try c.decode(Int.self, forKey: .epoch), loss: try c.decode(Float.self, forKey: .loss),
                  accuracy: try c.decodeIfPresent(Float.self, forKey: .accuracy),
                  validationLoss: try c.decodeIfPresent(Float.self, forKey: test ? .testLoss : .validationLoss),
                  validationAccuracy: try c.decodeIfPresent(Float.self, forKey: test ? .testAccuracy : .validationAccuracy),
                  seconds: try c.decode(Double.self, forKey: .seconds), heldOutSet: test ? .test : nil)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let test = heldOutSet == .test
        try c.encode(epoch, forKey: .epoch)
        try c.encode(loss, forKey: .loss)
        try c.encodeIfPresent(accuracy, forKey: .accuracy)
        try c.encodeIfPresent(validationLoss, forKey: test ? .testLoss : .validationLoss)
        try c.encodeIfPresent(validationAccuracy, forKey: test ? .testAccuracy : .validationAccuracy)
        try c.encode(seconds, forKey: .seconds)
    }
}
