/// Figures of the rounding of an arc network.
public struct ArcRoundingStats: Sendable, Hashable {
    /// Decimals the coordinates were rounded to.
    public var decimals: Int
    /// Vertices inserted to resolve contacts created by rounding (crossings, touches, overlaps).
    public var insertedVertices: Int
    /// Passes of the conflict search (1 when rounding created no contact).
    public var passes: Int
    /// Conflicts still present after the last pass (0 expected).
    public var unresolvedConflicts: Int
    /// Segments shared by two arcs after rounding (borders collapsed onto each other).
    public var collapsedSegments: Int
}

extension ArcTopology {
    /// Rounds the arc network to `decimals` decimals, keeping shared borders shared: the arcs are
    /// rounded (so both sides of a border get the same coordinates), repeated points removed,
    /// then every contact the rounding created between segments — a crossing, a vertex landing
    /// on another segment, an overlap — is resolved as in snap rounding: the rounded contact
    /// point is inserted into both segments, for the whole network at once, until no segment
    /// meets another except at a shared vertex. What remains is at most a zero-width part of a
    /// ring (two borders collapsed onto each other), which a polygon repair removes without
    /// moving any vertex (see ``TopologyRepair``).
    public func rounded(decimals: Int, maxPasses: Int = 12) -> (ArcTopology, ArcRoundingStats) {
        precondition((0...15).contains(decimals))
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let used = usedArcs
        // Integer grid coordinates stored as Doubles (exact: |x| * 10^d stays well below 2^53).
        var grid = arcs.map { a in
            Self.deduplicated(a.coordinates.map { Coordinate(($0.x * scale).rounded(), ($0.y * scale).rounded()) })
        }
        var inserted = 0
        var passes = 0
        var pass = ContactPass()
        // Index cells of 0.01° when rounding to decimals, and at least twice the mean segment
        // extent: a cell fixed in grid units (4) made a fine quantization grid (decimals 0 on a
        // TopoJSON grid, ``quantized(on:)``) index each segment in thousands of cells.
        let cell = max(Self.minimumCell, 0.01 * scale, Self.meanSegmentCell(grid, used: used))
        while passes < maxPasses {
            passes += 1
            pass = ContactPass(grid, used: used, cell: cell)
            if pass.conflicts == 0 { break }
            if pass.inserts.isEmpty { break }
            for (a, bySegment) in pass.inserts {
                let (cs, count) = Self.inserting(bySegment, into: grid[a])
                inserted += count
                grid[a] = Self.deduplicated(cs)
            }
        }
        var out = self
        for i in out.arcs.indices {
            out.arcs[i].coordinates = grid[i].map { Coordinate($0.x / scale, $0.y / scale) }
        }
        return (
            out,
            ArcRoundingStats(
                decimals: decimals, insertedVertices: inserted, passes: passes,
                unresolvedConflicts: pass.conflicts, collapsedSegments: pass.collapsed)
        )
    }

    /// The smallest cell of a segment index, in the arcs' units.
    static let minimumCell = 4.0

    /// Twice the mean extent (larger of |dx|, |dy|) of the used arcs' segments, rounded up: a
    /// segment index's cell that holds a typical segment in a few cells.
    static func meanSegmentCell(_ arcs: [[Coordinate]], used: [Bool]) -> Double {
        var extent = 0.0
        var segments = 0
        for (i, cs) in arcs.enumerated() where used[i] && cs.count > 1 {
            for s in 1..<cs.count {
                extent += max(abs(cs[s].x - cs[s - 1].x), abs(cs[s].y - cs[s - 1].y))
                segments += 1
            }
        }
        return (2 * extent / Double(max(segments, 1))).rounded(.up)
    }

    /// `cs` without repeated consecutive points.
    static func deduplicated(_ cs: [Coordinate]) -> [Coordinate] {
        var out: [Coordinate] = []
        out.reserveCapacity(cs.count)
        for c in cs where out.last != c { out.append(c) }
        return out
    }

    /// `cs` with the points of `bySegment` (segment index → points) inserted into their segments,
    /// and how many were inserted.
    static func inserting(_ bySegment: [Int: [Coordinate]], into cs: [Coordinate]) -> ([Coordinate], Int) {
        var out: [Coordinate] = []
        var inserted = 0
        out.reserveCapacity(cs.count + bySegment.count)
        for s in 0..<cs.count {
            out.append(cs[s])
            if let pts = bySegment[s], s + 1 < cs.count {
                let p = cs[s]
                let dx = cs[s + 1].x - p.x
                let dy = cs[s + 1].y - p.y
                // Along the segment; equal projections (rounded crossing points off the
                // segment) by coordinates, so that the order does not depend on the Set's.
                let sorted = Set(pts).sorted {
                    let t0 = ($0.x - p.x) * dx + ($0.y - p.y) * dy
                    let t1 = ($1.x - p.x) * dx + ($1.y - p.y) * dy
                    return t0 != t1 ? t0 < t1 : ($0.x, $0.y) < ($1.x, $1.y)
                }
                inserted += sorted.count
                out.append(contentsOf: sorted)
            }
        }
        return (out, inserted)
    }
}

/// One search of the contacts the rounding created between segments of the grid arcs.
private struct ContactPass {
    /// Points to insert, per arc and segment.
    var inserts: [Int: [Int: [Coordinate]]] = [:]
    /// Segment pairs in conflict (crossing, touching, overlapping).
    var conflicts = 0
    /// Segments shared by two arcs (borders collapsed onto each other), left to the polygon repair.
    var collapsed = 0

    init() {}

    init(_ grid: [[Coordinate]], used: [Bool], cell: Double) {
        var index = SegmentGrid(cell: cell)
        for (i, cs) in grid.enumerated() where used[i] { index.insert(arc: i, version: 0, cs) }
        for a in grid.indices where used[a] {
            let cs = grid[a]
            guard cs.count > 1 else { continue }
            let closed = cs.count > 3 && cs.first == cs.last
            for s in 0..<(cs.count - 1) {
                let p1 = cs[s]
                let p2 = cs[s + 1]
                index.forEach(segment: p1, p2) { e in
                    let b = Int(e.arc)
                    let t = Int(e.index)
                    // Each pair once.
                    if (b, t) <= (a, s) { return }
                    if b == a {
                        if t == s + 1 { return }
                        if closed && s == 0 && t == cs.count - 2 { return }
                    }
                    let q1 = grid[b][t]
                    let q2 = grid[b][t + 1]
                    // Two borders collapsed onto the same segment: left to the polygon repair.
                    if (p1 == q1 && p2 == q2) || (p1 == q2 && p2 == q1) {
                        collapsed += 1
                        return
                    }
                    guard SegmentPredicates.contact(p1, p2, q1, q2) == .conflict else { return }
                    conflicts += 1
                    guard let (onP, onQ) = Self.contactPoints(p1, p2, q1, q2) else { return }
                    for c in onP where c != p1 && c != p2 { inserts[a, default: [:]][s, default: []].append(c) }
                    for c in onQ where c != q1 && c != q2 { inserts[b, default: [:]][t, default: []].append(c) }
                }
            }
        }
    }

    /// Points of each segment lying on the other, else their crossing point rounded to the
    /// grid; nil for parallel segments without such points.
    static func contactPoints(
        _ p1: Coordinate, _ p2: Coordinate, _ q1: Coordinate, _ q2: Coordinate
    ) -> (onP: [Coordinate], onQ: [Coordinate])? {
        var onP: [Coordinate] = []
        var onQ: [Coordinate] = []
        for q in [q1, q2]
        where q != p1 && q != p2 && SegmentPredicates.orient(p1, p2, q) == 0
            && SegmentPredicates.within(p1, p2, q)
        { onP.append(q) }
        for p in [p1, p2]
        where p != q1 && p != q2 && SegmentPredicates.orient(q1, q2, p) == 0
            && SegmentPredicates.within(q1, q2, p)
        { onQ.append(p) }
        if onP.isEmpty && onQ.isEmpty {
            let d = SegmentPredicates.orient(q1, q2, p1) - SegmentPredicates.orient(q1, q2, p2)
            guard d != 0 else { return nil }
            let t0 = SegmentPredicates.orient(q1, q2, p1) / d
            let x = Coordinate((p1.x + t0 * (p2.x - p1.x)).rounded(), (p1.y + t0 * (p2.y - p1.y)).rounded())
            onP.append(x)
            onQ.append(x)
        }
        return (onP, onQ)
    }
}
