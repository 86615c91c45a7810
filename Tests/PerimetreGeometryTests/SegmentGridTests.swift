import Testing

@testable import PerimetreGeometry

/// The segment index of the snap rounding and of the simplifier. A segment used to be stored in
/// every cell of its bounding box: on a fine quantization grid (TopoJSON `--quantize 1e6` of a
/// small extent) each segment filled thousands to millions of cells and the TopoJSON tests ran
/// for over 17 minutes past 20 GB. It is now stored in the cells it passes through.
@Suite("segment grid index")
struct SegmentGridTests {
    @Test("a long diagonal segment is stored in a number of cells linear in its length")
    func linearCells() {
        var grid = SegmentGrid(cell: 4)
        // 1 000 cells along each axis: 10^6 cells in its bounding box, ~2 000 on its way.
        grid.insert(arc: 0, version: 0, [Coordinate(1, 2), Coordinate(4_001, 3_003)])
        #expect(grid.registrations <= 2_010)
        #expect(grid.registrations >= 1_000)
        var found = 0
        grid.forEach(segment: Coordinate(2_000, 0), Coordinate(2_000, 4_000)) { _ in found += 1 }
        #expect(found == 1)
    }

    @Test(
        "every segment meeting a query segment is found (crossings, touches, overlaps, cell boundaries)",
        arguments: [1.0, 4.0, 7.5])
    func conservative(cell: Double) {
        var rng = Generator(state: 17)
        // Integer coordinates, many of them on cell boundaries (multiples of 4), short and long
        // segments, horizontal and vertical ones: every kind of contact happens.
        func point() -> Coordinate {
            let x = Double(rng.next() % 41)
            let y = Double(rng.next() % 41)
            return rng.next() % 3 == 0 ? Coordinate((x / 4).rounded() * 4, (y / 4).rounded() * 4) : Coordinate(x, y)
        }
        var segments: [(Coordinate, Coordinate)] = []
        for k in 0..<400 {
            let a = point()
            var b = point()
            if k % 7 == 0 { b = Coordinate(a.x, b.y) }
            if k % 7 == 1 { b = Coordinate(b.x, a.y) }
            if a != b { segments.append((a, b)) }
        }
        var grid = SegmentGrid(cell: cell)
        for (i, s) in segments.enumerated() { grid.insert(arc: i, version: 0, [s.0, s.1]) }
        var missed = 0
        var meeting = 0
        for (i, s) in segments.enumerated() {
            var seen = Set<Int>()
            grid.forEach(segment: s.0, s.1) { e in seen.insert(Int(e.arc)) }
            for (j, t) in segments.enumerated() where j != i && Self.meet(s.0, s.1, t.0, t.1) {
                meeting += 1
                if !seen.contains(j) { missed += 1 }
            }
        }
        #expect(meeting > 1_000)
        #expect(missed == 0)
    }

    /// Whether two closed segments with integer coordinates share a point (exact).
    static func meet(_ p1: Coordinate, _ p2: Coordinate, _ q1: Coordinate, _ q2: Coordinate) -> Bool {
        func orient(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate) -> Double {
            let v = (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
            return v > 0 ? 1 : v < 0 ? -1 : 0
        }
        func onSegment(_ a: Coordinate, _ b: Coordinate, _ c: Coordinate) -> Bool {
            min(a.x, b.x) <= c.x && c.x <= max(a.x, b.x) && min(a.y, b.y) <= c.y && c.y <= max(a.y, b.y)
        }
        let d1 = orient(q1, q2, p1)
        let d2 = orient(q1, q2, p2)
        let d3 = orient(p1, p2, q1)
        let d4 = orient(p1, p2, q2)
        if d1 * d2 < 0 && d3 * d4 < 0 { return true }
        return (d1 == 0 && onSegment(q1, q2, p1)) || (d2 == 0 && onSegment(q1, q2, p2))
            || (d3 == 0 && onSegment(p1, p2, q1)) || (d4 == 0 && onSegment(p1, p2, q2))
    }

    typealias Generator = SeededGenerator
}
