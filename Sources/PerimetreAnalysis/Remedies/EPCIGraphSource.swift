import PerimetreData
import PerimetreGeometry
import Synchronization

/// Where the EPCI adjacency graph comes from: the pairs of EPCI of the reference data that share a
/// border of positive length (a point contact does not count), as ``ContiguityAnalysis`` decides.
///
/// Computed once per process and GeoPackage from the EPCI geometries. Meant to be replaced by the
/// adjacency tables written at `data build` when they exist: only this file knows where the edges
/// come from.
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

    /// The EPCI geometries are dissolved from one commune coverage, so neighbours share their
    /// border vertices exactly: two EPCI share a border of positive length exactly when they share
    /// a boundary segment (one vertex in common is a point contact). One pass over the segments,
    /// hashed, instead of a GEOS intersection per pair (10× slower); the tests check both agree.
    private static func compute(_ data: GeoData) throws -> [EPCIEdge] {
        let world = Envelope(minX: -180, minY: -90, maxX: 180, maxY: 90)
        let all = try data.session().epci(intersecting: world)
        let ctx = GeosContext()
        struct Segment: Hashable { var x0, y0, x1, y1: Double }
        var owner: [Segment: Int] = [:]
        var pairs = Set<[Int]>()
        for (i, e) in all.enumerated() {
            for polygon in try ctx.readWKB(e.geometry).shape().polygons {
                for ring in polygon {
                    for (p, q) in zip(ring, ring.dropFirst()) where p != q {
                        let key = (p.x, p.y) < (q.x, q.y) ? Segment(x0: p.x, y0: p.y, x1: q.x, y1: q.y)
                                                          : Segment(x0: q.x, y0: q.y, x1: p.x, y1: p.y)
                        if let o = owner[key] { if o != i { pairs.insert([o, i]) } } else { owner[key] = i }
                    }
                }
            }
        }
        return pairs.map { EPCIEdge(a: min(all[$0[0]].code, all[$0[1]].code), b: max(all[$0[0]].code, all[$0[1]].code)) }
            .sorted { ($0.a, $0.b) < ($1.a, $1.b) }
    }
}

/// Two EPCI sharing a border of positive length.
struct EPCIEdge: Sendable, Hashable {
    var a: String
    var b: String
}
