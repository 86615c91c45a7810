internal import CGEOS

extension Geometry {
    /// Whether the two geometries share any point (GEOS `intersects`).
    public func intersects(_ other: Geometry) throws -> Bool {
        same(other)
        return try context.predicate(GEOSIntersects_r(h, handle, other.handle), "intersects")
    }
    /// Whether the two meet on their boundaries only (GEOS `touches`).
    public func touches(_ other: Geometry) throws -> Bool {
        same(other)
        return try context.predicate(GEOSTouches_r(h, handle, other.handle), "touches")
    }
    /// Whether `other` lies inside this one (GEOS `contains`).
    public func contains(_ other: Geometry) throws -> Bool {
        same(other)
        return try context.predicate(GEOSContains_r(h, handle, other.handle), "contains")
    }
    /// Whether no point of `other` lies outside this one (GEOS `covers`).
    public func covers(_ other: Geometry) throws -> Bool {
        same(other)
        return try context.predicate(GEOSCovers_r(h, handle, other.handle), "covers")
    }
    /// Whether this one lies inside `other` (GEOS `within`).
    public func within(_ other: Geometry) throws -> Bool {
        same(other)
        return try context.predicate(GEOSWithin_r(h, handle, other.handle), "within")
    }
    /// Whether the two cover the same points, whatever their vertices (GEOS `equals`).
    public func equalsTopologically(_ other: Geometry) throws -> Bool {
        same(other)
        return try context.predicate(GEOSEquals_r(h, handle, other.handle), "equals")
    }

    /// The DE-9IM matrix, e.g. `FF2F11212` for two polygons sharing an edge.
    public func relate(_ other: Geometry) throws -> String {
        same(other)
        guard let s = GEOSRelate_r(h, handle, other.handle) else { throw context.fail("relate") }
        defer { GEOSFree_r(h, s) }
        return String(cString: s)
    }

    /// Whether the DE-9IM matrix matches `pattern`, e.g. `F***1****` (boundaries share a line).
    public func relate(_ other: Geometry, pattern: String) throws -> Bool {
        same(other)
        return try context.predicate(GEOSRelatePattern_r(h, handle, other.handle, pattern), "relatePattern \(pattern)")
    }
}
