internal import CGEOS

/// A geometry prepared for many repeated predicates against other geometries.
public final class PreparedGeometry {
    /// The geometry prepared.
    public let geometry: Geometry
    private let prepared: OpaquePointer
    private var h: GEOSContextHandle_t { geometry.context.handle }

    /// Prepares a geometry (GEOS builds its indexes on first use).
    ///
    /// - Parameter geometry: The geometry; the predicates take geometries of its context only.
    /// - Throws: `GeometryError` with GEOS's message.
    public init(_ geometry: Geometry) throws {
        self.geometry = geometry
        guard let p = GEOSPrepare_r(geometry.context.handle, geometry.handle) else {
            throw geometry.context.fail("prepare")
        }
        prepared = p
    }

    deinit { GEOSPreparedGeom_destroy_r(h, prepared) }

    /// Whether the two geometries share any point.
    public func intersects(_ g: Geometry) throws -> Bool {
        geometry.same(g)
        return try geometry.context.predicate(GEOSPreparedIntersects_r(h, prepared, g.handle), "preparedIntersects")
    }
    /// Whether `g` lies inside the prepared geometry, none of it on its boundary only.
    public func contains(_ g: Geometry) throws -> Bool {
        geometry.same(g)
        return try geometry.context.predicate(GEOSPreparedContains_r(h, prepared, g.handle), "preparedContains")
    }
    /// Whether no point of `g` lies outside the prepared geometry.
    public func covers(_ g: Geometry) throws -> Bool {
        geometry.same(g)
        return try geometry.context.predicate(GEOSPreparedCovers_r(h, prepared, g.handle), "preparedCovers")
    }
    /// Whether the two meet on their boundaries only.
    public func touches(_ g: Geometry) throws -> Bool {
        geometry.same(g)
        return try geometry.context.predicate(GEOSPreparedTouches_r(h, prepared, g.handle), "preparedTouches")
    }
    /// The shortest distance between the two, in the geometries' units.
    public func distance(_ g: Geometry) throws -> Double {
        geometry.same(g)
        var d = 0.0
        guard GEOSPreparedDistance_r(h, prepared, g.handle, &d) == 1 else {
            throw geometry.context.fail("preparedDistance")
        }
        return d
    }
    /// The nearest points, on the prepared geometry then on `g` (indexed: fast for many small `g`).
    public func nearestPoints(_ g: Geometry) throws -> (Coordinate, Coordinate) {
        geometry.same(g)
        guard let seq = GEOSPreparedNearestPoints_r(h, prepared, g.handle) else {
            throw geometry.context.fail("preparedNearestPoints")
        }
        defer { GEOSCoordSeq_destroy_r(h, seq) }
        var x0 = 0.0
        var y0 = 0.0
        var x1 = 0.0
        var y1 = 0.0
        GEOSCoordSeq_getXY_r(h, seq, 0, &x0, &y0)
        GEOSCoordSeq_getXY_r(h, seq, 1, &x1, &y1)
        return (Coordinate(x0, y0), Coordinate(x1, y1))
    }

    /// Whether the two lie within `distance` (the geometries' units) of each other.
    public func isWithinDistance(_ g: Geometry, _ distance: Double) throws -> Bool {
        geometry.same(g)
        return try geometry.context.predicate(
            GEOSPreparedDistanceWithin_r(h, prepared, g.handle, distance), "preparedDistanceWithin")
    }
}
