internal import CGEOS

extension Geometry {
    /// Buffer by `distance` (negative shrinks polygons), `quadrantSegments` per quarter circle.
    public func buffer(_ distance: Double, quadrantSegments: Int = 8) throws -> Geometry {
        try context.own(GEOSBuffer_r(h, handle, distance, Int32(quadrantSegments)), "buffer")
    }
}
