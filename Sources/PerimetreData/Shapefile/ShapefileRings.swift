import PerimetreGeometry

/// Rebuilds polygons from the flat ring list of a shapefile polygon record.
///
/// The format only says outer rings run clockwise and holes counter-clockwise; which outer a
/// hole belongs to must be worked out. Each hole goes to the smallest outer ring containing it,
/// which is right for nested islands (a lake on an island in a lake).
enum ShapefileRings {
    static func polygons(_ rings: [[Coordinate]]) -> [[[Coordinate]]] {
        let closed = rings.compactMap(close)
        var outers: [(ring: [Coordinate], box: Envelope, area: Double)] = []
        var holes: [[Coordinate]] = []
        for r in closed {
            let a = signedRingArea(r)
            if a < 0 { outers.append((r, envelope(r), -a)) } else if a > 0 { holes.append(r) }
        }
        // A file written with the wrong orientation: read every ring as an outer rather than lose it.
        if outers.isEmpty {
            return holes.map { [$0] }
        }
        var polygons = outers.map { [$0.ring] }
        let bySize = outers.indices.sorted { outers[$0].area < outers[$1].area }
        for hole in holes {
            let box = envelope(hole)
            let owner = bySize.first { i in
                contains(outers[i].box, box) && (outers.count == 1 || inside(hole, outers[i].ring))
            }
            if let owner { polygons[owner].append(hole) } else { polygons.append([hole]) }
        }
        return polygons
    }

    /// The ring closed (first point repeated last), or nil if it cannot make a ring.
    private static func close(_ ring: [Coordinate]) -> [Coordinate]? {
        var r = ring
        if let first = r.first, first != r.last { r.append(first) }
        return r.count >= 4 ? r : nil
    }

    private static func envelope(_ ring: [Coordinate]) -> Envelope {
        var e = Envelope.empty
        for c in ring { e.include(c) }
        return e
    }

    private static func contains(_ outer: Envelope, _ inner: Envelope) -> Bool {
        outer.minX <= inner.minX && outer.minY <= inner.minY && outer.maxX >= inner.maxX && outer.maxY >= inner.maxY
    }

    /// Whether `hole` lies inside `ring`: a majority of its vertices test inside, since a
    /// valid hole may touch its outer ring at a vertex, where the crossing test is unreliable.
    private static func inside(_ hole: [Coordinate], _ ring: [Coordinate]) -> Bool {
        var votes = 0
        for c in hole.dropLast() { votes += pointInRing(c, ring) ? 1 : -1 }
        return votes > 0
    }

    /// Even-odd crossing test.
    private static func pointInRing(_ p: Coordinate, _ ring: [Coordinate]) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i]
            let b = ring[j]
            if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                inside.toggle()
            }
            j = i
        }
        return inside
    }
}
