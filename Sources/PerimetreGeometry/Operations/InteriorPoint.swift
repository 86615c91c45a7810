internal import CGEOS

extension Geometry {
    /// A point guaranteed to lie inside the geometry (GEOS point-on-surface).
    public func interiorPoint() throws -> Coordinate {
        try context.own(GEOSPointOnSurface_r(h, handle), "interiorPoint").point()
    }

    /// The centroid (may lie outside a concave polygon).
    public func centroid() throws -> Coordinate {
        try context.own(GEOSGetCentroid_r(h, handle), "centroid").point()
    }
}
