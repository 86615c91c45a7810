import Foundation
import PerimetreGeometry

/// The reference topology of one level (EPCI or communes), as `perimetre data build` wrote it:
/// every pair that meets, each unit's pairs, and each unit's facts.
public final class Topology: Sendable {
    /// All pairs, sorted by (a, b).
    public let adjacency: [Adjacency]
    /// For each unit, the indices in ``adjacency`` of its pairs.
    public let pairsByUnit: [String: [Int]]
    /// Facts by unit code.
    public let facts: [String: UnitFacts]

    init(adjacency: [Adjacency], facts: [String: UnitFacts]) {
        self.adjacency = adjacency
        var by: [String: [Int]] = [:]
        by.reserveCapacity(facts.count)
        for (k, e) in adjacency.enumerated() {
            by[e.a, default: []].append(k)
            by[e.b, default: []].append(k)
        }
        pairsByUnit = by
        self.facts = facts
    }

    /// The pairs of `code` as (other unit, pair).
    public func pairs(of code: String) -> [(other: String, pair: Adjacency)] {
        (pairsByUnit[code] ?? []).map { k in
            let e = adjacency[k]
            return (e.a == code ? e.b : e.a, e)
        }
    }
}

extension GeoData {
    /// Pairs of EPCI that meet (table `epci_adjacency`), loaded once per GeoData.
    public func epciAdjacency() throws -> [Adjacency] { try epciTopology().adjacency }
    /// Pairs of communes that meet (table `commune_adjacency`), loaded once per GeoData.
    public func communeAdjacency() throws -> [Adjacency] { try communeTopology().adjacency }
    /// The EPCI topology: adjacency and facts (tables `epci_adjacency`, `epci_facts`, `epci_borders`).
    public func epciTopology() throws -> Topology { try topology("epci") }
    /// The commune topology (tables `commune_adjacency`, `commune_facts`, `commune_borders`).
    public func communeTopology() throws -> Topology { try topology("commune") }

    func topology(_ level: String) throws -> Topology {
        // Read under the lock: two tasks asking at once read the tables once.
        try topologyCache.withLock { cache in
            if let t = cache[level] { return t }
            let r = try borrowReader()
            defer { giveBack(r) }
            let t = try Self.readTopology(r, path: path, level: level)
            cache[level] = t
            return t
        }
    }

    static func readTopology(path: String, level: String) throws -> Topology {
        try readTopology(try GeoPackageReader(path: path), path: path, level: level)
    }

    /// The topology tables of `level` read through `r`, a reader of `path`.
    static func readTopology(_ r: GeoPackageReader, path: String, level: String) throws -> Topology {
        for table in ["_adjacency", "_facts", "_borders"].map({ level + $0 }) where !(try r.hasTable(table)) {
            throw GeoPackageError(
                path: path,
                message:
                    "no table \(table): built by an older version of perimetre, rebuild with `perimetre data build`")
        }
        var adjacency: [Adjacency] = []
        adjacency.reserveCapacity(try r.rowCount(level + "_adjacency"))
        try r.scanInPlace(level + "_adjacency", columns: adjacencyColumns) { v in
            adjacency.append(try Self.adjacency(v, level: level, path: path))
        }
        var borders: [String: [UnitFacts.BorderDistance]] = [:]
        try r.scanInPlace(level + "_borders", columns: borderColumns) { v in
            let (code, b) = try Self.border(v, level: level, path: path)
            borders[code, default: []].append(b)
        }
        var facts: [String: UnitFacts] = [:]
        facts.reserveCapacity(try r.rowCount(level + "_facts"))
        try r.scanInPlace(level + "_facts", columns: factColumns) { v in
            let f = try Self.facts(v, level: level, path: path, borders: borders)
            facts[f.code] = f
        }
        return Topology(adjacency: adjacency, facts: facts)
    }

    static let adjacencyColumns = ["code_a", "code_b", "kind", "length_m", "overlap_m2", "union_loss_m"]
    static let borderColumns = ["code", "country", "distance_m"]
    static let factColumns = [
        "code", "area_m2", "perimeter_m", "free_boundary_m", "hole_boundary_m",
        "unmatched_boundary_m", "min_x", "min_y", "max_x", "max_y", "crs", "island", "sea_gap_m",
        "sea_nearest", "detached_parts",
    ]

    /// A row of `<level>_adjacency` (``adjacencyColumns``).
    static func adjacency(_ v: some GeoPackageRowValues, level: String, path: String) throws -> Adjacency {
        guard let a = v[0].string, let b = v[1].string,
            let kind = v[2].string.flatMap(AdjacencyKind.init(rawValue:)),
            let loss = v[5].double
        else {
            throw GeoPackageError(path: path, message: "\(level)_adjacency: invalid row \(v)")
        }
        return Adjacency(
            a: a, b: b, kind: kind, lengthMetres: v[3].double ?? 0,
            overlapSquareMetres: v[4].double ?? 0, unionLossMetres: loss)
    }

    /// A row of `<level>_borders` (``borderColumns``): the unit and one country's distance.
    static func border(
        _ v: some GeoPackageRowValues, level: String, path: String
    ) throws -> (String, UnitFacts.BorderDistance) {
        guard let c = v[0].string, let country = v[1].string, let d = v[2].double else {
            throw GeoPackageError(path: path, message: "\(level)_borders: invalid row \(v)")
        }
        return (c, .init(country: country, distanceMetres: d))
    }

    /// A row of `<level>_facts` (``factColumns``), with the unit's border distances.
    static func facts(
        _ v: some GeoPackageRowValues, level: String, path: String, borders: [String: [UnitFacts.BorderDistance]]
    ) throws -> UnitFacts {
        guard let code = v[0].string else {
            throw GeoPackageError(path: path, message: "\(level)_facts: row without code")
        }
        // "area distance n1,n2;…": each detached part, and the units it meets.
        let parts = try (v[14].string ?? "").split(separator: ";").map { p -> UnitFacts.DetachedPart in
            let xy = p.split(separator: " ", omittingEmptySubsequences: false)
            guard xy.count == 3, let a = Double(xy[0]), let d = Double(xy[1]) else {
                throw GeoPackageError(
                    path: path, message: "\(level)_facts: invalid detached part \"\(p)\" of \(code)")
            }
            return .init(areaKm2: a, distanceMetres: d, neighbours: xy[2].split(separator: ",").map(String.init))
        }
        return UnitFacts(
            code: code, areaSquareMetres: v[1].double ?? 0, perimeterMetres: v[2].double ?? 0,
            freeBoundaryMetres: v[3].double ?? 0, holeBoundaryMetres: v[4].double ?? 0,
            unmatchedBoundaryMetres: v[5].double ?? 0,
            minX: v[6].double ?? 0, minY: v[7].double ?? 0, maxX: v[8].double ?? 0, maxY: v[9].double ?? 0,
            crs: v[10].string ?? "", island: (v[11].int ?? 0) == 1, seaGapMetres: v[12].double,
            seaNearest: v[13].string,
            detachedParts: parts, borders: borders[code] ?? [])
    }
}
