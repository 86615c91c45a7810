import Foundation
import PerimetreData
import PerimetreGeometry

/// The analyses answered from the reference topology (`perimetre data build`'s adjacency and
/// per-EPCI facts) for a perimeter of whole EPCI, the case of every candidature: contiguity is
/// the connectivity of the member graph, area and perimeter are sums, the border facts are the
/// members' nearest, enclaves are groups of non-member EPCI closed by members. Geometry is read
/// only for the rare facts that depend on the pair of members (gaps between components, an
/// island's nearest member) and for an enclave's width. The geometric analyses stay the
/// reference: `TopologyPathTests` proves both give the same answers.
enum TopologyPath {
    struct Output {
        var contiguity: Contiguity
        var border: BorderResult
        var crs: LocalCRS
        /// Nil when only the dissolved geometry can say the holes (an enclave whose EPCI overlap
        /// the members, an exclave of a neighbour): it decides the holes, the area and the
        /// perimeter then.
        var exact: (enclaves: [Enclave], slivers: [Sliver], figures: Figures)?
    }

    /// The answers, or nil when this perimeter needs the geometric path (shapes asked, a member
    /// that is not a whole EPCI or is unknown to the tables, other tolerances, a foreign enclave…).
    static func run(
        _ resolution: Resolution, communes: [Commune], data: GeoData, session: GeoDataSession,
        options: AnalysisOptions, against: [ResolvedLayer]
    ) throws -> Output? {
        guard options.topology, !options.shapes,
            options.toleranceMetres == TopologyParameters.toleranceMetres,
            options.borderSearchMetres == TopologyParameters.borderSearchMetres,
            !against.contains(where: { $0.layer.format == .polygons }),
            !resolution.members.isEmpty
        else { return nil }
        let topo = try data.epciTopology()
        var facts: [UnitFacts] = []
        for m in resolution.members {
            guard m.kind == .epci, let f = topo.facts[m.code], f.holeBoundaryMetres == 0,
                m.communes.count == data.epci[m.code]?.communeCount
            else { return nil }
            facts.append(f)
        }
        let codes = resolution.members.map(\.code)
        let bbox = envelope(facts)
        let crs = LocalCRS.for(bbox)
        guard facts.allSatisfy({ $0.crs == crs.code }) else { return nil }
        let geometry = MemberGeometry(session: session, crs: crs)

        let enclaves = try enclaves(
            Set(codes), topo: topo, data: data, session: session, geometry: geometry, options: options)
        let (contiguity, sums) = try contiguity(codes, facts: facts, topo: topo, geometry: geometry, options: options)

        // Border: the distance of the perimeter to a line is its nearest member's.
        var nearest: [String: Double] = [:]
        for f in facts {
            for b in f.borders where b.distanceMetres < (nearest[b.country] ?? .infinity) {
                nearest[b.country] = b.distanceMetres
            }
        }
        let nearby = nearest.map {
            BorderResult.Neighbour(
                code: $0.key, nameFR: data.countries[$0.key]?.nameFR ?? $0.key, distanceMetres: $0.value)
        }
        .sorted { ($0.distanceMetres, $0.code) < ($1.distanceMetres, $1.code) }
        let neighbours = nearby.filter { $0.distanceMetres <= options.borderDistanceMetres }
        let border = BorderResult(
            frontalier: !neighbours.isEmpty, distanceMetres: options.borderDistanceMetres,
            neighbours: neighbours, nearby: nearby, abroad: [], frenchPartKm2: nil)

        // Figures: the union's area is the members' sum less what their pairs overlap, its
        // perimeter the members' less what their pairs' unions lose (twice a shared border where
        // the coverage is edge-matched).
        let area = facts.reduce(0) { $0 + $1.areaSquareMetres } - sums.overlapSquareMetres
        let perimeter = facts.reduce(0) { $0 + $1.perimeterMetres } - sums.lossMetres
        let epciCodes = Set(communes.compactMap(\.epci))
        let figures = Figures(
            areaKm2: area / 1e6, perimeterKm: perimeter / 1000, population: communes.reduce(0) { $0 + $1.population },
            communeCount: communes.count, epciCount: epciCodes.count, epciCodes: epciCodes.sorted(),
            polsbyPopper: perimeter > 0 ? 4 * .pi * area / (perimeter * perimeter) : 0, bbox: bbox)
        return Output(contiguity: contiguity, border: border, crs: crs, exact: enclaves.map { ($0.0, $0.1, figures) })
    }

    /// The number of enclaves of the perimeter made of `members` and the EPCI `adding`, from the
    /// topology (for a remedy's predicted outcome); nil when only geometry can say (a member that
    /// is not a whole, edge-matched EPCI, a commune added, other tolerances).
    static func enclaveCount(
        _ members: [ResolvedMember], adding: [String], data: GeoData, session: GeoDataSession,
        options: AnalysisOptions
    ) throws -> Int? {
        guard options.topology, options.toleranceMetres == TopologyParameters.toleranceMetres else { return nil }
        let topo = try data.epciTopology()
        var facts: [UnitFacts] = []
        for m in members {
            guard m.kind == .epci, m.communes.count == data.epci[m.code]?.communeCount, let f = topo.facts[m.code]
            else { return nil }
            facts.append(f)
        }
        for code in adding {
            guard data.epci[code] != nil, let f = topo.facts[code] else { return nil }
            facts.append(f)
        }
        guard !facts.isEmpty, facts.allSatisfy({ $0.holeBoundaryMetres == 0 }) else { return nil }
        let bbox = envelope(facts)
        let geometry = MemberGeometry(session: session, crs: LocalCRS.for(bbox))
        let codes = Set(members.map(\.code) + adding)
        return try enclaves(codes, topo: topo, data: data, session: session, geometry: geometry, options: options)?.0
            .count
    }

    /// The lon/lat box around the units.
    static func envelope(_ facts: [UnitFacts]) -> Envelope {
        facts.reduce(Envelope.empty) { $0.union(Envelope(minX: $1.minX, minY: $1.minY, maxX: $1.maxX, maxY: $1.maxY)) }
    }

    /// Member geometries, read and projected only when a distance between members is needed.
    final class MemberGeometry {
        let session: GeoDataSession
        let crs: LocalCRS
        let ctx = GeosContext()
        private var metric: [String: Geometry] = [:]
        init(session: GeoDataSession, crs: LocalCRS) {
            self.session = session
            self.crs = crs
        }

        /// Projected at `data build` (`epci_metric`, the same pipeline: the same coordinates);
        /// projected here only for an EPCI whose own CRS is not the perimeter's.
        func metric(_ code: String) throws -> Geometry {
            if let g = metric[code] { return g }
            let g: Geometry
            if let m = try session.epciMetricGeometries([code])[code], m.crs == crs.code {
                g = try ctx.readWKB(m.geometry)
            } else {
                guard let wkb = try session.epciGeometries([code])[code] else {
                    throw CheckError.noEPCIGeometry(code: code)
                }
                g = try session.transformer(from: "EPSG:4326", to: crs.code).transform(try ctx.readWKB(wkb))
            }
            metric[code] = g
            return g
        }
        func distance(_ a: String, _ b: String) throws -> Double { try metric(a).distance(try metric(b)) }
    }

    /// Contiguity from the member graph, as ``ContiguityAnalysis`` reports it; also what the
    /// members' pairs overlap and lose of their perimeters in their unions.
    static func contiguity(
        _ codes: [String], facts: [UnitFacts], topo: Topology, geometry: MemberGeometry,
        options: AnalysisOptions
    ) throws -> (Contiguity, (overlapSquareMetres: Double, lossMetres: Double)) {
        let n = codes.count
        let tol = options.toleranceMetres
        let index = Dictionary(codes.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var sets = UnionFind(count: n)
        // Pairs in member order, as the geometric analysis visits them.
        var pairs: [(Int, Int, Adjacency)] = []
        for (i, code) in codes.enumerated() {
            for (other, e) in topo.pairs(of: code) { if let j = index[other], j > i { pairs.append((i, j, e)) } }
        }
        pairs.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        var edges: [Contiguity.Edge] = []
        var points: [[String]] = []
        var overlap = 0.0
        var loss = 0.0
        for (i, j, e) in pairs {
            overlap += e.overlapSquareMetres
            loss += e.unionLossMetres
            switch e.kind {
            case .sharedBorder:
                edges.append(.init(a: codes[i], b: codes[j], kind: .sharedBorder, metres: e.lengthMetres))
                sets.link(i, j)
            case .point:
                points.append([codes[i], codes[j]])
            case .withinTolerance where e.lengthMetres <= tol:
                edges.append(.init(a: codes[i], b: codes[j], kind: .withinTolerance, metres: e.lengthMetres))
                sets.link(i, j)
            case .withinTolerance:
                break
            }
        }
        let linked = Set(edges.filter { $0.kind == .sharedBorder }.flatMap { [$0.a, $0.b] })
        let islands = codes.indices.filter { !linked.contains(codes[$0]) && facts[$0].island }.map {
            Contiguity.Island(
                member: codes[$0], seaGapMetres: facts[$0].seaGapMetres ?? .infinity, nearest: facts[$0].seaNearest)
        }
        let islandIndex = Set(islands.compactMap { index[$0.member] })
        for i in islandIndex.sorted() {
            var best: (Int, Double)? = nil
            for j in 0..<n where j != i && !islandIndex.contains(j) {
                let d = try geometry.distance(codes[i], codes[j])
                if d < (best?.1 ?? .infinity) { best = (j, d) }
            }
            if let (j, _) = best { sets.link(i, j) } else if let k = islandIndex.min(), k != i { sets.link(i, k) }
        }
        var groups: [Int: [Int]] = [:]
        for i in 0..<n { groups[sets.find(i), default: []].append(i) }
        var comps = groups.values.map { $0.sorted { codes[$0] < codes[$1] } }
        comps.sort { a, b in
            let (sa, sb) = (
                a.reduce(0) { $0 + facts[$1].areaSquareMetres }, b.reduce(0) { $0 + facts[$1].areaSquareMetres }
            )
            return sa != sb ? sa > sb : codes[a[0]] < codes[b[0]]
        }
        var gaps: [Contiguity.Gap] = []
        if let main = comps.first {
            for (k, comp) in comps.enumerated().dropFirst() {
                var best: (Int, Int, Double)? = nil
                for i in comp {
                    for j in main {
                        let d = try geometry.distance(codes[i], codes[j])
                        if d < (best?.2 ?? .infinity) { best = (i, j, d) }
                    }
                }
                if let (i, j, d) = best {
                    gaps.append(.init(component: k, member: codes[i], nearestMainMember: codes[j], gapMetres: d))
                }
            }
        }
        let detached = codes.indices.flatMap { i in
            facts[i].detachedParts.map {
                Contiguity.DetachedPart(member: codes[i], areaKm2: $0.areaKm2, distanceMetres: $0.distanceMetres)
            }
        }
        let result = Contiguity(
            contiguous: comps.count <= 1, toleranceMetres: tol, components: comps.map { $0.map { codes[$0] } },
            edges: edges.sorted { ($0.a, $0.b) < ($1.a, $1.b) }, pointContacts: points, gaps: gaps,
            islands: islands, detachedParts: detached)
        return (result, (overlap, loss))
    }

    /// Enclaves: groups of non-member EPCI, linked by shared borders, whose every neighbour is a
    /// member and which touch neither the sea nor a border (no boundary shared with no other EPCI).
    /// Nil when a group touches a hole of the coverage (a foreign enclave) or an enclosed group is
    /// not edge-matched (its hole is then less what members overlap): geometry decides then.
    static func enclaves(
        _ members: Set<String>, topo: Topology, data: GeoData, session: GeoDataSession,
        geometry: MemberGeometry, options: AnalysisOptions
    ) throws -> ([Enclave], [Sliver])? {
        var seeds = Set<String>()
        for m in members {
            for (o, e) in topo.pairs(of: m) where e.kind == .sharedBorder && !members.contains(o) { seeds.insert(o) }
        }
        // A part of a neighbour apart from its main part may lie inside the perimeter (an
        // exclave, a sliver split off a commune): only geometry can tell, when the part meets a
        // member. A part enclosed by members makes its EPCI a neighbour, so checking the
        // neighbours is enough.
        for seed in seeds {
            guard let f = topo.facts[seed], f.holeBoundaryMetres == 0 else { return nil }
            if f.detachedParts.contains(where: {
                mayBeInland($0, of: f) && $0.neighbours.contains(where: members.contains)
            }) {
                return nil
            }
        }
        var open = Set<String>()  // reached from a unit touching the outside
        var seen = Set<String>()
        var groups: [[String]] = []
        for seed in seeds.sorted() where !seen.contains(seed) {
            var group: [String] = []
            var queue = [seed]
            seen.insert(seed)
            var isOpen = false
            while let u = queue.popLast() {
                group.append(u)
                guard let f = topo.facts[u] else {
                    isOpen = true
                    break
                }
                if f.holeBoundaryMetres > 0 { return nil }
                if outsideMetres(f) > openBoundaryMetres {
                    isOpen = true
                    break
                }
                for (o, e) in topo.pairs(of: u) where e.kind == .sharedBorder && !members.contains(o) {
                    if open.contains(o) {
                        isOpen = true
                        break
                    }
                    if seen.insert(o).inserted { queue.append(o) }
                }
                if isOpen { break }
            }
            if isOpen {
                open.formUnion(group)
                open.formUnion(queue)
                continue
            }
            // Enclosed: its hole is the group's outline only where it is edge-matched.
            if group.contains(where: { topo.facts[$0].map { !regular($0) } ?? true }) { return nil }
            groups.append(group.sorted())
        }
        guard !groups.isEmpty else { return ([], []) }
        var enclaves: [Enclave] = []
        var slivers: [Sliver] = []
        let ctx = geometry.ctx
        let toMetric = try session.transformer(from: "EPSG:4326", to: geometry.crs.code)
        for group in groups {
            // The hole is the group's outline (members enclosed in it belong to the hole, as in a ring).
            let wkbs = try session.epciGeometries(group)
            let parts = try group.compactMap { wkbs[$0] }.map { try ctx.readWKB($0) }
            let union = try ctx.coverageUnion(parts).geometry
            for poly in try union.polygons() {
                let hole = try poly.withoutHoles()
                let s = try hole.shape()
                let km2 = GeodesicMeasure.area(of: s) / 1e6
                if km2 < 1e-6 { continue }
                let (_, r) = try toMetric.transform(hole).maximumInscribedCircle(
                    tolerance: max(1, options.toleranceMetres / 50))
                let width = 2 * r
                if width < options.toleranceMetres {
                    slivers.append(Sliver(areaKm2: km2, widthMetres: width))
                    continue
                }
                // Its communes: those with a polygon (the others are drawn inside a neighbour's).
                let cs = try session.communes(ofEPCI: group, geometry: false).map(\.0).filter(\.hasGeometry)
                var byEPCI: [String: Int] = [:]
                for c in cs { if let e = c.epci { byEPCI[e, default: 0] += 1 } }
                let epci = byEPCI.keys.sorted().map { e -> Enclave.Member in
                    let info = data.epci[e]
                    return .init(
                        code: e, name: info?.name ?? e, whole: info.map { $0.communeCount == byEPCI[e] } ?? false)
                }
                enclaves.append(
                    Enclave(
                        areaKm2: km2, widthMetres: width,
                        communes: cs.map { .init(code: $0.code, name: $0.name, whole: true) }.sorted {
                            $0.code < $1.code
                        },
                        epci: epci, shape: s))
            }
        }
        enclaves.sort { $0.areaKm2 > $1.areaKm2 }
        return (enclaves, slivers)
    }

    /// Whether sums over this EPCI are exact: edge-matched to its neighbours, and no hole of the
    /// coverage (a foreign enclave) on its boundary.
    static func regular(_ f: UnitFacts) -> Bool {
        f.holeBoundaryMetres == 0 && f.unmatchedBoundaryMetres <= TopologyParameters.unmatchedMetres
    }

    /// Whether a detached part of the EPCI may be enclosed by other EPCI: any part of an inland
    /// EPCI, or a part within 1 km of its main part (not an islet well offshore).
    static func mayBeInland(_ p: UnitFacts.DetachedPart, of f: UnitFacts) -> Bool {
        outsideMetres(f) <= openBoundaryMetres || p.distanceMetres < 1000
    }

    /// The boundary on the outline of France (coast, national border): what is shared with no
    /// other EPCI less what is only not edge-matched with them.
    static func outsideMetres(_ f: UnitFacts) -> Double { f.freeBoundaryMetres - f.unmatchedBoundaryMetres }

    /// Boundary (m) on the outside above which an EPCI touches the outside (sea or
    /// border); below, it is the numerical residue of sums of shared lengths.
    static let openBoundaryMetres = 1.0
}
