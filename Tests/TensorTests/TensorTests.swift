import XCTest
@testable import Tensor

final class TensorTests: XCTestCase {
    func testSubscriptIsRowMajor() {
        var t = Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(t[1, 2], 5)
        t[0, 1] = 9
        XCTAssertEqual(t.scalars, [0, 9, 2, 3, 4, 5])
    }

    func testGatherRowsKeepsInnerShape() {
        let t = Tensor(shape: [3, 2], scalars: [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(t.gather(rows: [2, 0]), Tensor(shape: [2, 2], scalars: [4, 5, 0, 1]))
    }

    func testRandomStreamIsReproducibleAndNamed() {
        var a = RandomStream(seed: 1, name: "x"), b = RandomStream(seed: 1, name: "x")
        var c = RandomStream(seed: 1, name: "y")
        let xa = (0..<5).map { _ in a.next() }, xb = (0..<5).map { _ in b.next() }
        XCTAssertEqual(xa, xb)
        XCTAssertNotEqual(xa, (0..<5).map { _ in c.next() })
    }

    func testUniformMomentsAreRight() {
        var r = RandomStream(seed: 3, name: "u")
        let n = 100_000
        let xs = (0..<n).map { _ in r.nextUniform() }
        let mean = xs.reduce(0, +) / Float(n)
        XCTAssertEqual(mean, 0.5, accuracy: 0.01)
        XCTAssert(xs.allSatisfy { $0 >= 0 && $0 < 1 })
        let zs = (0..<n).map { _ in r.nextNormal() }
        let zm = zs.reduce(0, +) / Float(n)
        let zv = zs.map { ($0 - zm) * ($0 - zm) }.reduce(0, +) / Float(n)
        XCTAssertEqual(zm, 0, accuracy: 0.02)
        XCTAssertEqual(zv, 1, accuracy: 0.02)
    }
}
