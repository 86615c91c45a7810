import Foundation
import PerimetreGeometry

/// The reference topology of one level of the coverage (EPCI or communes), computed once by
/// `perimetre data build`: every pair of units that meet (``Adjacency``) and the facts an
/// analysis of whole units needs (``UnitFacts``). The measures are made exactly as the
/// geometric analyses make them (``PolygonContact``, the same envelopes and filters), so the
/// analyses answering from the tables give the same answers.
enum TopologyBuilder {
    struct Unit: Sendable {
        var code: String
        var wkb: WKBGeometry
    }
    struct Line: Sendable {
        var country: String
        var wkb: WKBGeometry
        var envelope: Envelope
    }
    struct Result: Sendable {
        var adjacency: [Adjacency]
        var facts: [UnitFacts]
    }

    /// Per-worker state: one GEOS context and what it has parsed, projected or prepared.
    final class Worker {
        let ctx = GeosContext()
        let units: [Unit]
        let lines: [Line]
        private var geoms: [Int: Geometry] = [:]
        private var boundaries: [Int: Geometry] = [:]
        private var metrics: [Int: Geometry] = [:]
        private var metricLines: [String: Geometry] = [:]
        private var transformers: [String: CoordinateTransformer] = [:]
        private var outlines: [Int: Geometry] = [:]
        init(_ units: [Unit], _ lines: [Line]) {
            self.units = units
            self.lines = lines
        }

        func geometry(_ i: Int) throws -> Geometry {
            if let g = geoms[i] { return g }
            let g = try ctx.readWKB(units[i].wkb)
            geoms[i] = g
            return g
        }
        func boundary(_ i: Int) throws -> Geometry {
            if let b = boundaries[i] { return b }
            let b = try geometry(i).boundary()
            boundaries[i] = b
            return b
        }
        /// The boundary of territory outline `k` (France's coast and borders, around its holes).
        func outline(_ k: Int, _ wkb: WKBGeometry) throws -> Geometry {
            if let g = outlines[k] { return g }
            let g = try ctx.readWKB(wkb).boundary()
            outlines[k] = g
            return g
        }
        func toMetric(_ crs: String) throws -> CoordinateTransformer {
            if let t = transformers[crs] { return t }
            let t = try CoordinateTransformer(from: "EPSG:4326", to: crs)
            transformers[crs] = t
            return t
        }
        /// Unit `i` in `crs` (units are only ever projected to their own CRS).
        func metric(_ i: Int, _ crs: String) throws -> Geometry {
            if let g = metrics[i] { return g }
            let g = try toMetric(crs).transform(try geometry(i))
            metrics[i] = g
            return g
        }
        func metricLine(_ k: Int, _ crs: String) throws -> Geometry {
            let key = "\(k)>\(crs)"
            if let g = metricLines[key] { return g }
            let g = try toMetric(crs).transform(try ctx.readWKB(lines[k].wkb))
            metricLines[key] = g
            return g
        }
    }

    /// Computes the adjacency and the facts of `units`; `lines` are the land-border lines,
    /// `holes` the holes of the coverage left open (foreign enclaves).
    static func compute(_ units: [Unit], lines: [Line], holes: [WKBGeometry], outlines: [WKBGeometry]) throws -> Result
    {
        let n = units.count
        // 1. Per unit: envelope, measures, detached parts, CRS.
        let basics = try parallelMap(Array(0..<n), makeState: { Worker(units, lines) }) { w, i -> Basic in
            try Basic(try w.geometry(i))
        }
        let cover = Coverage(units: units, lines: lines, basics: basics, envs: basics.map(\.env))
        let adjacency = try cover.adjacency(cover.candidates())
        let index = Dictionary(uniqueKeysWithValues: units.enumerated().map { ($1.code, $0) })
        var shared = Array(repeating: 0.0, count: n)
        var touched = Array(repeating: false, count: n)
        for e in adjacency {
            let (i, j) = (index[e.a]!, index[e.b]!)
            touched[i] = true
            touched[j] = true
            if e.kind == .sharedBorder {
                shared[i] += e.lengthMetres
                shared[j] += e.lengthMetres
            }
        }
        let openings = try Openings(holes: holes, outlines: outlines)
        let extras = try cover.extras(openings, shared: shared, touched: touched)
        let pairs = try cover.measureIrregular(adjacency, index: index, extras: extras)
        let detached = try cover.detachedWithNeighbours(adjacency, index: index)
        let facts = (0..<n).map { i in
            let b = basics[i]
            let x = extras[i]
            return UnitFacts(
                code: units[i].code, areaSquareMetres: b.area, perimeterMetres: b.perimeter,
                freeBoundaryMetres: max(0, b.perimeter - shared[i] - x.hole), holeBoundaryMetres: x.hole,
                unmatchedBoundaryMetres: x.unmatched,
                minX: b.env.minX, minY: b.env.minY, maxX: b.env.maxX, maxY: b.env.maxY, crs: b.crs,
                island: x.island, seaGapMetres: x.seaGap, seaNearest: x.nearest, detachedParts: detached[i],
                borders: x.borders)
        }
        return Result(adjacency: pairs, facts: facts)
    }

    /// A unit's envelope, measures, detached parts and CRS.
    private struct Basic: Sendable {
        var env: Envelope
        var area: Double
        var perimeter: Double
        var crs: String
        var detached: [UnitFacts.DetachedPart]

        init(_ g: Geometry) throws {
            env = g.envelope()
            (area, perimeter) = GeodesicMeasure.areaAndPerimeter(of: try g.shape())
            crs = LocalCRS.for(env).code
            detached = try detachedParts(g)
        }
    }

    /// A unit's facts beyond its own geometry: island, sea gap, borders, boundary on the holes.
    private struct Extra: Sendable {
        var island: Bool
        var seaGap: Double?
        var nearest: String?
        var borders: [UnitFacts.BorderDistance]
        var hole: Double
        var unmatched: Double
    }

    /// The holes of the coverage and the outlines of France, with their envelopes.
    private struct Openings: Sendable {
        var holes: [WKBGeometry]
        var holeEnvs: [Envelope]
        var outlines: [WKBGeometry]
        var outlineEnvs: [Envelope]

        init(holes: [WKBGeometry], outlines: [WKBGeometry]) throws {
            self.holes = holes
            self.outlines = outlines
            holeEnvs = try holes.map { try GeosContext().readWKB($0).envelope() }
            outlineEnvs = try outlines.map { try GeosContext().readWKB($0).envelope() }
        }
    }

    /// The units and what step 1 measured, shared by the later steps' workers.
    private struct Coverage: Sendable {
        let units: [Unit]
        let lines: [Line]
        let basics: [Basic]
        let envs: [Envelope]
        var n: Int { units.count }
        var tol: Double { TopologyParameters.toleranceMetres }

        /// 2. Candidate pairs: a sweep on minX, the lower index's envelope widened by the tolerance
        /// (as the contiguity analysis filters its pairs).
        func candidates() -> [[Int]] {
            let near = envs.map { $0.widened(byMetres: tol) }
            let byMinX = (0..<n).sorted { near[$0].minX < near[$1].minX }
            var candidates = Array(repeating: [Int](), count: n)
            for (p, i) in byMinX.enumerated() {
                for q in (p + 1)..<n {
                    let j = byMinX[q]
                    if near[j].minX > near[i].maxX { break }
                    let (lo, hi) = i < j ? (i, j) : (j, i)
                    if near[lo].intersects(envs[hi]) { candidates[lo].append(hi) }
                }
            }
            return candidates
        }

        /// 3. Pairs: heavy units first so both workers finish together.
        func adjacency(_ candidatesOf: [[Int]]) throws -> [Adjacency] {
            let jobs = (0..<n).filter { !candidatesOf[$0].isEmpty }.sorted {
                candidatesOf[$0].count > candidatesOf[$1].count
            }
            let found = try parallelMap(jobs, makeState: { Worker(units, lines) }) { w, i -> [Adjacency] in
                try contacts(of: i, with: candidatesOf[i].sorted(), w)
            }
            return found.flatMap { $0 }.sorted { ($0.a, $0.b) < ($1.a, $1.b) }
        }

        /// Unit `i`'s contacts with the candidates `js`: shared border, point, or within the tolerance.
        func contacts(of i: Int, with js: [Int], _ w: Worker) throws -> [Adjacency] {
            var out: [Adjacency] = []
            var prepared: PreparedGeometry? = nil
            for j in js {
                let a = try w.geometry(i)
                let b = try w.geometry(j)
                if prepared == nil { prepared = try PreparedGeometry(a) }
                if try prepared!.intersects(b) {
                    let (shared, len) = try PolygonContact.measure(
                        a, boundary: try w.boundary(i), envelope: envs[i],
                        b, boundary: try w.boundary(j), envelope: envs[j])
                    out.append(
                        Adjacency(
                            a: units[i].code, b: units[j].code, kind: shared ? .sharedBorder : .point,
                            lengthMetres: shared ? len : 0))
                } else if basics[i].crs == basics[j].crs {
                    let d = try w.metric(i, basics[i].crs).distance(try w.metric(j, basics[j].crs))
                    if d <= tol {
                        out.append(
                            Adjacency(a: units[i].code, b: units[j].code, kind: .withinTolerance, lengthMetres: d))
                    }
                }
            }
            return out
        }

        /// 4. Per unit: islands, sea gaps, borders, boundary on the coverage's holes.
        func extras(_ openings: Openings, shared: [Double], touched: [Bool]) throws -> [Extra] {
            try parallelMap(Array(0..<n), makeState: { Worker(units, lines) }) { w, i -> Extra in
                let borders = try borders(of: i, w)
                var hole = 0.0
                for (k, h) in openings.holes.enumerated() where openings.holeEnvs[k].intersects(envs[i]) {
                    let common = try w.boundary(i).intersection(try w.ctx.readWKB(h).boundary())
                    hole += GeodesicMeasure.length(of: try common.shape())
                }
                let unmatched = try unmatched(i, shared: shared[i], hole: hole, openings: openings, w)
                let land = Extra(
                    island: false, seaGap: nil, nearest: nil, borders: borders, hole: hole, unmatched: unmatched)
                guard !touched[i], try !nearBorderLine(i, w) else { return land }
                let gap = try seaGap(of: i, w)
                return Extra(
                    island: true, seaGap: gap?.metres, nearest: gap?.code, borders: borders, hole: hole,
                    unmatched: unmatched)
            }
        }

        /// Land borders within the search distance (the lines whose box meets the widened box).
        func borders(of i: Int, _ w: Worker) throws -> [UnitFacts.BorderDistance] {
            let crs = basics[i].crs
            let search = envs[i].widened(byMetres: TopologyParameters.borderSearchMetres)
            var best: [String: Double] = [:]
            var prepared: PreparedGeometry? = nil
            for (k, l) in lines.enumerated() where l.envelope.intersects(search) {
                if prepared == nil { prepared = try PreparedGeometry(try w.metric(i, crs)) }
                let d = try prepared!.distance(try w.metricLine(k, crs))
                if d <= TopologyParameters.borderSearchMetres, d < (best[l.country] ?? .infinity) {
                    best[l.country] = d
                }
            }
            return best.map { UnitFacts.BorderDistance(country: $0.key, distanceMetres: $0.value) }
                .sorted { ($0.distanceMetres, $0.country) < ($1.distanceMetres, $1.country) }
        }

        /// The boundary neither shared with another unit nor on the outline of France: where
        /// the coverage is not edge-matched (overlapping or split communes).
        func unmatched(_ i: Int, shared: Double, hole: Double, openings: Openings, _ w: Worker) throws -> Double {
            let env = envs[i]
            var unmatched = max(0, basics[i].perimeter - shared - hole)
            if unmatched > TopologyParameters.unmatchedMetres {
                let window = env.expanded(by: 1e-6)
                for (k, o) in openings.outlines.enumerated() where openings.outlineEnvs[k].intersects(env) {
                    let common = try w.boundary(i).clipped(to: window).intersection(
                        try w.outline(k, o).clipped(to: window))
                    unmatched -= GeodesicMeasure.length(of: try common.shape())
                }
                unmatched = max(0, unmatched)
            }
            return unmatched
        }

        /// Whether a border line lies within 6 km of a unit no other meets, among those whose box
        /// meets the box widened by 0.05° (as the analysis): then it is no island.
        func nearBorderLine(_ i: Int, _ w: Worker) throws -> Bool {
            let env = envs[i]
            let crs = basics[i].crs
            let probe = Envelope(
                minX: env.minX - 0.05, minY: env.minY - 0.05, maxX: env.maxX + 0.05, maxY: env.maxY + 0.05)
            for (k, l) in lines.enumerated() where l.envelope.intersects(probe) {
                if try w.metricLine(k, crs).distance(try w.metric(i, crs)) <= TopologyParameters.islandBorderMetres {
                    return true
                }
            }
            return false
        }

        /// Sea gap: the nearest other unit within about 50 km, the first by code on a tie.
        func seaGap(of i: Int, _ w: Worker) throws -> (code: String, metres: Double)? {
            let env = envs[i]
            let crs = basics[i].crs
            let wide = Envelope(minX: env.minX - 0.7, minY: env.minY - 0.5, maxX: env.maxX + 0.7, maxY: env.maxY + 0.5)
            var gap: (code: String, metres: Double)? = nil
            for j in 0..<n where j != i && envs[j].intersects(wide) {
                let d = try w.toMetric(crs).transform(try w.geometry(j)).distance(try w.metric(i, crs))
                if d < (gap?.metres ?? .infinity) { gap = (units[j].code, d) }
            }
            return gap
        }

        /// 5. Pairs around a unit that is not edge-matched: overlap and perimeter loss measured on
        /// the pair's union, made as the analyses make it (coverage union, unary union fallback).
        func measureIrregular(_ adjacency: [Adjacency], index: [String: Int], extras: [Extra]) throws -> [Adjacency] {
            let irregular = extras.map { $0.unmatched > TopologyParameters.unmatchedMetres }
            let toMeasure = adjacency.indices.filter { k in
                let e = adjacency[k]
                return e.kind != .withinTolerance && (irregular[index[e.a]!] || irregular[index[e.b]!])
            }
            let measured = try parallelMap(toMeasure, makeState: { Worker(units, lines) }) { w, k -> Adjacency in
                let e = adjacency[k]
                let (i, j) = (index[e.a]!, index[e.b]!)
                let u = try w.ctx.coverageUnion([try w.geometry(i), try w.geometry(j)], chained: false).geometry
                let (area, perimeter) = GeodesicMeasure.areaAndPerimeter(of: try u.shape())
                return Adjacency(
                    a: e.a, b: e.b, kind: e.kind, lengthMetres: e.lengthMetres,
                    overlapSquareMetres: max(0, basics[i].area + basics[j].area - area),
                    unionLossMetres: basics[i].perimeter + basics[j].perimeter - perimeter)
            }
            var pairs = adjacency
            for (k, e) in zip(toMeasure, measured) { pairs[k] = e }
            return pairs
        }

        /// 6. The units each detached part meets: a perimeter can enclose a neighbour's exclave
        /// only if it holds one of them.
        func detachedWithNeighbours(
            _ adjacency: [Adjacency], index: [String: Int]
        ) throws -> [[UnitFacts.DetachedPart]] {
            var pairsOf = Array(repeating: [Int](), count: n)
            for e in adjacency {
                let (i, j) = (index[e.a]!, index[e.b]!)
                pairsOf[i].append(j)
                pairsOf[j].append(i)
            }
            let others = pairsOf
            let withParts = (0..<n).filter { !basics[$0].detached.isEmpty }
            let partNeighbours = try parallelMap(withParts, makeState: { Worker(units, lines) }) {
                w, i -> [[String]] in
                guard let p = try w.geometry(i).polygonParts() else { return [] }
                return try p.detached.map { k in
                    let part = try PreparedGeometry(p.polygons[k])
                    let crs = basics[i].crs
                    return try others[i].filter { j in
                        if try part.intersects(try w.geometry(j)) { return true }
                        guard basics[j].crs == crs else { return false }
                        return try w.toMetric(crs).transform(p.polygons[k]).distance(try w.metric(j, crs)) <= tol
                    }.map { units[$0].code }.sorted()
                }
            }
            var detached = basics.map(\.detached)
            for (i, ns) in zip(withParts, partNeighbours) {
                for k in detached[i].indices where k < ns.count { detached[i][k].neighbours = ns[k] }
            }
            return detached
        }
    }

    /// Parts apart from the largest one, with their geodesic distance to it (as the contiguity
    /// analysis reports a member's islets).
    static func detachedParts(_ g: Geometry) throws -> [UnitFacts.DetachedPart] {
        guard let p = try g.polygonParts() else { return [] }
        return zip(p.detached, try p.detachedDistances()).map { k, d in
            UnitFacts.DetachedPart(areaKm2: p.areas[k] / 1e6, distanceMetres: d)
        }
    }
}
