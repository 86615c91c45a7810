/// Figures of an arc simplification.
public struct ArcSimplificationStats: Sendable, Hashable {
    /// The simplification tolerance (m).
    public var toleranceMetres: Double
    /// Distinct vertices of the used arcs before and after.
    public var verticesBefore: Int
    /// Distinct vertices of the used arcs after.
    public var verticesAfter: Int
    /// Chords refused because they would have crossed, touched or swallowed another border
    /// (the arc then keeps more of its vertices there).
    public var refusedChords: Int
}

extension ArcTopology {
    /// Douglas-Peucker on every arc once, end nodes fixed, measured in the local metric CRS
    /// (Lambert-93 in metropolitan France, the DROM's own CRS elsewhere), without changing the
    /// topology: a chord replacing vertices i…j is accepted only when it meets no other segment
    /// of the map (other arcs as they currently are, and this arc's own other segments) except
    /// at a shared endpoint, and when the region between the chord and the vertices it replaces
    /// contains no other vertex (no island or neighbour swallowed). Otherwise the chord is split
    /// at its farthest vertex, down to the original segments. Closed arcs keep at least a
    /// triangle. Checks are done in lon/lat, the space the output is drawn in.
    public func simplified(toleranceMetres: Double) throws -> (ArcTopology, ArcSimplificationStats) {
        let before = arcVertexCount
        guard toleranceMetres > 0 else {
            return (
                self,
                ArcSimplificationStats(
                    toleranceMetres: toleranceMetres, verticesBefore: before,
                    verticesAfter: before, refusedChords: 0)
            )
        }
        let used = usedArcs
        // Metric coordinates, one transformer per local CRS.
        var transformers: [String: CoordinateTransformer] = [:]
        var metric: [[Coordinate]] = Array(repeating: [], count: arcs.count)
        for (i, a) in arcs.enumerated() where used[i] && a.coordinates.count > 2 {
            let crs = LocalCRS.for(a.coordinates[0])
            let t: CoordinateTransformer
            if let e = transformers[crs.code] {
                t = e
            } else {
                t = try CoordinateTransformer(from: "EPSG:4326", to: crs.code)
                transformers[crs.code] = t
            }
            var cs = a.coordinates
            try t.transform(&cs)
            metric[i] = cs
        }
        // About 111 km per degree; the grid cell is a few tolerances wide.
        let cell = max(0.01, 3 * toleranceMetres / 111_000)
        let (current, refused) = simplified(measuredIn: metric, tolerance: toleranceMetres, cell: cell)
        var out = self
        for i in out.arcs.indices { out.arcs[i].coordinates = current[i] }
        return (
            out,
            ArcSimplificationStats(
                toleranceMetres: toleranceMetres, verticesBefore: before,
                verticesAfter: out.arcVertexCount, refusedChords: refused)
        )
    }

    /// Douglas-Peucker in the arcs' own coordinates, for a topology quantized on an integer grid
    /// (``quantized(on:)``): a vertex is left out only when the chord replacing it passes within
    /// `tolerance` grid steps of it (and of every vertex it replaces), with the same topological
    /// guards as ``simplified(toleranceMetres:)`` — no chord meets another segment except at a
    /// shared endpoint, none swallows a vertex. Kept vertices are input vertices: the result stays
    /// on the grid. With a tolerance of half a step, what is left out is indistinguishable from
    /// the chord at the grid's resolution. `toleranceMetres` in the stats holds `tolerance`.
    public func simplified(gridTolerance tolerance: Double) -> (ArcTopology, ArcSimplificationStats) {
        precondition(tolerance >= 0)
        let before = arcVertexCount
        let used = usedArcs
        let cell = max(Self.minimumCell, Self.meanSegmentCell(arcs.map(\.coordinates), used: used))
        let metric = arcs.enumerated().map { i, a in used[i] && a.coordinates.count > 2 ? a.coordinates : [] }
        let (current, refused) = simplified(measuredIn: metric, tolerance: tolerance, cell: cell)
        var out = self
        for i in out.arcs.indices { out.arcs[i].coordinates = current[i] }
        return (
            out,
            ArcSimplificationStats(
                toleranceMetres: tolerance, verticesBefore: before,
                verticesAfter: out.arcVertexCount, refusedChords: refused)
        )
    }

    /// The Douglas-Peucker pass shared by both: distances measured on `metric` (one array per
    /// arc, the arc's vertices in some planar space; empty for arcs left as they are), topology
    /// checked on the arcs' own coordinates in a segment index of cells `cell` wide. Returns the
    /// new coordinates of every arc and the number of refused chords.
    private func simplified(
        measuredIn metric: [[Coordinate]], tolerance toleranceMetres: Double,
        cell: Double
    ) -> ([[Coordinate]], Int) {
        let used = usedArcs
        var network = ChordGuard(arcs.map(\.coordinates), used: used, cell: cell)
        var refused = 0
        for a in arcs.indices where used[a] {
            let coords = arcs[a].coordinates
            let n = coords.count
            let closed = arcs[a].isClosed
            if n <= 2 || (closed && n <= 4) { continue }
            let projected = metric[a]
            var keep = [Bool](repeating: false, count: n)
            keep[0] = true
            keep[n - 1] = true
            var stack: [(Int, Int)] = []
            if closed {
                let (u, v) = Self.triangle(projected)
                keep[u] = true
                keep[v] = true
                stack = [(0, u), (u, v), (v, n - 1)]
            } else {
                stack = [(0, n - 1)]
            }
            while let (i, j) = stack.popLast() {
                if j - i < 2 { continue }
                let (far, dmax) = Self.farthest(projected, i, j)
                if dmax <= toleranceMetres {
                    if network.allows(arc: a, i, j) { continue }
                    refused += 1
                }
                keep[far] = true
                stack.append((i, far))
                stack.append((far, j))
            }
            let simplified = (0..<n).filter { keep[$0] }.map { coords[$0] }
            if simplified.count < n { network.replace(arc: a, with: simplified) }
        }
        return (network.current, refused)
    }

    /// A closed arc keeps a triangle at least: the farthest vertex from the node, then the
    /// farthest from that chord (their indexes, in order).
    private static func triangle(_ projected: [Coordinate]) -> (Int, Int) {
        let n = projected.count
        var k1 = 1
        var d1 = -1.0
        for k in 1..<(n - 1) {
            let d = SegmentPredicates.distance(projected[k], projected[0], projected[0])
            if d > d1 {
                d1 = d
                k1 = k
            }
        }
        var k2 = -1
        var d2 = -1.0
        for k in 1..<(n - 1) where k != k1 {
            let d = SegmentPredicates.distance(projected[k], projected[0], projected[k1])
            if d > d2 {
                d2 = d
                k2 = k
            }
        }
        return (min(k1, k2), max(k1, k2))
    }

    /// The vertex strictly between `i` and `j` farthest from the chord i-j, and its distance.
    private static func farthest(_ projected: [Coordinate], _ i: Int, _ j: Int) -> (Int, Double) {
        var far = i + 1
        var dmax = -1.0
        for k in (i + 1)..<j {
            let d = SegmentPredicates.distance(projected[k], projected[i], projected[j])
            if d > dmax {
                dmax = d
                far = k
            }
        }
        return (far, dmax)
    }
}

/// The arcs as they currently are, in a segment index: whether a chord may replace vertices
/// without changing the topology.
private struct ChordGuard {
    var grid: SegmentGrid
    var current: [[Coordinate]]
    /// Version of each arc's segments in `grid` (older entries are stale).
    var version: [Int32]

    init(_ arcs: [[Coordinate]], used: [Bool], cell: Double) {
        grid = SegmentGrid(cell: cell)
        current = arcs
        version = [Int32](repeating: 0, count: arcs.count)
        for (i, cs) in current.enumerated() where used[i] { grid.insert(arc: i, version: 0, cs) }
    }

    /// Whether the chord coords[i]-coords[j] of arc `a` (as it was before its simplification)
    /// may replace coords[i…j]: it meets no other segment except at a shared endpoint, and the
    /// region between it and the vertices it replaces holds no other vertex.
    mutating func allows(arc a: Int, _ i: Int, _ j: Int) -> Bool {
        // Read through locals (no copy): the index is being queried (mutated) meanwhile.
        let current = current
        let version = version
        let coords = current[a]
        var box = Envelope.empty
        for k in i...j { box.include(coords[k]) }
        let region = coords[i...j]
        let ci = coords[i]
        let cj = coords[j]
        var ok = true
        grid.forEach(in: box) { e in
            guard ok else { return }
            let b = Int(e.arc)
            guard e.version == version[b] else { return }
            let s = Int(e.index)
            if b == a && s >= i && s < j { return }
            let cs = current[b]
            let q1 = cs[s]
            let q2 = cs[s + 1]
            if SegmentPredicates.contact(ci, cj, q1, q2) == .conflict {
                ok = false
                return
            }
            for q in [q1, q2] where q != ci && q != cj {
                if q.x >= box.minX && q.x <= box.maxX && q.y >= box.minY && q.y <= box.maxY
                    && SegmentPredicates.inside(q, region)
                {
                    ok = false
                    return
                }
            }
        }
        return ok
    }

    /// Arc `a` simplified: its new segments replace the old ones in the index.
    mutating func replace(arc a: Int, with simplified: [Coordinate]) {
        current[a] = simplified
        version[a] += 1
        grid.insert(arc: a, version: version[a], simplified)
    }
}
