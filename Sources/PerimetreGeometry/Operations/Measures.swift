internal import CGEOS

// Planar measures, in the units of the geometry's CRS. Reported areas are geodesic
// (see `GeodesicMeasure`); these serve for work in a local metric CRS.
extension Geometry {
    /// Planar area.
    public func area() throws -> Double {
        var a = 0.0
        guard GEOSArea_r(h, handle, &a) == 1 else { throw context.fail("area") }
        return a
    }

    /// Planar length (perimeter for polygons).
    public func length() throws -> Double {
        var l = 0.0
        guard GEOSLength_r(h, handle, &l) == 1 else { throw context.fail("length") }
        return l
    }

    /// Minimum planar distance to `other`.
    public func distance(_ other: Geometry) throws -> Double {
        same(other)
        var d = 0.0
        guard GEOSDistance_r(h, handle, other.handle, &d) == 1 else { throw context.fail("distance") }
        return d
    }

    /// Minimum planar distance to `other` between geometries that do not overlap (disjoint, or
    /// touching), by GEOS's indexed facet distance: the same least distance between their
    /// segments as ``distance(_:)``, found through a tree of their segments rather than by
    /// trying every pair (two EPCI of 5,000 vertices each: 25 million pairs).
    ///
    /// Overlapping geometries are not handled: the facets' distance is not 0 there when no
    /// boundaries cross (one inside the other). Use ``distance(_:)`` for them.
    public func distanceBetweenDisjoint(_ other: Geometry) throws -> Double {
        same(other)
        var d = 0.0
        guard GEOSDistanceIndexed_r(h, handle, other.handle, &d) == 1 else { throw context.fail("distanceIndexed") }
        return d
    }

    /// The two nearest points, on `self` then on `other`.
    public func nearestPoints(_ other: Geometry) throws -> (Coordinate, Coordinate) {
        same(other)
        guard let seq = GEOSNearestPoints_r(h, handle, other.handle) else { throw context.fail("nearestPoints") }
        defer { GEOSCoordSeq_destroy_r(h, seq) }
        var x0 = 0.0
        var y0 = 0.0
        var x1 = 0.0
        var y1 = 0.0
        GEOSCoordSeq_getXY_r(h, seq, 0, &x0, &y0)
        GEOSCoordSeq_getXY_r(h, seq, 1, &x1, &y1)
        return (Coordinate(x0, y0), Coordinate(x1, y1))
    }
}
