internal import CGEOS

// GEOS 3.11's GEOSCoverageUnion_r cancels the boundary segments two parts share, then hands every
// remaining segment to the polygonizer as a line of its own: building that planar graph is most of
// a perimeter's dissolve (about 3 ms for eight EPCI). The same cancellation is done here, the
// surviving segments kept in runs along their rings; the runs are joined into rings and nested,
// and only where runs meet at a point does the polygonizer get them (a few long lines).

extension GeosContext {
    /// The union of edge-matched polygons from their rings' segments that no two parts share,
    /// chained along their rings, joined into rings and nested; nil when that linework is not
    /// closed (the parts are not edge-matched), the caller then using GEOS's coverage union. The
    /// result is not checked here: ``coverageUnion(_:chained:)`` requires it valid, of the
    /// parts' area.
    public func chainedCoverageUnion(_ parts: [Geometry]) throws -> Geometry? {
        var rings = RingCoordinates()
        for p in parts { try rings.append(p.handle, self) }
        guard rings.segmentCount > 0 else { return nil }
        var table = SegmentTable(capacityFor: rings.segmentCount)
        // Each segment's slot: its count of occurrences (odd: no other part shares it) is read back per ring.
        var slots = [Int32](repeating: -1, count: rings.segmentCount)
        rings.forEachSegment { i, a, b in slots[i] = table.add(a, b) }
        let runs = rings.runs { slots[$0] >= 0 && table.isOdd(slots[$0]) }
        guard !runs.isEmpty else { return nil }
        // Where runs only meet end to end, they are joined and nested here; where three or more
        // meet at a point (two shells touching), GEOS's polygonizer sorts the faces out, unless
        // an end is left dangling (the parts are not edge-matched).
        if let rings = RingAssembly.rings(runs) { return try polygons(RingAssembly.nested(rings)) }
        guard RingCoordinates.endsPair(runs) else { return nil }
        return try polygonizedValid(runs)
    }

    /// Polygons from shells, each with its holes.
    private func polygons(_ nested: [(shell: [Coordinate], holes: [[Coordinate]])]) throws -> Geometry {
        let polygons = nested.map { [$0.shell] + $0.holes }
        return try geometry(polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(polygons))
    }

    /// Polygons of the lines (closed runs of coordinates) forming a valid polygonal result
    /// (`GEOSPolygonize_valid_r`): polygons filling another's hole are left out.
    private func polygonizedValid(_ lines: [[Coordinate]]) throws -> Geometry? {
        var made: [OpaquePointer?] = []
        made.reserveCapacity(lines.count)
        defer { for m in made { GEOSGeom_destroy_r(handle, m) } }
        for line in lines {
            let seq = line.withUnsafeBufferPointer { buf in
                buf.withMemoryRebound(to: Double.self) {
                    GEOSCoordSeq_copyFromBuffer_r(handle, $0.baseAddress, UInt32(line.count), 0, 0)
                }
            }
            guard let seq, let ls = GEOSGeom_createLineString_r(handle, seq) else { throw fail("chainedCoverageUnion") }
            made.append(ls)
        }
        let g = try made.withUnsafeBufferPointer { buf in
            try own(GEOSPolygonize_valid_r(handle, buf.baseAddress, UInt32(buf.count)), "polygonizeValid")
        }
        return g.isPolygonal && !g.isEmpty ? g : nil
    }
}

/// The rings of polygons, their coordinates in one array.
private struct RingCoordinates {
    var points: [Coordinate] = []
    /// Start of each ring in `points`; a ring is closed (its last point repeats its first).
    var starts: [Int] = []
    /// Segments of the rings before each ring (so segment numbers are global).
    var segmentStarts: [Int] = []
    var segmentCount = 0

    mutating func append(_ g: OpaquePointer, _ ctx: GeosContext) throws {
        switch Geometry.Kind(rawValue: Int(GEOSGeomTypeId_r(ctx.handle, g))) {
        case .polygon:
            for ring in try Geometry.rings(g, ctx) where ring.count >= 4 {
                starts.append(points.count)
                segmentStarts.append(segmentCount)
                points += ring
                segmentCount += ring.count - 1
            }
        case .multiPolygon, .collection:
            for part in try Geometry.children(g, ctx) { try append(part, ctx) }
        default:
            return
        }
    }

    func ring(_ r: Int) -> Range<Int> { starts[r]..<(r + 1 < starts.count ? starts[r + 1] : points.count) }

    /// Calls `body` with each segment's number and ends (a zero-length segment is not called).
    func forEachSegment(_ body: (Int, Coordinate, Coordinate) -> Void) {
        for r in starts.indices {
            let range = ring(r)
            for k in range.lowerBound..<(range.upperBound - 1) where points[k] != points[k + 1] {
                body(segmentStarts[r] + k - range.lowerBound, points[k], points[k + 1])
            }
        }
    }

    /// The maximal runs of consecutive kept segments along each ring, as lines; a ring kept whole
    /// is one closed line.
    func runs(keep: (Int) -> Bool) -> [[Coordinate]] {
        var out: [[Coordinate]] = []
        for r in starts.indices {
            let range = ring(r)
            let n = range.count - 1  // segments
            let first = segmentStarts[r]
            guard let dropped = (0..<n).first(where: { !keep(first + $0) }) else {
                out.append(Array(points[range]))
                continue
            }
            // From the first dropped segment round the ring, so that no run is cut at the ring's start.
            var run: [Coordinate] = []
            for step in 1...n {
                let s = (dropped + step) % n
                if keep(first + s) {
                    if run.isEmpty { run.append(points[range.lowerBound + s]) }
                    run.append(points[range.lowerBound + s + 1])
                } else if !run.isEmpty {
                    out.append(run)
                    run = []
                }
            }
            if !run.isEmpty { out.append(run) }
        }
        return out
    }

    /// Whether every end of an open line meets an even number of ends: closed linework, with no
    /// dangling line (which GEOS's coverage union refuses as input that is not edge-matched).
    static func endsPair(_ lines: [[Coordinate]]) -> Bool {
        var ends: [Coordinate: Int] = [:]
        for l in lines where l.first != l.last {
            ends[l.first!, default: 0] += 1
            ends[l.last!, default: 0] += 1
        }
        return ends.values.allSatisfy { $0 % 2 == 0 }
    }
}

/// Counts of undirected segments, by their ends' exact coordinates (open addressing).
private struct SegmentTable {
    /// Four words per slot: the lower end's x and y bits, then the other end's.
    private var keys: [UInt64]
    private var counts: [UInt32]
    private let mask: Int

    init(capacityFor n: Int) {
        var c = 16
        while c < 2 * n { c <<= 1 }
        keys = [UInt64](repeating: 0, count: 4 * c)
        counts = [UInt32](repeating: 0, count: c)
        mask = c - 1
    }

    /// Adds one occurrence of the segment; returns its slot.
    mutating func add(_ p: Coordinate, _ q: Coordinate) -> Int32 {
        let (a, b) = (p.x, p.y) < (q.x, q.y) ? (p, q) : (q, p)
        // + 0.0 makes −0.0 and 0.0, equal coordinates, the same key.
        let k = ((a.x + 0.0).bitPattern, (a.y + 0.0).bitPattern, (b.x + 0.0).bitPattern, (b.y + 0.0).bitPattern)
        var h = k.0 &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ (h >> 31) ^ k.1) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ (h >> 29) ^ k.2) &* 0x94D0_49BB_1331_11EB
        h = (h ^ (h >> 32) ^ k.3) &* 0x9E37_79B9_7F4A_7C15
        var slot = Int(truncatingIfNeeded: h ^ (h >> 33)) & mask
        while counts[slot] != 0 {
            let o = 4 * slot
            if keys[o] == k.0 && keys[o + 1] == k.1 && keys[o + 2] == k.2 && keys[o + 3] == k.3 {
                counts[slot] += 1
                return Int32(slot)
            }
            slot = (slot + 1) & mask
        }
        let o = 4 * slot
        (keys[o], keys[o + 1], keys[o + 2], keys[o + 3]) = k
        counts[slot] = 1
        return Int32(slot)
    }

    /// Whether the segment in `slot` occurs an odd number of times (not cancelled by a neighbour).
    func isOdd(_ slot: Int32) -> Bool { counts[Int(slot)] & 1 == 1 }
}

/// Rings from runs that meet only end to end, and their nesting.
private enum RingAssembly {
    /// The closed rings the runs make, joining each open run to the one other run at each of
    /// its ends; nil when three or more runs meet at a point.
    static func rings(_ runs: [[Coordinate]]) -> [[Coordinate]]? {
        var rings: [[Coordinate]] = []
        var ends: [Coordinate: [Int]] = [:]  // run number × 2 (+1 for its last point)
        for (i, r) in runs.enumerated() {
            if r.first == r.last {
                rings.append(r)
            } else {
                ends[r.first!, default: []].append(2 * i)
                ends[r.last!, default: []].append(2 * i + 1)
            }
        }
        guard ends.values.allSatisfy({ $0.count == 2 }) else { return nil }
        var used = [Bool](repeating: false, count: runs.count)
        for start in runs.indices where !used[start] && runs[start].first != runs[start].last {
            var ring = runs[start]
            used[start] = true
            var end = 2 * start + 1  // the end reached
            while true {
                guard let pair = ends[ring.last!], let next = pair.first(where: { $0 != end }) else { return nil }
                let k = next / 2
                if k == start { break }
                guard !used[k] else { return nil }
                used[k] = true
                // Entered at its first point: walk it forward; at its last: backward.
                if next % 2 == 0 {
                    ring += runs[k].dropFirst()
                    end = 2 * k + 1
                } else {
                    ring += runs[k].reversed().dropFirst()
                    end = 2 * k
                }
            }
            guard ring.count >= 4, ring.first == ring.last else { return nil }
            rings.append(ring)
        }
        return rings
    }

    /// Shells with their holes: a ring inside an odd number of others is a hole of the smallest
    /// of them. Rings that do not cross (a valid union) are nested by one vertex each.
    static func nested(_ rings: [[Coordinate]]) -> [(shell: [Coordinate], holes: [[Coordinate]])] {
        let boxes = rings.map(box)
        // Larger rings first: a ring's containers come before it.
        let order = rings.indices.sorted { (abs(area(rings[$0])), $1) > (abs(area(rings[$1])), $0) }
        var depth = [Int](repeating: 0, count: rings.count)
        var parent = [Int?](repeating: nil, count: rings.count)
        var placed: [Int] = []
        for i in order {
            // The innermost container is the last placed one holding it (placed by decreasing area).
            for j in placed.reversed() where holds(boxes[j], boxes[i]) && inside(rings[i], rings[j]) {
                depth[i] = depth[j] + 1
                parent[i] = j
                break
            }
            placed.append(i)
        }
        var shells: [Int: Int] = [:]
        var out: [(shell: [Coordinate], holes: [[Coordinate]])] = []
        for i in order where depth[i] % 2 == 0 {
            shells[i] = out.count
            out.append((rings[i], []))
        }
        for i in order where depth[i] % 2 == 1 { out[shells[parent[i]!]!].holes.append(rings[i]) }
        return out
    }

    static func box(_ r: [Coordinate]) -> Envelope {
        var e = Envelope(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
        for c in r {
            e.minX = min(e.minX, c.x)
            e.minY = min(e.minY, c.y)
            e.maxX = max(e.maxX, c.x)
            e.maxY = max(e.maxY, c.y)
        }
        return e
    }

    static func holds(_ a: Envelope, _ b: Envelope) -> Bool {
        a.minX <= b.minX && a.minY <= b.minY && b.maxX <= a.maxX && b.maxY <= a.maxY
    }

    /// Twice the signed planar area (shoelace), to order rings by size.
    static func area(_ r: [Coordinate]) -> Double {
        var a = 0.0
        for k in 0..<(r.count - 1) { a += r[k].x * r[k + 1].y - r[k + 1].x * r[k].y }
        return a
    }

    /// Whether ring `a` lies inside ring `b`: by its first vertex not on `b` (rings of a valid
    /// union may touch at a point, never cross).
    static func inside(_ a: [Coordinate], _ b: [Coordinate]) -> Bool {
        for p in a {
            switch locate(p, b) {
            case .inside: return true
            case .outside: return false
            case .boundary: continue
            }
        }
        return false
    }

    enum Location { case inside, outside, boundary }

    /// Crossing number of a horizontal ray, with points on an edge told apart.
    static func locate(_ p: Coordinate, _ r: [Coordinate]) -> Location {
        var crossings = 0
        for k in 0..<(r.count - 1) {
            let (a, b) = (r[k], r[k + 1])
            if (a.y > p.y) != (b.y > p.y) {
                // x where the edge crosses the ray's line, compared through a sign to stay exact at p.
                let s = (b.x - a.x) * (p.y - a.y) - (p.x - a.x) * (b.y - a.y)
                if s == 0 { return .boundary }
                if (s > 0) == (b.y > a.y) { crossings += 1 }
            } else if a.y == p.y && b.y == p.y && min(a.x, b.x) <= p.x && p.x <= max(a.x, b.x) {
                return .boundary
            } else if p == a {
                return .boundary
            }
        }
        return crossings % 2 == 1 ? .inside : .outside
    }
}
