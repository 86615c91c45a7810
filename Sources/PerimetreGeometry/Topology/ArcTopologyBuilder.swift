extension ArcTopology {
    /// Splits the boundaries of polygonal features into shared arcs.
    ///
    /// Vertices are matched exactly (the features must come from one coverage, where neighbours
    /// share identical border vertices). Every ring is oriented with its feature on the left
    /// (exteriors counter-clockwise, holes clockwise); an undirected edge records which
    /// features lie on each side. A vertex is a node when its degree is not 2, or when the two
    /// edges through it do not have the same features on the same sides; a ring without any node
    /// (an island, an enclave and its hole) gets one at its smallest vertex, the same for every
    /// ring made of those edges. Arcs are then the chains between nodes, each stored once.
    public init(shapes: [Shape]) {
        var builder = ArcNetworkBuilder(shapes: shapes)
        builder.indexEdges()
        builder.findNodes()
        let (arcs, ringRefs) = builder.walkArcs()
        var features: [[Polygon]] = Array(repeating: [], count: shapes.count)
        for f in shapes.indices {
            features[f] = builder.polygonRings[f].map { recs in recs.map { ringRefs[$0] } }
        }
        self.init(arcs: arcs, features: features)
    }
}

/// The stages of ``ArcTopology/init(shapes:)``, in order: rings as vertex ids (`init`), edges
/// with the features on their sides (`indexEdges`), nodes (`findNodes`), arcs (`walkArcs`).
private struct ArcNetworkBuilder {
    /// A ring as vertex ids, oriented with its feature on the left.
    struct RingRecord {
        var feature: Int
        var polygon: Int
        var verts: [Int32]
    }

    var ids: [Coordinate: Int32] = [:]
    var coords: [Coordinate] = []
    var rings: [RingRecord] = []
    /// feature → polygon → ring record indices
    var polygonRings: [[[Int]]]
    /// Undirected edge (``key(_:_:)``) → index in `sides`.
    var edgeIndex: [UInt64: Int32] = [:]
    /// Side codes of each edge, sorted: feature * 2 + 0 when the feature lies on the left of the
    /// edge walked from its smaller vertex id, + 1 otherwise.
    var sides: [[Int32]] = []
    var degree: [Int32] = []
    /// The two neighbours of a vertex of degree 2 (first two seen).
    var neighbours: [SIMD2<Int32>] = []
    var isNode: [Bool] = []

    /// 1. Rings as vertex ids, oriented with the feature on the left.
    init(shapes: [Shape]) {
        ids.reserveCapacity(1 << 16)
        polygonRings = Array(repeating: [], count: shapes.count)
        for (f, s) in shapes.enumerated() {
            for poly in s.polygons {
                var recs: [Int] = []
                for (k, ring) in poly.enumerated() {
                    var vs: [Int32] = []
                    vs.reserveCapacity(ring.count)
                    for c in ring {
                        let id = vertex(c)
                        if vs.last != id { vs.append(id) }
                    }
                    if vs.count > 1, vs.first == vs.last { vs.removeLast() }
                    if vs.count < 3 {
                        if k == 0 { break } else { continue }
                    }
                    let ccw = signedRingArea(vs.map { coords[Int($0)] } + [coords[Int(vs[0])]]) > 0
                    if (k == 0) != ccw { vs.reverse() }
                    recs.append(rings.count)
                    rings.append(RingRecord(feature: f, polygon: polygonRings[f].count, verts: vs))
                }
                if !recs.isEmpty { polygonRings[f].append(recs) }
            }
        }
    }

    /// The id of a vertex, numbered in order of first appearance.
    private mutating func vertex(_ c: Coordinate) -> Int32 {
        if let e = ids[c] { return e }
        let id = Int32(coords.count)
        ids[c] = id
        coords.append(c)
        return id
    }

    @inline(__always) static func key(_ a: Int32, _ b: Int32) -> UInt64 {
        a < b ? UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)) : UInt64(UInt32(b)) << 32 | UInt64(UInt32(a))
    }

    /// 2. Undirected edges and the features on each side.
    mutating func indexEdges() {
        edgeIndex.reserveCapacity(coords.count + 16)
        degree = [Int32](repeating: 0, count: coords.count)
        neighbours = [SIMD2<Int32>](repeating: SIMD2(-1, -1), count: coords.count)
        for r in rings {
            let n = r.verts.count
            for i in 0..<n {
                let a = r.verts[i]
                let b = r.verts[(i + 1) % n]
                let k = Self.key(a, b)
                let code = Int32(r.feature * 2 + (a < b ? 0 : 1))
                if let e = edgeIndex[k] {
                    sides[Int(e)].append(code)
                } else {
                    edgeIndex[k] = Int32(sides.count)
                    sides.append([code])
                    for (v, w) in [(a, b), (b, a)] {
                        degree[Int(v)] += 1
                        if neighbours[Int(v)][0] < 0 {
                            neighbours[Int(v)][0] = w
                        } else if neighbours[Int(v)][1] < 0 {
                            neighbours[Int(v)][1] = w
                        }
                    }
                }
            }
        }
        for i in sides.indices { sides[i].sort() }
    }

    /// Side codes of edge a→b relative to that direction (bit 0: feature on the right).
    func directedSides(_ a: Int32, _ b: Int32) -> [Int32] {
        let s = sides[Int(edgeIndex[Self.key(a, b)]!)]
        return a < b ? s : s.map { $0 ^ 1 }.sorted()
    }

    /// 3. Nodes: vertices of degree other than 2, where the sides change, and one per ring
    /// without any (its smallest vertex).
    mutating func findNodes() {
        isNode = [Bool](repeating: false, count: coords.count)
        for v in 0..<coords.count where degree[v] != 2 { isNode[v] = true }
        for v in 0..<coords.count where degree[v] == 2 {
            let u = neighbours[v][0]
            let w = neighbours[v][1]
            if directedSides(u, Int32(v)) != directedSides(Int32(v), w) { isNode[v] = true }
        }
        for r in rings where !r.verts.contains(where: { isNode[Int($0)] }) {
            let m = r.verts.min { (coords[Int($0)].x, coords[Int($0)].y) < (coords[Int($1)].x, coords[Int($1)].y) }!
            isNode[Int(m)] = true
        }
    }

    /// 4. Arcs, found by walking the rings; each identified by its first directed edge. Returns
    /// the arcs and each ring as arc references.
    func walkArcs() -> (arcs: [ArcTopology.Arc], rings: [ArcTopology.Ring]) {
        var arcs: [ArcTopology.Arc] = []
        var byFirstEdge: [UInt64: ArcTopology.ArcRef] = [:]
        @inline(__always) func dkey(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)) }
        var ringRefs: [ArcTopology.Ring] = []
        ringRefs.reserveCapacity(rings.count)
        for r in rings {
            let n = r.verts.count
            let start = r.verts.firstIndex { isNode[Int($0)] }!
            var refs: ArcTopology.Ring = []
            var piece: [Int32] = [r.verts[start]]
            for step in 1...n {
                let v = r.verts[(start + step) % n]
                piece.append(v)
                guard isNode[Int(v)] else { continue }
                let k = dkey(piece[0], piece[1])
                if let ref = byFirstEdge[k] {
                    refs.append(ref)
                } else {
                    let id = arcs.count
                    let ds = directedSides(piece[0], piece[1])
                    arcs.append(
                        ArcTopology.Arc(
                            coordinates: piece.map { coords[Int($0)] },
                            left: ds.filter { $0 & 1 == 0 }.map { Int($0 >> 1) },
                            right: ds.filter { $0 & 1 == 1 }.map { Int($0 >> 1) }))
                    byFirstEdge[k] = ArcTopology.ArcRef(arc: id, reversed: false)
                    let m = piece.count
                    let rk = dkey(piece[m - 1], piece[m - 2])
                    if byFirstEdge[rk] == nil { byFirstEdge[rk] = ArcTopology.ArcRef(arc: id, reversed: true) }
                    refs.append(ArcTopology.ArcRef(arc: id, reversed: false))
                }
                piece = [v]
            }
            ringRefs.append(refs)
        }
        return (arcs, ringRefs)
    }
}
