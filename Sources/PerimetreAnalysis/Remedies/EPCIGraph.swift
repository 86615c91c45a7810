import PerimetreData
import PerimetreGeometry

/// The EPCI adjacency graph: one node per EPCI of the reference data (codes sorted), an edge where
/// two EPCI share a border of positive length. Built once per process and GeoPackage.
struct EPCIGraph: Sendable {
    let codes: [String]
    let index: [String: Int]
    /// Neighbours of each node, ascending.
    let neighbours: [[Int]]
    /// The land mass of each node: its connected component (the mainland, Corsica, each island, each DROM).
    private(set) var mass: [Int] = []
    /// What adding each node costs (one EPCI, its inhabitants, its area), for the Steiner searches.
    private(set) var weights: [SteinerCost] = []

    init(codes: [String], edges: [EPCIEdge]) { self.init(codes: codes, pairs: edges.lazy.map { ($0.a, $0.b) }) }

    /// `pairs`: EPCI sharing a border, in any order (repeats and unknown codes ignored).
    init<S: Sequence<(String, String)>>(codes: [String], pairs: S) {
        self.codes = codes.sorted()
        var index: [String: Int] = [:]
        index.reserveCapacity(self.codes.count)
        for (i, c) in self.codes.enumerated() { index[c] = i }
        var adj = [[Int]](repeating: [], count: self.codes.count)
        for (a, b) in pairs {
            guard let i = index[a], let j = index[b], i != j else { continue }
            adj[i].append(j)
            adj[j].append(i)
        }
        self.index = index
        neighbours = adj.map { list in
            var out: [Int] = []
            for v in list.sorted() where v != out.last { out.append(v) }
            return out
        }
        mass = componentLabels()
    }

    private static let cache = Locked<[String: EPCIGraph]>([:])

    /// The graph of a GeoPackage (computed on first use, then shared by every task).
    static func of(_ data: GeoData) throws -> EPCIGraph {
        // Built under the lock: workers asking at once wait for one build rather than each
        // making its own (the 183 TI with a CRTE layer built it twice).
        try cache.withLock { cache in
            if let g = cache[data.path] { return g }
            var clock = Profile.start()
            // Unsorted pairs: the graph sorts each node's neighbours itself.
            var g = EPCIGraph(codes: Array(data.epci.keys), pairs: try EPCIGraphSource.pairs(data))
            g.weights = g.codes.map { cost(data.epci[$0]) }
            cache[data.path] = g
            Profile.lap(&clock, "remedies: EPCI graph (once)")
            return g
        }
    }

    /// The cost of adding an EPCI: fewer EPCI first, then fewer inhabitants, then less area.
    static func cost(_ e: EPCI?) -> SteinerCost {
        SteinerCost(count: 1, population: e?.population ?? 0, hectares: Int(((e?.areaKm2 ?? 0) * 100).rounded()))
    }

    /// Connected components of the nodes `within` (all nodes when nil), as a label per node
    /// (-1 outside `within`).
    func componentLabels(within: Set<Int>? = nil) -> [Int] {
        var label = [Int](repeating: -1, count: codes.count)
        var next = 0
        for s in 0..<codes.count where label[s] == -1 && (within?.contains(s) ?? true) {
            var stack = [s]
            label[s] = next
            while let v = stack.popLast() {
                for u in neighbours[v] where label[u] == -1 && (within?.contains(u) ?? true) {
                    label[u] = next
                    stack.append(u)
                }
            }
            next += 1
        }
        return label
    }
}
