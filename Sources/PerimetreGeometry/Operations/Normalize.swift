internal import CGEOS

extension Geometry {
    /// A normalized copy: parts and rings in a canonical order, so equal geometries compare equal
    /// and outputs are deterministic.
    public func normalized() throws -> Geometry {
        let c = try clone()
        guard GEOSNormalize_r(h, c.handle) == 0 else { throw context.fail("normalize") }
        return c
    }

    /// A copy with polygon exteriors counter-clockwise and holes clockwise (RFC 7946).
    /// Uses `GEOSOrientPolygons_r` on GEOS ≥ 3.12, and the same rule in Swift otherwise.
    public func orientedForGeoJSON() throws -> Geometry {
        let c = try clone()
        if perimetre_geos_orient_polygons(h, c.handle, 0) == 0 { return c }
        return try context.geometry(try shape().orientedForGeoJSON())
    }
}

extension Shape {
    /// Exterior rings counter-clockwise, holes clockwise (RFC 7946 §3.1.6).
    public func orientedForGeoJSON() -> Shape {
        func orient(_ rings: [[Coordinate]]) -> [[Coordinate]] {
            rings.enumerated().map { i, r in
                let ccw = signedRingArea(r) > 0
                return (i == 0) == ccw ? r : r.reversed()
            }
        }
        switch self {
        case .polygon(let rs): return .polygon(orient(rs))
        case .multiPolygon(let ps): return .multiPolygon(ps.map(orient))
        case .collection(let gs): return .collection(gs.map { $0.orientedForGeoJSON() })
        default: return self
        }
    }
}
