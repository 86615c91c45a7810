import PerimetreGeometry

// Helpers shared by the geometry tests. Expected values in the tests are worked out by hand
// or from published formulas, never read back from the code under test.

/// An axis-aligned rectangle, exterior counter-clockwise.
func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Shape {
    .polygon([[Coordinate(x0, y0), Coordinate(x1, y0), Coordinate(x1, y1), Coordinate(x0, y1), Coordinate(x0, y0)]])
}

/// The same rectangle as a closed ring, clockwise.
func clockwiseRing(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Coordinate] {
    [Coordinate(x0, y0), Coordinate(x0, y1), Coordinate(x1, y1), Coordinate(x1, y0), Coordinate(x0, y0)]
}

/// The same rectangle as a closed ring, counter-clockwise.
func counterClockwiseRing(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Coordinate] {
    [Coordinate(x0, y0), Coordinate(x1, y0), Coordinate(x1, y1), Coordinate(x0, y1), Coordinate(x0, y0)]
}

/// |a - b| <= max(rel * |b|, abs).
func close(_ a: Double, _ b: Double, rel: Double = 1e-12, abs absTol: Double = 0) -> Bool {
    Swift.abs(a - b) <= Swift.max(rel * Swift.abs(b), absTol)
}

/// Shoelace area of a ring written independently of `signedRingArea`: positive when CCW.
func shoelace(_ ring: [(Double, Double)]) -> Double {
    var s = 0.0
    for i in 0..<(ring.count - 1) {
        s += ring[i].0 * ring[i + 1].1 - ring[i + 1].0 * ring[i].1
    }
    return s / 2
}

/// The error thrown by `body`, or nil.
func thrownError<T>(_ body: () throws -> T) -> (any Error)? {
    do {
        _ = try body()
        return nil
    } catch { return error }
}

let placeholderMessage = "failed without a message"

/// SplitMix64, seeded: the same numbers on every machine.
struct SeededGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A number in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
