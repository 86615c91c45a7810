/// A uniform-grid index of the segments of a set of arcs, for "which segments may meet this box"
/// or "which segments may meet this segment".
/// Entries carry the arc's version: an arc replaced by a new version adds new entries and its old
/// ones are skipped (compare with the caller's current version).
///
/// A segment is registered in the cells it passes through (column by column), not in every
/// cell of its bounding box: a long diagonal segment costs cells in proportion to its length,
/// not to its length squared (a box index made the snap rounding of a finely quantized grid
/// register hundreds of millions of cells).
struct SegmentGrid {
    struct Entry {
        var arc: Int32
        var index: Int32
        var version: Int32
    }
    let cell: Double
    /// Widening of a column and of its y-range, so that points on a cell boundary (up to the
    /// rounding of the divisions) are found from both sides.
    private let margin: Double
    private var cells: [Int64: [Int32]] = [:]
    private(set) var entries: [Entry] = []
    /// (segment, cell) pairs stored: what the index costs.
    private(set) var registrations = 0
    private var stamp: [UInt32] = []
    private var query: UInt32 = 0

    init(cell: Double) {
        precondition(cell > 0 && cell.isFinite)
        self.cell = cell
        margin = cell * 1e-6
    }

    @inline(__always) private static func cellKey(_ ix: Int64, _ iy: Int64) -> Int64 {
        ix &* 73_856_093 ^ iy &* 19_349_663 ^ (ix << 40)
    }

    @inline(__always) private static func range(_ lo: Double, _ hi: Double, cell: Double) -> ClosedRange<Int64> {
        Int64((lo / cell).rounded(.down))...Int64((hi / cell).rounded(.down))
    }

    /// Calls `visit` with every cell the closed segment a–b meets, and possibly a few cells
    /// it passes within `margin` of: column by column, the y-range of the part of the segment
    /// over that column.
    @inline(__always) private static func forEachCell(
        _ a: Coordinate, _ b: Coordinate, cell: Double, margin: Double,
        _ visit: (Int64, Int64) -> Void
    ) {
        let (lo, hi) = a.x <= b.x ? (a, b) : (b, a)
        let columns = range(lo.x - margin, hi.x + margin, cell: cell)
        let ymin = min(lo.y, hi.y)
        let ymax = max(lo.y, hi.y)
        let dx = hi.x - lo.x
        if columns.count == 1 || dx == 0 {
            for ix in columns { for iy in range(ymin - margin, ymax + margin, cell: cell) { visit(ix, iy) } }
            return
        }
        let slope = (hi.y - lo.y) / dx
        for ix in columns {
            let xa = max(lo.x, Double(ix) * cell - margin)
            let xb = min(hi.x, Double(ix + 1) * cell + margin)
            var ya = lo.y + (xa - lo.x) * slope
            var yb = lo.y + (xb - lo.x) * slope
            if ya > yb { swap(&ya, &yb) }
            for iy in range(max(ymin, ya) - margin, min(ymax, yb) + margin, cell: cell) { visit(ix, iy) }
        }
    }

    /// Adds the segments of an arc.
    mutating func insert(arc: Int, version: Int32, _ cs: [Coordinate]) {
        guard cs.count > 1 else { return }
        for i in 0..<(cs.count - 1) {
            let id = Int32(entries.count)
            entries.append(Entry(arc: Int32(arc), index: Int32(i), version: version))
            stamp.append(0)
            Self.forEachCell(cs[i], cs[i + 1], cell: cell, margin: margin) { ix, iy in
                cells[Self.cellKey(ix, iy), default: []].append(id)
                registrations += 1
            }
        }
    }

    /// Calls `body` once for each entry whose cell meets the box (entries of old versions included).
    mutating func forEach(in e: Envelope, _ body: (Entry) -> Void) {
        query &+= 1
        if query == 0 {
            for i in stamp.indices { stamp[i] = 0 }
            query = 1
        }
        for ix in Self.range(e.minX, e.maxX, cell: cell) {
            for iy in Self.range(e.minY, e.maxY, cell: cell) { visit(ix, iy, body) }
        }
    }

    /// Calls `body` once for each entry sharing a cell with the segment a–b: every segment that
    /// meets a–b is among them (entries of old versions included).
    mutating func forEach(segment a: Coordinate, _ b: Coordinate, _ body: (Entry) -> Void) {
        query &+= 1
        if query == 0 {
            for i in stamp.indices { stamp[i] = 0 }
            query = 1
        }
        Self.forEachCell(a, b, cell: cell, margin: margin) { ix, iy in visit(ix, iy, body) }
    }

    @inline(__always) private mutating func visit(_ ix: Int64, _ iy: Int64, _ body: (Entry) -> Void) {
        guard let ids = cells[Self.cellKey(ix, iy)] else { return }
        for id in ids where stamp[Int(id)] != query {
            stamp[Int(id)] = query
            body(entries[Int(id)])
        }
    }
}
