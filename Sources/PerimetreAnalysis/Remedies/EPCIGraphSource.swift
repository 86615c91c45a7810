import PerimetreData
import PerimetreGeometry
import Synchronization

/// Where the EPCI adjacency graph comes from: the pairs of EPCI of the reference data that share a
/// border of positive length (a point contact does not count), as ``ContiguityAnalysis`` decides.
///
/// Computed once per process and GeoPackage from the EPCI geometries (STR-tree candidates, then
/// the shared-border test), in parallel. Meant to be replaced by the adjacency tables written at
/// `data build` when they exist: only this file knows where the edges come from.
enum EPCIGraphSource {
    private static let cache = Mutex<[String: [EPCIEdge]]>([:])

    /// The shared-border pairs, each once with `a < b`, sorted.
    static func edges(_ data: GeoData) throws -> [EPCIEdge] {
        try cache.withLock { c in
            if let e = c[data.path] { return e }
            let e = try compute(data)
            c[data.path] = e
            return e
        }
    }

    private static func compute(_ data: GeoData) throws -> [EPCIEdge] {
        let world = Envelope(minX: -180, minY: -90, maxX: 180, maxY: 90)
        let all = try data.session().epci(intersecting: world)
        let codes = all.map(\.code)
        let wkbs = all.map(\.geometry)
        // Each worker reads every geometry once into its own GEOS context and tests the pairs
        // (i, j > i) of its share of the `i`.
        let chunks = stride(from: 0, to: codes.count, by: 64).map { $0..<min($0 + 64, codes.count) }
        final class State {
            let ctx = GeosContext()
            var geoms: [Geometry] = []
            var tree: STRtree?
            var boundaries: [Int: Geometry] = [:]
        }
        let found = try parallelMap(chunks, makeState: { State() }) { (s: inout State, range: Range<Int>) -> [EPCIEdge] in
            if s.tree == nil {
                s.geoms = try wkbs.map { try s.ctx.readWKB($0) }
                s.tree = try STRtree(s.ctx, s.geoms)
            }
            let st = s
            func boundary(_ k: Int) throws -> Geometry {
                if let b = st.boundaries[k] { return b }
                let b = try st.geoms[k].boundary()
                st.boundaries[k] = b
                return b
            }
            var out: [EPCIEdge] = []
            for i in range {
                let a = st.geoms[i]
                let envA = a.envelope()
                let prepared = try PreparedGeometry(a)
                for j in st.tree!.query(a) where j > i {
                    let b = st.geoms[j]
                    guard try prepared.intersects(b) else { continue }
                    let window = envA.intersectionBox(b.envelope()).expanded(by: 1e-6)
                    let shared = try boundary(i).clipped(to: window).intersection(try boundary(j).clipped(to: window))
                    if try GeodesicMeasure.length(of: try shared.shape()) > 0 || a.relate(b, pattern: "2********") {
                        out.append(EPCIEdge(a: min(codes[i], codes[j]), b: max(codes[i], codes[j])))
                    }
                }
            }
            return out
        }
        return found.flatMap { $0 }.sorted { ($0.a, $0.b) < ($1.a, $1.b) }
    }
}

/// Two EPCI sharing a border of positive length.
struct EPCIEdge: Sendable, Hashable {
    var a: String
    var b: String
}
