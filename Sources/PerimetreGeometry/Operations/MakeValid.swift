internal import CGEOS

extension Geometry {
    /// A valid version of the geometry, by GEOS's "structure" method (keeps the polygonal
    /// area, drops collapsed parts) — the repair a polygon layer wants.
    public func makeValid() throws -> Geometry {
        guard let p = GEOSMakeValidParams_create_r(h) else { throw context.fail("makeValid") }
        defer { GEOSMakeValidParams_destroy_r(h, p) }
        GEOSMakeValidParams_setMethod_r(h, p, GEOS_MAKE_VALID_STRUCTURE)
        GEOSMakeValidParams_setKeepCollapsed_r(h, p, 0)
        return try context.own(GEOSMakeValidWithParams_r(h, handle, p), "makeValid")
    }
}
