import PerimetreData

/// The communes of one territory of a layer, each with the member code it comes through, in
/// `CommuneIndex` order: sorted integers rather than a dictionary of codes, as a national CRTE
/// layer holds 35,000 communes in 854 territories and is read again by every candidature.
///
/// ```swift
/// let t = layer.territories[0]
/// t.communes.count        // 12
/// t.communes["57672"]     // "200068211": the member (an EPCI) it comes through
/// t.communes.codes        // ["57058", "57169", …]
/// ```
public struct TerritoryCommunes: Sendable, Equatable {
    /// INSEE codes, in `CommuneIndex` order (code order but for Corsica's, which come last).
    public private(set) var codes: [String] = []
    /// The dense index (`CommuneIndex`) of each code, ascending (`Int32.max` for a code out of the INSEE pattern).
    private(set) var indices: [Int32] = []
    /// For each code, its member's position in `memberCodes`.
    private var memberOf: [Int32] = []
    /// The members the communes come through.
    private var memberCodes: [String] = []

    /// No commune.
    public init() {}

    /// From `(code, member position)` pairs, each code once, and the members' codes.
    init(_ pairs: [(code: String, member: Int32)], members: [String]) {
        memberCodes = members
        // Sorted on (index, position in `pairs`): one integer each, no string comparison.
        var keys = [UInt64]()
        keys.reserveCapacity(pairs.count)
        for (k, p) in pairs.enumerated() {
            let i = CommuneIndex.of(p.code).map(UInt64.init) ?? UInt64(Int32.max)
            keys.append(i << 32 | UInt64(k))
        }
        keys.sort()
        codes.reserveCapacity(pairs.count)
        indices.reserveCapacity(pairs.count)
        memberOf.reserveCapacity(pairs.count)
        for key in keys {
            let p = pairs[Int(key & 0xFFFF_FFFF)]
            codes.append(p.code)
            indices.append(Int32(key >> 32))
            memberOf.append(p.member)
        }
    }

    /// Number of communes.
    public var count: Int { codes.count }
    /// Whether the territory has no commune.
    public var isEmpty: Bool { codes.isEmpty }
    /// The INSEE codes (as ``codes``).
    public var keys: [String] { codes }

    /// The member code a commune comes through; nil when the commune is not in the territory.
    public subscript(code: String) -> String? {
        guard let k = position(of: code) else { return nil }
        return memberCodes[Int(memberOf[k])]
    }

    /// `(code, member code)` for every commune.
    public var pairs: some Sequence<(code: String, member: String)> {
        codes.indices.lazy.map { (codes[$0], memberCodes[Int(memberOf[$0])]) }
    }

    /// Whether the commune is in the territory.
    public func contains(_ code: String) -> Bool { position(of: code) != nil }

    private func position(of code: String) -> Int? {
        guard let i = CommuneIndex.of(code).map(Int32.init) else {
            // Out of the INSEE pattern: at the end, compared as text.
            return codes.indices.reversed().prefix { indices[$0] == Int32.max }.first { codes[$0] == code }
        }
        var lo = 0
        var hi = indices.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if indices[mid] < i { lo = mid + 1 } else { hi = mid }
        }
        return lo < indices.count && indices[lo] == i ? lo : nil
    }
}

/// Commune → the territories of a layer holding it, over the dense commune indices: one array
/// read per commune instead of hashing its code, for each commune of every candidature.
///
/// ```swift
/// layer.byCommune["57672"]  // [412]: indices in layer.territories
/// layer.byCommune["99999"]  // nil: in no territory
/// ```
public struct LayerCommuneIndex: Sendable {
    /// The territories of index `i` are `territories[start[i]..<start[i + 1]]`.
    private var start: [Int32]
    private var territories: [Int]
    /// Codes out of the INSEE pattern (none in the reference data), by code.
    private var other: [String: [Int]] = [:]

    /// The index of the territories' communes; each commune lists its territories in layer order.
    init(_ ts: [TerritoryCommunes]) {
        // From the territories' own indices: no code is read again.
        let none = Int32.max
        var start = [Int32](repeating: 0, count: CommuneIndex.count + 1)
        for t in ts {
            for i in t.indices where i != none { start[Int(i) + 1] += 1 }
        }
        for i in 0..<CommuneIndex.count { start[i + 1] += start[i] }
        var next = start
        var territories = [Int](repeating: 0, count: Int(start[CommuneIndex.count]))
        for (k, t) in ts.enumerated() {
            for (i, c) in zip(t.indices, t.codes) {
                guard i != none else {
                    other[c, default: []].append(k)
                    continue
                }
                territories[Int(next[Int(i)])] = k
                next[Int(i)] += 1
            }
        }
        self.start = start
        self.territories = territories
    }

    /// The indices of the territories holding the commune, in layer order; nil when none does.
    public subscript(code: String) -> ArraySlice<Int>? {
        guard let i = CommuneIndex.of(code) else { return other[code].map { $0[...] } }
        let (a, b) = (Int(start[i]), Int(start[i + 1]))
        return a < b ? territories[a..<b] : nil
    }
}
