/// Exact-enough planar predicates on segments, shared by the arc simplifier and the rounding.
enum SegmentPredicates {
    /// Twice the signed area of the triangle a, b, c (positive when counter-clockwise).
    @inline(__always)
    static func orient(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate) -> Double {
        (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
    }

    @inline(__always)
    static func sign(_ v: Double) -> Int { v > 0 ? 1 : (v < 0 ? -1 : 0) }

    /// Whether c, known collinear with a-b, lies within the box of a-b.
    @inline(__always)
    static func within(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate) -> Bool {
        min(a.x, b.x) <= c.x && c.x <= max(a.x, b.x) && min(a.y, b.y) <= c.y && c.y <= max(a.y, b.y)
    }

    /// How two segments meet.
    enum Contact: Equatable {
        case none
        /// They share exactly one endpoint and nothing else.
        case sharedEndpoint
        /// Any other contact: a crossing, an endpoint on the other's interior, a collinear overlap.
        case conflict
    }

    /// How segments p1-p2 and q1-q2 meet.
    static func contact(_ p1: Coordinate, _ p2: Coordinate, _ q1: Coordinate, _ q2: Coordinate) -> Contact {
        if max(p1.x, p2.x) < min(q1.x, q2.x) || max(q1.x, q2.x) < min(p1.x, p2.x)
            || max(p1.y, p2.y) < min(q1.y, q2.y) || max(q1.y, q2.y) < min(p1.y, p2.y)
        {
            return .none
        }
        let d1 = sign(orient(q1, q2, p1))
        let d2 = sign(orient(q1, q2, p2))
        let d3 = sign(orient(p1, p2, q1))
        let d4 = sign(orient(p1, p2, q2))
        let shared = (p1 == q1 || p1 == q2 || p2 == q1 || p2 == q2)
        if d1 * d2 > 0 || d3 * d4 > 0 { return .none }
        if d1 == 0 && d2 == 0 {
            // Collinear: overlapping beyond a single shared endpoint is a conflict.
            let onP = [q1, q2].filter { within(p1, p2, $0) && $0 != p1 && $0 != p2 }
            let onQ = [p1, p2].filter { within(q1, q2, $0) && $0 != q1 && $0 != q2 }
            if !onP.isEmpty || !onQ.isEmpty { return .conflict }
            if p1 == p2 || q1 == q2 { return shared ? .sharedEndpoint : .none }
            // Touching end to end, or the same segment.
            if (p1 == q1 && p2 == q2) || (p1 == q2 && p2 == q1) { return .conflict }
            return shared ? .sharedEndpoint : .none
        }
        if shared {
            // One endpoint in common and not collinear: they meet only there.
            return .sharedEndpoint
        }
        return .conflict
    }

    /// Whether p lies strictly inside the closed ring `ring[range]` + closing segment (even-odd).
    static func inside(_ p: Coordinate, _ ring: ArraySlice<Coordinate>) -> Bool {
        var inside = false
        var j = ring.endIndex - 1
        for i in ring.indices {
            let a = ring[i]
            let b = ring[j]
            if (a.y > p.y) != (b.y > p.y) {
                let x = (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x
                if p.x < x { inside.toggle() }
            }
            j = i
        }
        return inside
    }

    /// Distance from p to segment a-b (planar).
    static func distance(_ p: Coordinate, _ a: Coordinate, _ b: Coordinate) -> Double {
        let dx = b.x - a.x
        let dy = b.y - a.y
        let l2 = dx * dx + dy * dy
        var t = l2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2 : 0
        t = max(0, min(1, t))
        let ex = a.x + t * dx - p.x
        let ey = a.y + t * dy - p.y
        return (ex * ex + ey * ey).squareRoot()
    }
}
