internal import CGEOS

extension Geometry {
    /// The boundary: rings of a polygon as lines.
    public func boundary() throws -> Geometry { try context.own(GEOSBoundary_r(h, handle), "boundary") }

    /// Lines merged into the longest possible linestrings.
    public func lineMerged() throws -> Geometry { try context.own(GEOSLineMerge_r(h, handle), "lineMerge") }

    /// Fully noded linework (every crossing becomes a vertex).
    public func noded() throws -> Geometry { try context.own(GEOSNode_r(h, handle), "node") }

    /// Length of the boundary shared with `other` (0 when they meet only at points or not at all).
    public func sharedBoundaryLength(_ other: Geometry) throws -> Double {
        same(other)
        let a = try boundary()
        let b = try other.boundary()
        return try a.intersection(b).length()
    }
}

extension GeosContext {
    /// Polygons formed by noded linework.
    public func polygonize(_ lines: [Geometry]) throws -> Geometry {
        var ptrs = lines.map { Optional($0.handle) }
        return try ptrs.withUnsafeMutableBufferPointer { buf in
            try own(GEOSPolygonize_r(handle, buf.baseAddress, UInt32(buf.count)), "polygonize")
        }
    }
}
