import PerimetreData
import PerimetreGeometry

/// Contiguity: a graph of members, an edge where two members share a border of positive length.
/// Single-point contacts are reported, not counted; members closer than the tolerance are linked
/// separately ("contact within N m", data slivers). Islands and detached parts of a member
/// (islets) are reported and never make a perimeter non-contiguous by themselves.
enum ContiguityAnalysis {
    /// Margin (degrees) of the box around a member in which EPCI and land borders are looked up
    /// as its land neighbours.
    static let neighbourProbeDegrees = 0.05
    /// A member this close (m) to a land border is not an island: Natural Earth's border lines lie
    /// 0.6–6 km from the communes' border.
    static let landBorderMetres = 6000.0
    /// Half-size (degrees of longitude, of latitude) of the window searched for the nearest land
    /// across the sea: about 50 km each way at French latitudes.
    static let seaSearchLonDegrees = 0.7
    static let seaSearchLatDegrees = 0.5

    static func run(_ w: Workspace) throws -> (Contiguity, components: [Shape], detached: [Shape]) {
        var graph = UnionFind(count: w.codes.count)
        let (edges, points) = try contacts(w, linking: &graph)
        // A member sharing a border with another member has land around it: only the others can be islands.
        let linked = Set(edges.filter { $0.kind == .sharedBorder }.flatMap { [$0.a, $0.b] })
        let islands = try findIslands(w, skipping: linked)
        try attach(islands, w, to: &graph)
        let comps = try components(&graph, w)
        let gaps = try gaps(between: comps, w)
        let (detached, detachedShapes) = try detachedParts(w)
        let compShapes =
            comps.count == 1
            ? [try w.perimeterShape()]
            : try comps.map { comp in
                try w.ctx.multiPolygon([try w.ctx.coverageUnion(comp.map { w.lonlat[$0] }).geometry]).shape()
            }
        let result = Contiguity(
            contiguous: comps.count <= 1, toleranceMetres: w.options.toleranceMetres,
            components: comps.map { $0.map { w.codes[$0] } },
            edges: edges.sorted { ($0.a, $0.b) < ($1.a, $1.b) }, pointContacts: points, gaps: gaps,
            islands: islands, detachedParts: detached)
        return (result, compShapes, detachedShapes)
    }

    /// Every pair of members that meet: a shared border (linked), a gap within the tolerance
    /// (linked), or single points (reported, not linked).
    static func contacts(
        _ w: Workspace, linking graph: inout UnionFind
    ) throws
        -> (edges: [Contiguity.Edge], points: [[String]])
    {
        let n = w.codes.count
        let tol = w.options.toleranceMetres
        var edges: [Contiguity.Edge] = []
        var points: [[String]] = []
        // Topology in lon/lat (projection keeps it: shared vertices stay shared), lengths geodesic,
        // distances in the metric CRS for the few pairs that do not touch.
        let envs = w.lonlat.map { $0.envelope() }
        let near = envs.map { w.widen($0, tol) }
        // Prepared geometries and boundaries are made once per member, on first need.
        var prepared: [Int: PreparedGeometry] = [:]
        var boundaries: [Int: Geometry] = [:]
        func boundary(_ k: Int) throws -> Geometry {
            if let b = boundaries[k] { return b }
            let b = try w.lonlat[k].boundary()
            boundaries[k] = b
            return b
        }
        for i in 0..<n {
            for j in (i + 1)..<n where near[i].intersects(envs[j]) {
                let a = w.lonlat[i]
                let b = w.lonlat[j]
                if prepared[i] == nil { prepared[i] = try PreparedGeometry(a) }
                if try prepared[i]!.intersects(b) {
                    let (shared, len) = try PolygonContact.measure(
                        a, boundary: try boundary(i), envelope: envs[i],
                        b, boundary: try boundary(j), envelope: envs[j])
                    if shared {
                        edges.append(.init(a: w.codes[i], b: w.codes[j], kind: .sharedBorder, metres: len))
                        graph.link(i, j)
                    } else {
                        points.append([w.codes[i], w.codes[j]])
                    }
                } else {
                    let d = try w.metric(i).distance(try w.metric(j))
                    if d <= tol {
                        edges.append(.init(a: w.codes[i], b: w.codes[j], kind: .withinTolerance, metres: d))
                        graph.link(i, j)
                    }
                }
            }
        }
        return (edges, points)
    }

    /// An island never makes the perimeter non-contiguous by itself: it joins the component of
    /// its nearest non-island member (or the other islands when all members are islands).
    static func attach(_ islands: [Contiguity.Island], _ w: Workspace, to graph: inout UnionFind) throws {
        let islandIndex = Set(islands.compactMap { i in w.codes.firstIndex(of: i.member) })
        for i in islandIndex.sorted() {
            var best: (member: Int, metres: Double)? = nil
            for j in 0..<w.codes.count where j != i && !islandIndex.contains(j) {
                let d = try w.metric(i).distance(try w.metric(j))
                if d < (best?.metres ?? .infinity) { best = (j, d) }
            }
            if let best {
                graph.link(i, best.member)
            } else if let k = islandIndex.min(), k != i {
                graph.link(i, k)
            }
        }
    }

    /// The components (member indices, sorted by code), the largest by area first.
    static func components(_ graph: inout UnionFind, _ w: Workspace) throws -> [[Int]] {
        var groups: [Int: [Int]] = [:]
        for i in 0..<w.codes.count { groups[graph.find(i), default: []].append(i) }
        var comps = groups.values.map { $0.sorted { w.codes[$0] < w.codes[$1] } }
        // Member areas only when there is something to order (a geodesic pass over every vertex).
        let areas = comps.count > 1 ? try w.lonlat.map { try $0.geodesicArea() } : []
        comps.sort { a, b in
            let (sa, sb) = (a.reduce(0) { $0 + areas[$1] }, b.reduce(0) { $0 + areas[$1] })
            return sa != sb ? sa > sb : w.codes[a[0]] < w.codes[b[0]]
        }
        return comps
    }

    /// For each component apart from the main one: its member nearest to the main component,
    /// and the gap between them (m, metric CRS).
    static func gaps(between comps: [[Int]], _ w: Workspace) throws -> [Contiguity.Gap] {
        guard let main = comps.first else { return [] }
        var gaps: [Contiguity.Gap] = []
        for (k, comp) in comps.enumerated().dropFirst() {
            var best: (member: Int, mainMember: Int, metres: Double)? = nil
            for i in comp {
                for j in main {
                    let d = try w.metric(i).distance(try w.metric(j))
                    if d < (best?.metres ?? .infinity) { best = (i, j, d) }
                }
            }
            if let best {
                gaps.append(
                    .init(
                        component: k, member: w.codes[best.member], nearestMainMember: w.codes[best.mainMember],
                        gapMetres: best.metres))
            }
        }
        return gaps
    }

    /// Members with no land neighbour at all: no other EPCI (or commune outside every EPCI)
    /// within the tolerance, and no land border near.
    static func findIslands(_ w: Workspace, skipping linked: Set<String>) throws -> [Contiguity.Island] {
        var out: [Contiguity.Island] = []
        for (i, code) in w.codes.enumerated() where !linked.contains(code) {
            let g = w.lonlat[i]
            let env = g.envelope()
            let m = neighbourProbeDegrees
            let probe = Envelope(minX: env.minX - m, minY: env.minY - m, maxX: env.maxX + m, maxY: env.maxY + m)
            let own = try w.ctx.multiPolygon([g])
            let neighbours = try w.session.epci(intersecting: probe).filter { $0.code != code }.map {
                try w.ctx.readWKB($0.geometry)
            }
            // Fast path, in lon/lat: an EPCI that meets the member without containing its interior
            // point is a land neighbour (the member's own EPCI, for a commune, contains it).
            let prepared = try PreparedGeometry(g)
            let inside = try w.ctx.geometry(.point(try g.interiorPoint()))
            if try neighbours.contains(where: { try prepared.intersects($0) && !(try $0.intersects(inside)) }) {
                continue
            }
            var touching = false
            for og in neighbours {
                // A commune member lies inside its own EPCI: that EPCI counts as land around it
                // only through its other communes, so compare with the EPCI minus the member.
                let rest = try og.covers(own) ? try og.difference(own) : og
                if rest.isEmpty { continue }
                if try w.toMetric.transform(rest).distance(try w.metric(i)) <= w.options.toleranceMetres {
                    touching = true
                    break
                }
            }
            if touching { continue }
            let borders = try w.session.borders(intersecting: probe)
            if try borders.contains(where: {
                try w.toMetric.transform(try w.ctx.readWKB($0.geometry)).distance(try w.metric(i)) <= landBorderMetres
            }) {
                continue
            }
            // Sea gap: the nearest land (another EPCI) within about 50 km.
            let (dx, dy) = (seaSearchLonDegrees, seaSearchLatDegrees)
            let wide = Envelope(minX: env.minX - dx, minY: env.minY - dy, maxX: env.maxX + dx, maxY: env.maxY + dy)
            var best: (String, Double)? = nil
            for (other, wkb) in try w.session.epci(intersecting: wide) where other != code {
                let d = try w.toMetric.transform(try w.ctx.readWKB(wkb)).distance(try w.metric(i))
                if d < (best?.1 ?? .infinity) { best = (other, d) }
            }
            out.append(.init(member: code, seaGapMetres: best?.1 ?? .infinity, nearest: best?.0))
        }
        return out
    }

    /// Parts of a member apart from its largest part (islets of a coastal EPCI, exclaves).
    static func detachedParts(_ w: Workspace) throws -> ([Contiguity.DetachedPart], [Shape]) {
        var out: [Contiguity.DetachedPart] = []
        var shapes: [Shape] = []
        for (i, code) in w.codes.enumerated() {
            for p in try detachedParts(of: w.lonlat[i]) {
                out.append(.init(member: code, areaKm2: p.areaKm2, distanceMetres: p.distanceMetres))
                shapes.append(p.shape)
            }
        }
        return (out, shapes)
    }

    /// The parts of a lon/lat geometry apart from its largest, in their order: area, distance to
    /// the largest part, shape.
    static func detachedParts(
        of g: Geometry
    ) throws -> [(areaKm2: Double, distanceMetres: Double, shape: Shape)] {
        guard let p = try g.polygonParts() else { return [] }
        return zip(p.detached, try p.detachedDistances()).map { k, d in (p.areas[k] / 1e6, d, p.shapes[k]) }
    }
}
