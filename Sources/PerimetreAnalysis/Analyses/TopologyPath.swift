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
        /// the members, an exclave of a neighbour).
        var holes: (enclaves: [Enclave], slivers: [Sliver])?
        /// Area and perimeter from the members' facts and their pairs' overlaps and shared
        /// borders, which the dissolve gives too (`TopologyPathTests`).
        var figures: Figures
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
        let parts = PerimeterUnits.parts(resolution.members, communes: resolution.communes, data: data)
        guard var units = try PerimeterUnits.make(parts, data: data, session: session, topology: topo) else {
            return nil
        }
        var facts: [UnitFacts] = []
        let ctx = GeosContext()
        for (i, m) in resolution.members.enumerated() {
            guard
                let f = try units.memberFacts(i, code: m.code, communes: m.communes, session: session, ctx: ctx),
                f.holeBoundaryMetres == 0
            else { return nil }
            facts.append(f)
        }
        let codes = resolution.members.map(\.code)
        let bbox = envelope(facts)
        let crs = LocalCRS.for(bbox)
        guard facts.allSatisfy({ $0.crs == crs.code }) else { return nil }
        let geometry = MemberGeometry(session: session, crs: crs)

        let enclaves = try enclaves(
            parts, units: &units, data: data, session: session, topology: topo, geometry: geometry, options: options)
        let (contiguity, sums) = try contiguity(
            codes, units: units, facts: facts, geometry: geometry, options: options)

        let border = border(facts, data: data, options: options)

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
        return Output(
            contiguity: contiguity, border: border, crs: crs, holes: enclaves.map { ($0.0, $0.1) }, figures: figures)
    }

    /// Border: the distance of the perimeter to a line is its nearest member's.
    static func border(_ facts: [UnitFacts], data: GeoData, options: AnalysisOptions) -> BorderResult {
        let nearest = PerimeterUnits.nearestBorders(facts)
        let nearby = nearest.map {
            BorderResult.Neighbour(
                code: $0.key, nameFR: data.countries[$0.key]?.nameFR ?? $0.key, distanceMetres: $0.value)
        }
        .sorted { ($0.distanceMetres, $0.code) < ($1.distanceMetres, $1.code) }
        let neighbours = nearby.filter { $0.distanceMetres <= options.borderDistanceMetres }
        return BorderResult(
            frontalier: !neighbours.isEmpty, distanceMetres: options.borderDistanceMetres,
            neighbours: neighbours, nearby: nearby, abroad: [], frenchPartKm2: nil)
    }

    /// The number of enclaves of the perimeter made of `members` and the EPCI or communes
    /// `adding` (each commune's EPCI by `epciOf`), from the topology (for a remedy's predicted
    /// outcome); nil when only geometry can say (a commune's exclave, other tolerances).
    static func enclaveCount(
        _ members: [ResolvedMember], epciOf: (String) -> String?, adding: [String], data: GeoData,
        session: GeoDataSession, options: AnalysisOptions
    ) throws -> Int? {
        guard options.topology, options.toleranceMetres == TopologyParameters.toleranceMetres else { return nil }
        let topo = try data.epciTopology()
        // A commune in no EPCI added (a CRTE holding Île-de-Sein): an island touches no land
        // unit, so it neither encloses a hole nor fills one, and the count is the rest's.
        var adding = adding
        let noEPCI = adding.filter { data.epci[$0] == nil && epciOf($0) == nil }
        if !noEPCI.isEmpty {
            guard Set(noEPCI).isSubset(of: try session.islandCommunesWithoutEPCI()) else { return nil }
            adding.removeAll { noEPCI.contains($0) }
        }
        let added = adding.map { code -> PerimeterUnits.Part in
            data.epci[code] != nil ? .epci(code) : .communes([(code, epciOf(code))])
        }
        let parts = PerimeterUnits.parts(members, epciOf: epciOf, data: data) + added
        guard var units = try PerimeterUnits.make(parts, data: data, session: session, topology: topo) else {
            return nil
        }
        let all = Array(units.units.joined())
        let facts = all.compactMap { units.graph.unitFacts($0) }
        guard !facts.isEmpty, facts.count == all.count, facts.allSatisfy({ $0.holeBoundaryMetres == 0 }) else {
            return nil
        }
        let geometry = MemberGeometry(session: session, crs: LocalCRS.for(envelope(facts)))
        return try enclaves(
            parts, units: &units, data: data, session: session, topology: topo, geometry: geometry, options: options
        )?.0.count
    }

    /// The enclaves of the perimeter made of `parts`; when a neighbouring EPCI has a detached part
    /// (an exclave) that may lie inside, once more with that EPCI as its communes (`units` then
    /// holds the graph used), and again when its communes reveal another such neighbour, up to
    /// ``splitRounds`` times. Nil when only geometry can say.
    static func enclaves(
        _ parts: [PerimeterUnits.Part], units: inout PerimeterUnits, data: GeoData, session: GeoDataSession,
        topology: Topology, geometry: MemberGeometry, options: AnalysisOptions
    ) throws -> ([Enclave], [Sliver])? {
        var splitting = Set<String>()
        for _ in 0...splitRounds {
            let search = try enclaves(
                Set(units.units.joined()), graph: units.graph, data: data, session: session, geometry: geometry,
                options: options)
            switch search {
            case .found(let enclaves, let slivers): return (enclaves, slivers)
            case .geometry: return nil
            case .split(let neighbours):
                guard !neighbours.isSubset(of: splitting) else { return nil }
                splitting.formUnion(neighbours)
                guard
                    let split = try PerimeterUnits.make(
                        parts, splitting: splitting, data: data, session: session, topology: topology)
                else { return nil }
                units = split
            }
        }
        return nil
    }

    /// How many times the enclave search splits neighbouring EPCI into communes before leaving
    /// the perimeter to geometry.
    static let splitRounds = 3

    /// What the enclave search found.
    enum EnclaveSearch {
        /// The enclaves and slivers.
        case found([Enclave], [Sliver])
        /// Only geometry can say.
        case geometry
        /// These neighbouring EPCI have an exclave that may lie inside: split them into communes.
        case split(Set<String>)
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
        private var envelopes: [String: Envelope] = [:]
        init(session: GeoDataSession, crs: LocalCRS) {
            self.session = session
            self.crs = crs
        }

        /// Projected at `data build` (`epci_metric`, the same pipeline: the same coordinates);
        /// projected here only for an EPCI whose own CRS is not the perimeter's.
        func metric(_ code: String) throws -> Geometry {
            if let g = metric[code] { return g }
            let g: Geometry
            if PerimeterUnits.isCommune(code) {
                // A commune unit (of an EPCI the perimeter splits): projected here.
                guard let wkb = try session.communes(codes: [code])[code]?.1 else {
                    throw CheckError.noEPCIGeometry(code: code)
                }
                g = try session.transformer(from: "EPSG:4326", to: crs.code).transform(try ctx.readWKB(wkb))
            } else if let m = try session.epciMetricGeometries([code])[code], m.crs == crs.code {
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
        /// Units of the reference coverage never overlap: the indexed distance is exact for them.
        func distance(_ a: String, _ b: String) throws -> Double {
            try metric(a).distanceBetweenDisjoint(try metric(b))
        }
        /// The unit's box in the metric CRS.
        func envelope(_ code: String) throws -> Envelope {
            if let e = envelopes[code] { return e }
            let e = try metric(code).envelope()
            envelopes[code] = e
            return e
        }
        /// The distance between two members: the nearest of their units' (a union's distance is its parts' least).
        func distance(_ a: [String], _ b: [String]) throws -> Double {
            var best = Double.infinity
            for u in a { for v in b { best = min(best, try distance(u, v)) } }
            return best
        }
    }

    /// Contiguity from the member graph, as ``ContiguityAnalysis`` reports it; also what the
    /// members' pairs overlap and lose of their perimeters in their unions.
    static func contiguity(
        _ codes: [String], units: PerimeterUnits, facts: [UnitFacts], geometry: MemberGeometry,
        options: AnalysisOptions
    ) throws -> (Contiguity, (overlapSquareMetres: Double, lossMetres: Double)) {
        let n = codes.count
        let tol = options.toleranceMetres
        let index = Dictionary(codes.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var sets = UnionFind(count: n)
        let pairs = memberPairs(units)
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
        try linkIslands(
            Set(islands.compactMap { index[$0.member] }), of: n, units: units, geometry: geometry, sets: &sets)
        var groups: [Int: [Int]] = [:]
        for i in 0..<n { groups[sets.find(i), default: []].append(i) }
        var comps = groups.values.map { $0.sorted { codes[$0] < codes[$1] } }
        comps.sort { a, b in
            let (sa, sb) = (
                a.reduce(0) { $0 + facts[$1].areaSquareMetres }, b.reduce(0) { $0 + facts[$1].areaSquareMetres }
            )
            return sa != sb ? sa > sb : codes[a[0]] < codes[b[0]]
        }
        let gaps = try gaps(comps, codes: codes, units: units, geometry: geometry)
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

    /// An island (a member meeting no other by a shared border) belongs to the component of its
    /// nearest member (of the `n`) that is no island; islands alone together form one component.
    private static func linkIslands(
        _ islandIndex: Set<Int>, of n: Int, units: PerimeterUnits, geometry: MemberGeometry, sets: inout UnionFind
    ) throws {
        for i in islandIndex.sorted() {
            var best: (Int, Double)? = nil
            for j in 0..<n where j != i && !islandIndex.contains(j) {
                let d = try geometry.distance(units.units[i], units.units[j])
                if d < (best?.1 ?? .infinity) { best = (j, d) }
            }
            if let (j, _) = best { sets.link(i, j) } else if let k = islandIndex.min(), k != i { sets.link(i, k) }
        }
    }

    /// The gap between each component (member indices, the main one first) and the main one:
    /// its members' nearest pair.
    private static func gaps(
        _ comps: [[Int]], codes: [String], units: PerimeterUnits, geometry: MemberGeometry
    ) throws -> [Contiguity.Gap] {
        var gaps: [Contiguity.Gap] = []
        guard let main = comps.first else { return gaps }
        for (k, comp) in comps.enumerated().dropFirst() {
            // Every pair of units, in the order of a plain double loop; the nearest pair is the
            // first at the least distance, as that loop would find it. Pairs are measured nearest
            // box first, and a pair whose boxes are farther apart than the best found is skipped:
            // its distance cannot be less (GEOS's distance is a scan of all segment pairs).
            var candidates: [(order: Int, i: Int, j: Int, u: String, v: String, bound: Double)] = []
            for i in comp {
                for j in main {
                    for u in units.units[i] {
                        for v in units.units[j] {
                            let bound = try geometry.envelope(u).distance(to: try geometry.envelope(v))
                            candidates.append((candidates.count, i, j, u, v, bound))
                        }
                    }
                }
            }
            candidates.sort { ($0.bound, $0.order) < ($1.bound, $1.order) }
            var best: (d: Double, order: Int, i: Int, j: Int)? = nil
            for c in candidates {
                // 1e-9: a box's distance is computed otherwise than GEOS's and may round above it.
                if let b = best, c.bound * (1 - 1e-9) > b.d { break }
                let d = try geometry.distance(c.u, c.v)
                if best.map({ (d, c.order) < ($0.d, $0.order) }) ?? true { best = (d, c.order, c.i, c.j) }
            }
            if let b = best {
                gaps.append(.init(component: k, member: codes[b.i], nearestMainMember: codes[b.j], gapMetres: b.d))
            }
        }
        return gaps
    }

    /// The pairs of members that meet, in member order as the geometric analysis visits them: a
    /// member of several units meets another where any of its units does (``MixedUnitGraph/merge``).
    static func memberPairs(_ units: PerimeterUnits) -> [(Int, Int, Adjacency)] {
        var member: [String: Int] = [:]
        for (i, us) in units.units.enumerated() { for u in us { member[u] = i } }
        var found: [Int: [Int: [Adjacency]]] = [:]
        for (i, us) in units.units.enumerated() {
            for u in us {
                for (other, e) in units.graph.pairs(of: u) {
                    if let j = member[other], j > i { found[i, default: [:]][j, default: []].append(e) }
                }
            }
        }
        var pairs: [(Int, Int, Adjacency)] = []
        for i in found.keys.sorted() {
            for (j, es) in found[i]!.sorted(by: { $0.key < $1.key }) {
                pairs.append((i, j, es.count == 1 ? es[0] : MixedUnitGraph.merge(es, a: es[0].a, b: es[0].b)))
            }
        }
        return pairs
    }

    /// Enclaves: groups of non-member EPCI, linked by shared borders, whose every neighbour is a
    /// member and which touch neither the sea nor a border (no boundary shared with no other EPCI).
    /// Nil when a group touches a hole of the coverage (a foreign enclave) or an enclosed group is
    /// not edge-matched (its hole is then less what members overlap): geometry decides then.
    static func enclaves(
        _ members: Set<String>, graph: any UnitGraph, data: GeoData, session: GeoDataSession,
        geometry: MemberGeometry, options: AnalysisOptions
    ) throws -> EnclaveSearch {
        var seeds = Set<String>()
        for m in members {
            for (o, e) in graph.pairs(of: m) where e.kind == .sharedBorder && !members.contains(o) { seeds.insert(o) }
        }
        guard let exclaves = exclaves(seeds, members: members, graph: graph) else { return .geometry }
        if !exclaves.split.isEmpty { return .split(exclaves.split) }
        guard let groups = enclosedGroups(seeds, members: members, graph: graph) else { return .geometry }
        // A commune enclosed whole is a hole with its parts; otherwise its parts are measured.
        let enclosed = Set(groups.joined())
        let parts = exclaves.communeParts.filter { !enclosed.contains($0.key) }
        guard !groups.isEmpty || !parts.isEmpty else { return .found([], []) }
        guard
            case .found(var enclaves, var slivers) = try holes(
                groups, graph: graph, data: data, session: session, geometry: geometry, options: options)
        else { return .geometry }
        for (commune, indices) in parts.sorted(by: { $0.key < $1.key }) {
            guard
                let found = try partHoles(
                    commune, parts: indices, graph: graph, data: data, session: session, geometry: geometry,
                    options: options)
            else { return .geometry }
            enclaves += found.enclaves
            slivers += found.slivers
        }
        enclaves.sort { $0.areaKm2 > $1.areaKm2 }
        return .found(enclaves, slivers)
    }

    /// The neighbours (`seeds`) with a part apart from their main part that may lie inside the
    /// perimeter (an exclave, a sliver split off a commune): only geometry can tell, when the part
    /// meets a member. A part enclosed by members makes its EPCI a neighbour, so checking the
    /// neighbours is enough.
    struct Exclaves {
        /// EPCI to split into communes: an EPCI's exclave is mostly a commune of its own, which
        /// the graph of communes places.
        var split = Set<String>()
        /// Communes with parts (indices in their `detachedParts`) that meet members only: each
        /// part's own geometry says whether the members enclose it.
        var communeParts: [String: [Int]] = [:]
    }

    /// Nil when only the whole perimeter's geometry can say (a commune's part that also meets
    /// non-members, a unit on a hole of the coverage).
    private static func exclaves(_ seeds: Set<String>, members: Set<String>, graph: any UnitGraph) -> Exclaves? {
        var out = Exclaves()
        for seed in seeds {
            guard let f = graph.unitFacts(seed), f.holeBoundaryMetres == 0 else { return nil }
            let inside = f.detachedParts.indices.filter { k in
                let p = f.detachedParts[k]
                return mayBeInland(p, of: f)
                    && p.neighbours.contains(where: { graph.mayHoldMember($0, of: seed, members: members) })
            }
            if inside.isEmpty { continue }
            guard PerimeterUnits.isCommune(seed) else {
                out.split.insert(seed)
                continue
            }
            guard
                regular(f),
                inside.allSatisfy({ k in
                    f.detachedParts[k].neighbours.allSatisfy { graph.holdsMember($0, of: seed, members: members) }
                })
            else { return nil }
            out.communeParts[seed] = inside
        }
        return out
    }

    /// The groups of non-member units reached from `seeds` that the members enclose, each sorted.
    /// Nil when only geometry can say.
    private static func enclosedGroups(
        _ seeds: Set<String>, members: Set<String>, graph: any UnitGraph
    ) -> [[String]]? {
        // A hole lies within the perimeter's box: a unit reaching beyond it is not enclosed, and
        // the search stops there rather than crossing France to the coast.
        let box = envelope(members.compactMap { graph.unitFacts($0) })
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
                guard let f = graph.unitFacts(u) else {
                    isOpen = true
                    break
                }
                if f.holeBoundaryMetres > 0 { return nil }
                if outsideMetres(f) > openBoundaryMetres || !within(f, box) {
                    isOpen = true
                    break
                }
                for (o, e) in graph.pairs(of: u) where e.kind == .sharedBorder && !members.contains(o) {
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
            if group.contains(where: { graph.unitFacts($0).map { !regular($0) } ?? true }) { return nil }
            groups.append(group.sorted())
        }
        return groups
    }

    /// The enclaves and slivers the enclosed `groups` make: each group's outline without holes.
    private static func holes(
        _ groups: [[String]], graph: any UnitGraph, data: GeoData, session: GeoDataSession,
        geometry: MemberGeometry, options: AnalysisOptions
    ) throws -> EnclaveSearch {
        var enclaves: [Enclave] = []
        var slivers: [Sliver] = []
        for group in groups {
            // The same hole comes again: in a perimeter's predicted outcomes, in options around it.
            let key = "\(data.path)|\(geometry.crs.code)|\(options.toleranceMetres)|" + group.joined(separator: ",")
            let found = try measuredHoles.value(for: key) {
                try groupHoles(group, graph: graph, data: data, session: session, geometry: geometry, options: options)
            }
            enclaves += found.enclaves
            slivers += found.slivers
        }
        enclaves.sort { $0.areaKm2 > $1.areaKm2 }
        return .found(enclaves, slivers)
    }

    /// The enclaves and slivers of each group of units measured so far, by GeoPackage, CRS,
    /// tolerance and units (at most 1,024: a long-running server meets any hole).
    private static let measuredHoles = BoundedCache<(enclaves: [Enclave], slivers: [Sliver])>(limit: 1024)

    /// The enclaves and slivers one enclosed group makes: its outline without holes, each polygon.
    private static func groupHoles(
        _ group: [String], graph: any UnitGraph, data: GeoData, session: GeoDataSession, geometry: MemberGeometry,
        options: AnalysisOptions
    ) throws -> (enclaves: [Enclave], slivers: [Sliver]) {
        var enclaves: [Enclave] = []
        var slivers: [Sliver] = []
        let ctx = geometry.ctx
        let toMetric = try session.transformer(from: "EPSG:4326", to: geometry.crs.code)
        // The hole is the group's outline (members enclosed in it belong to the hole, as in a ring).
        let parts = try graph.geometries(group, session: session).map { try ctx.readWKB($0) }
        let union = try ctx.coverageUnion(parts).geometry
        for poly in try union.polygons() {
            guard
                let (s, km2, width) = try EnclaveAnalysis.measure(
                    try poly.withoutHoles(), toMetric: toMetric, toleranceMetres: options.toleranceMetres)
            else { continue }
            if width < options.toleranceMetres {
                slivers.append(Sliver(areaKm2: km2, widthMetres: width))
                continue
            }
            // Its communes: those with a polygon (the others are drawn inside a neighbour's).
            let cs = try graph.communes(group, session: session).filter(\.hasGeometry)
            var byEPCI: [String: Int] = [:]
            for c in cs { if let e = c.epci { byEPCI[e, default: 0] += 1 } }
            enclaves.append(
                Enclave(
                    areaKm2: km2, widthMetres: width,
                    communes: cs.map { .init(code: $0.code, name: $0.name, whole: true) }.sorted {
                        $0.code < $1.code
                    },
                    epci: EnclaveAnalysis.epciMembers(byEPCI, data: data), shape: s))
        }
        return (enclaves, slivers)
    }

    /// Whether the unit's box lies in `box`, give or take 1e-6° (0.1 m) of rounding.
    static func within(_ f: UnitFacts, _ box: Envelope) -> Bool {
        let margin = 1e-6
        return f.minX >= box.minX - margin && f.minY >= box.minY - margin && f.maxX <= box.maxX + margin
            && f.maxY <= box.maxY + margin
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
