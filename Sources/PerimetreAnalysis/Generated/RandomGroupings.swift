public import PerimetreData

/// SplitMix64: a seeded generator, so generated cases (random groupings, remedy cases) are the
/// same on every machine and every run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's state; the seed at start.
    public var state: UInt64
    /// A generator seeded with `state`: the same seed gives the same sequence.
    public init(state: UInt64) { self.state = state }
    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Perimeter options as an EPCI staffer tries them: groups of 1–8 EPCI grown from a random EPCI
/// through shared borders; one in ten also takes an EPCI a few steps away (a perimeter in two
/// components). Seeded: the same groups everywhere. The topology proofs and `perimetre benchmark`
/// (1,000 options audited) use them.
///
/// ```swift
/// let groups = try RandomGroupings.make(data, count: 1000, seed: 12)
/// ```
public enum RandomGroupings {
    /// Makes `count` seeded perimeter options of neighbouring EPCI.
    ///
    /// - Parameters:
    ///   - data: The reference data (its EPCI topology gives the neighbours).
    ///   - count: How many options to make.
    ///   - seed: The generator's seed: the same seed, the same options.
    /// - Returns: The options, each a list of EPCI SIREN.
    /// - Throws: A `GeoPackageError` when the EPCI topology cannot be read.
    public static func make(_ data: GeoData, count: Int = 1000, seed: UInt64 = 12) throws -> [[String]] {
        let topo = try data.epciTopology()
        var rng = SplitMix64(state: seed)
        let all = data.epci.keys.sorted()
        var out: [[String]] = []
        while out.count < count {
            let size = Int.random(in: 1...8, using: &rng)
            var group = [all.randomElement(using: &rng)!]
            var tries = 0
            while group.count < size && tries < 50 {
                tries += 1
                let from = group.randomElement(using: &rng)!
                var next = topo.pairs(of: from).filter { $0.pair.kind == .sharedBorder }.map(\.other).sorted()
                if Int.random(in: 0..<10, using: &rng) == 0 {
                    // Two steps away: often not touching the group.
                    next = next.flatMap { n in topo.pairs(of: n).map(\.other) }.sorted()
                }
                if let n = next.randomElement(using: &rng), !group.contains(n) { group.append(n) }
            }
            out.append(group)
        }
        return out
    }
}
