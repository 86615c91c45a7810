internal import CGEOS

extension Geometry {
    /// Douglas-Peucker simplification that keeps the topology of this one geometry valid.
    public func simplifiedPreservingTopology(_ tolerance: Double) throws -> Geometry {
        try context.own(GEOSTopologyPreserveSimplify_r(h, handle, tolerance), "topologyPreserveSimplify")
    }

    /// Plain Douglas-Peucker simplification (may produce invalid polygons; fine for lines).
    public func simplified(_ tolerance: Double) throws -> Geometry {
        try context.own(GEOSSimplify_r(h, handle, tolerance), "simplify")
    }

    /// Coordinates snapped to a grid of `gridSize` with a valid result (GEOS precision model).
    public func snappedToGrid(_ gridSize: Double) throws -> Geometry {
        try context.own(GEOSGeom_setPrecision_r(h, handle, gridSize, 0), "setPrecision")
    }
}
