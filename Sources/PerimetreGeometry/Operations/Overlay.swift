internal import CGEOS

extension Geometry {
    /// The part of `self` also in `other`.
    public func intersection(_ other: Geometry) throws -> Geometry {
        same(other)
        return try context.own(GEOSIntersection_r(h, handle, other.handle), "intersection")
    }

    /// The part of `self` not in `other`.
    public func difference(_ other: Geometry) throws -> Geometry {
        same(other)
        return try context.own(GEOSDifference_r(h, handle, other.handle), "difference")
    }

    /// The parts of either geometry not in the other.
    public func symmetricDifference(_ other: Geometry) throws -> Geometry {
        same(other)
        return try context.own(GEOSSymDifference_r(h, handle, other.handle), "symmetricDifference")
    }

    /// The part of `self` inside the rectangle (fast, may return invalid polygons at the cut).
    public func clipped(to e: Envelope) throws -> Geometry {
        try context.own(GEOSClipByRect_r(h, handle, e.minX, e.minY, e.maxX, e.maxY), "clipByRect")
    }
}
