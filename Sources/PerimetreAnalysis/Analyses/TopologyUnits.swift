import PerimetreData
import PerimetreGeometry

/// What the topology path reads of the reference topology: each unit's facts and pairs, and the
/// geometries and communes of the units of an enclave. A unit is an EPCI (SIREN) or, inside an
/// EPCI that a perimeter splits, a commune (INSEE code).
protocol UnitGraph {
    /// The unit's facts; nil for a unit the graph does not hold (its neighbours are open).
    func unitFacts(_ unit: String) -> UnitFacts?
    /// The unit's pairs: each other unit it meets, and how.
    func pairs(of unit: String) -> [(other: String, pair: Adjacency)]
    /// Whether `code`, a unit named by a detached part of `unit`, may hold part of `members`.
    func mayHoldMember(_ code: String, of unit: String, members: Set<String>) -> Bool
    /// Whether `code`, a unit named by a detached part of `unit`, surely lies in `members`.
    func holdsMember(_ code: String, of unit: String, members: Set<String>) -> Bool
    /// The lon/lat geometries of the units, in their order.
    func geometries(_ units: [String], session: GeoDataSession) throws -> [WKBGeometry]
    /// The communes of the units.
    func communes(_ units: [String], session: GeoDataSession) throws -> [Commune]
}

extension Topology: UnitGraph {
    func unitFacts(_ unit: String) -> UnitFacts? { facts[unit] }
    func mayHoldMember(_ code: String, of unit: String, members: Set<String>) -> Bool { members.contains(code) }
    func holdsMember(_ code: String, of unit: String, members: Set<String>) -> Bool { members.contains(code) }
    func geometries(_ units: [String], session: GeoDataSession) throws -> [WKBGeometry] {
        let wkbs = try session.epciGeometries(units)
        return units.compactMap { wkbs[$0] }
    }
    func communes(_ units: [String], session: GeoDataSession) throws -> [Commune] {
        try session.communes(ofEPCI: units, geometry: false).map(\.0)
    }
}

/// The EPCI topology where the EPCI a perimeter splits are replaced by their communes: an EPCI
/// meets a commune of a split EPCI where one of its communes does, the pair summing (lengths,
/// overlaps, losses) or keeping the strongest contact of the commune pairs.
final class MixedUnitGraph: UnitGraph, Sendable {
    let epci: Topology
    let split: Set<String>
    let communes: GeoDataSession.CommuneTopology
    /// The pairs that involve a commune unit, both ways.
    private let links: [String: [(other: String, pair: Adjacency)]]

    init(epci: Topology, split: Set<String>, communes: GeoDataSession.CommuneTopology) {
        self.epci = epci
        self.split = split
        self.communes = communes
        var merged: [String: [String: [Adjacency]]] = [:]
        for e in communes.adjacency {
            let (a, b) = (Self.unit(ofCommune: e.a, communes, split), Self.unit(ofCommune: e.b, communes, split))
            guard a != b else { continue }
            let (low, high) = a < b ? (a, b) : (b, a)
            merged[low, default: [:]][high, default: []].append(e)
        }
        var links: [String: [(other: String, pair: Adjacency)]] = [:]
        for low in merged.keys.sorted() {
            for (high, pairs) in merged[low]!.sorted(by: { $0.key < $1.key }) {
                let p = Self.merge(pairs, a: low, b: high)
                links[low, default: []].append((high, p))
                links[high, default: []].append((low, p))
            }
        }
        self.links = links
    }

    /// The graph of the EPCI topology of `data` with the EPCI `split` as their communes: built
    /// once per set for every task, since a perimeter's predicted outcomes, and the perimeters
    /// of an audit, split the same EPCI again (the Métropole du Grand Paris six times for the
    /// 183 TI with the CRTE).
    static func of(
        splitting split: Set<String>, data: GeoData, session: GeoDataSession, topology: Topology
    ) throws -> MixedUnitGraph {
        try cache.value(for: data.path + "|" + split.sorted().joined(separator: ",")) {
            MixedUnitGraph(epci: topology, split: split, communes: try session.communeTopology(ofEPCI: split.sorted()))
        }
    }

    /// The graphs kept at most 256 (a few megabytes).
    private static let cache = BoundedCache<MixedUnitGraph>(limit: 256)

    /// The unit a commune belongs to: itself in a split EPCI, else its EPCI.
    func unit(ofCommune c: String) -> String { Self.unit(ofCommune: c, communes, split) }

    private static func unit(
        ofCommune c: String, _ communes: GeoDataSession.CommuneTopology, _ split: Set<String>
    ) -> String {
        guard let e = communes.epci[c] else { return c }
        return split.contains(e) ? c : e
    }

    func isCommune(_ unit: String) -> Bool { PerimeterUnits.isCommune(unit) }

    /// One pair from the commune pairs between two units: shared border if any (lengths summed),
    /// else a point contact, else the nearest of the pairs within the tolerance.
    static func merge(_ pairs: [Adjacency], a: String, b: String) -> Adjacency {
        let overlap = pairs.reduce(0) { $0 + $1.overlapSquareMetres }
        let loss = pairs.reduce(0) { $0 + $1.unionLossMetres }
        let kind: AdjacencyKind
        let length: Double
        if pairs.contains(where: { $0.kind == .sharedBorder }) {
            kind = .sharedBorder
            length = pairs.filter { $0.kind == .sharedBorder }.reduce(0) { $0 + $1.lengthMetres }
        } else if pairs.contains(where: { $0.kind == .point }) {
            kind = .point
            length = 0
        } else {
            kind = .withinTolerance
            length = pairs.map(\.lengthMetres).min() ?? 0
        }
        return Adjacency(
            a: a, b: b, kind: kind, lengthMetres: length, overlapSquareMetres: overlap, unionLossMetres: loss)
    }

    func unitFacts(_ unit: String) -> UnitFacts? {
        isCommune(unit) ? communes.facts[unit] : split.contains(unit) ? nil : epci.facts[unit]
    }

    func pairs(of unit: String) -> [(other: String, pair: Adjacency)] {
        if isCommune(unit) { return links[unit] ?? [] }
        if split.contains(unit) { return [] }
        return epci.pairs(of: unit).filter { !split.contains($0.other) } + (links[unit] ?? [])
    }

    func mayHoldMember(_ code: String, of unit: String, members: Set<String>) -> Bool {
        if isCommune(unit) {
            // A commune's detached part names communes: unknown ones may be anything.
            guard communes.epci[code] != nil else { return true }
            return members.contains(self.unit(ofCommune: code))
        }
        return members.contains(code) || split.contains(code)
    }

    func holdsMember(_ code: String, of unit: String, members: Set<String>) -> Bool {
        guard isCommune(unit) else { return members.contains(code) }
        return communes.epci[code] != nil && members.contains(self.unit(ofCommune: code))
    }

    func geometries(_ units: [String], session: GeoDataSession) throws -> [WKBGeometry] {
        let wkbs = try session.epciGeometries(units.filter { !isCommune($0) })
        let cs = try session.communes(codes: units.filter(isCommune))
        return units.compactMap { wkbs[$0] ?? cs[$0]?.1 }
    }

    func communes(_ units: [String], session: GeoDataSession) throws -> [Commune] {
        try session.communes(ofEPCI: units.filter { !isCommune($0) }, geometry: false).map(\.0)
            + session.communes(codes: units.filter(isCommune), geometry: false).values.map(\.0).sorted {
                $0.code < $1.code
            }
    }
}

/// A perimeter as units of the reference topology.
struct PerimeterUnits {
    /// What a member is made of: an EPCI known whole, or communes (with their EPCI).
    enum Part {
        case epci(String)
        case communes([(code: String, epci: String?)])
    }

    let graph: any UnitGraph
    /// The units of each member, sorted.
    let units: [[String]]

    /// The units of `parts` (one per member): an EPCI listed whole (as an EPCI, or as all its
    /// communes by one member) is one unit; the communes of an EPCI split between members or
    /// only partly in the perimeter are units each. Nil when only geometry can say: a commune
    /// in no EPCI, a commune or EPCI in two members.
    static func make(
        _ parts: [Part], splitting neighbours: Set<String> = [], data: GeoData, session: GeoDataSession,
        topology: Topology
    ) throws -> PerimeterUnits? {
        var whole = Set<String>()
        var listed: [String: [String]] = [:]  // EPCI → its communes listed
        var owner: [String: Int] = [:]  // commune → member
        var owners: [String: Set<Int>] = [:]  // EPCI → members listing its communes
        for (i, p) in parts.enumerated() {
            switch p {
            case .epci(let e):
                guard whole.insert(e).inserted else { return nil }
            case .communes(let cs):
                for c in cs {
                    guard let e = c.epci, owner.updateValue(i, forKey: c.code) == nil else { return nil }
                    listed[e, default: []].append(c.code)
                    owners[e, default: []].insert(i)
                }
            }
        }
        var split = neighbours.subtracting(whole)
        for (e, cs) in listed {
            if whole.contains(e) { return nil }
            if owners[e]!.count > 1 || cs.count != data.epci[e]?.communeCount { split.insert(e) }
        }
        if split.isEmpty && listed.isEmpty && neighbours.isEmpty {
            return PerimeterUnits(graph: topology, units: parts.map { if case .epci(let e) = $0 { [e] } else { [] } })
        }
        let graph = try MixedUnitGraph.of(splitting: split, data: data, session: session, topology: topology)
        let units = parts.map { p -> [String] in
            switch p {
            case .epci(let e): return [e]
            case .communes(let cs):
                return Set(cs.map { split.contains($0.epci!) ? $0.code : $0.epci! }).sorted()
            }
        }
        return PerimeterUnits(graph: graph, units: units)
    }

    /// Whether a unit is a commune (an INSEE code of 5 characters) rather than an EPCI (a SIREN
    /// of 9 digits).
    static func isCommune(_ unit: String) -> Bool { unit.utf8.count != 9 }

    /// The nearest distance (m) of the units to each country's land border: a union's distance to
    /// a line is its nearest part's.
    static func nearestBorders(_ facts: [UnitFacts]) -> [String: Double] {
        var nearest: [String: Double] = [:]
        for f in facts {
            for b in f.borders where b.distanceMetres < (nearest[b.country] ?? .infinity) {
                nearest[b.country] = b.distanceMetres
            }
        }
        return nearest
    }

    /// The parts of resolved members: an EPCI member with all its communes is that EPCI.
    static func parts(_ members: [ResolvedMember], communes: [String: Commune], data: GeoData) -> [Part] {
        parts(members, epciOf: { communes[$0]?.epci }, data: data)
    }

    /// The parts of resolved members, each commune's EPCI given by `epciOf`.
    static func parts(_ members: [ResolvedMember], epciOf: (String) -> String?, data: GeoData) -> [Part] {
        members.map { m in
            if m.kind == .epci, m.communes.count == data.epci[m.code]?.communeCount { return .epci(m.code) }
            return .communes(m.communes.map { ($0, epciOf($0)) })
        }
    }

    /// A member's facts: its unit's, or those of its units together (areas and lengths summed
    /// less what their pairs share, box joined, nearest border per country). The detached parts
    /// of a member of several units are those of the union of its `communes` (in that order, as
    /// the geometric path builds it) when a unit has detached parts or the units are not joined
    /// by shared borders. Nil when the member's shape is beyond what sums can say: units in
    /// several CRS, a commune island, or a group of communes with no land around it.
    func memberFacts(
        _ i: Int, code: String, communes: [String], session: GeoDataSession, ctx: GeosContext
    ) throws -> UnitFacts? {
        let us = units[i]
        let facts = us.compactMap { graph.unitFacts($0) }
        guard facts.count == us.count, let first = facts.first else { return nil }
        if us.count == 1 {
            // A commune island: geometry measures its sea gap from its own EPCI's other communes.
            return first.island && Self.isCommune(us[0]) ? nil : first
        }
        guard facts.allSatisfy({ $0.crs == first.crs && !$0.island }) else { return nil }
        var sets = UnionFind(count: us.count)
        let index = Dictionary(uniqueKeysWithValues: us.enumerated().map { ($1, $0) })
        var overlap = 0.0
        var loss = 0.0
        var outside = false
        for (k, u) in us.enumerated() {
            for (o, e) in graph.pairs(of: u) {
                guard let j = index[o] else {
                    if e.kind == .sharedBorder { outside = true }
                    continue
                }
                if e.kind == .sharedBorder { sets.link(k, j) }
                if u < o {
                    overlap += e.overlapSquareMetres
                    loss += e.unionLossMetres
                }
            }
        }
        // Land around it: an island group of communes is geometry's to say.
        guard outside else { return nil }
        var detached: [UnitFacts.DetachedPart] = []
        if facts.contains(where: { !$0.detachedParts.isEmpty }) || Set(us.indices.map { sets.find($0) }).count > 1 {
            let wkbs = try session.communes(codes: communes)
            let parts = try communes.compactMap { wkbs[$0]?.1 }.map { try ctx.readWKB($0) }
            let union = try ctx.multiPolygon([try ctx.coverageUnion(parts).geometry])
            detached = try ContiguityAnalysis.detachedParts(of: union).map {
                .init(areaKm2: $0.areaKm2, distanceMetres: $0.distanceMetres)
            }
        }
        let nearest = Self.nearestBorders(facts)
        return UnitFacts(
            code: code, areaSquareMetres: facts.reduce(0) { $0 + $1.areaSquareMetres } - overlap,
            perimeterMetres: facts.reduce(0) { $0 + $1.perimeterMetres } - loss,
            freeBoundaryMetres: facts.reduce(0) { $0 + $1.freeBoundaryMetres },
            holeBoundaryMetres: facts.reduce(0) { $0 + $1.holeBoundaryMetres },
            unmatchedBoundaryMetres: facts.reduce(0) { $0 + $1.unmatchedBoundaryMetres },
            minX: facts.map(\.minX).min()!, minY: facts.map(\.minY).min()!,
            maxX: facts.map(\.maxX).max()!, maxY: facts.map(\.maxY).max()!,
            crs: first.crs, island: false, seaGapMetres: nil, seaNearest: nil, detachedParts: detached,
            borders: nearest.keys.sorted().map { .init(country: $0, distanceMetres: nearest[$0]!) })
    }
}
