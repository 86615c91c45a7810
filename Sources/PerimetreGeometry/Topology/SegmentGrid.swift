/// A uniform-grid index of the segments of a set of arcs, for "which segments may meet this box".
/// Entries carry the arc's version: an arc replaced by a new version adds new entries and its old
/// ones are skipped (compare with the caller's current version).
struct SegmentGrid {
    struct Entry { var arc: Int32; var index: Int32; var version: Int32 }
    let cell: Double
    private var cells: [Int64: [Int32]] = [:]
    private(set) var entries: [Entry] = []
    private var stamp: [UInt32] = []
    private var query: UInt32 = 0

    init(cell: Double) { self.cell = cell }

    @inline(__always) private func cellKey(_ ix: Int64, _ iy: Int64) -> Int64 { ix &* 73_856_093 ^ iy &* 19_349_663 ^ (ix << 40) }

    @inline(__always) private func range(_ lo: Double, _ hi: Double) -> ClosedRange<Int64> {
        Int64((lo / cell).rounded(.down))...Int64((hi / cell).rounded(.down))
    }

    /// Adds the segments of an arc.
    mutating func insert(arc: Int, version: Int32, _ cs: [Coordinate]) {
        guard cs.count > 1 else { return }
        for i in 0..<(cs.count - 1) {
            let a = cs[i], b = cs[i + 1]
            let id = Int32(entries.count)
            entries.append(Entry(arc: Int32(arc), index: Int32(i), version: version))
            stamp.append(0)
            for ix in range(min(a.x, b.x), max(a.x, b.x)) {
                for iy in range(min(a.y, b.y), max(a.y, b.y)) {
                    cells[cellKey(ix, iy), default: []].append(id)
                }
            }
        }
    }

    /// Calls `body` once for each entry whose cell meets the box (entries of old versions included).
    mutating func forEach(in e: Envelope, _ body: (Entry) -> Void) {
        query &+= 1
        if query == 0 { for i in stamp.indices { stamp[i] = 0 }; query = 1 }
        for ix in range(e.minX, e.maxX) {
            for iy in range(e.minY, e.maxY) {
                guard let ids = cells[cellKey(ix, iy)] else { continue }
                for id in ids where stamp[Int(id)] != query {
                    stamp[Int(id)] = query
                    body(entries[Int(id)])
                }
            }
        }
    }
}
