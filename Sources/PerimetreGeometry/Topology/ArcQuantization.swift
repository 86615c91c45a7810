/// The affine grid of a quantized topology (TopoJSON's `transform`): a grid point (i, j) stands
/// for (translate.x + i * scale.x, translate.y + j * scale.y).
public struct QuantizationGrid: Sendable, Hashable {
    /// Size of a grid step on each axis.
    public var scale: Coordinate
    /// The coordinate of grid point (0, 0).
    public var translate: Coordinate

    /// The grid of `n` × `n` points spanning `extent` (corners on grid points), as TopoJSON's
    /// reference implementation defines it: `scale = (max - min) / (n - 1)`.
    public init(extent: Envelope, n: Int) {
        precondition(n >= 2)
        let d = Double(n - 1)
        let sx = extent.maxX > extent.minX ? (extent.maxX - extent.minX) / d : 1
        let sy = extent.maxY > extent.minY ? (extent.maxY - extent.minY) / d : 1
        scale = Coordinate(sx, sy)
        translate = Coordinate(extent.minX, extent.minY)
    }

    /// Grid coordinates of a point (not rounded).
    public func toGrid(_ c: Coordinate) -> Coordinate {
        Coordinate((c.x - translate.x) / scale.x, (c.y - translate.y) / scale.y)
    }

    /// The point of grid coordinates `g`.
    public func fromGrid(_ g: Coordinate) -> Coordinate {
        Coordinate(translate.x + g.x * scale.x, translate.y + g.y * scale.y)
    }
}

extension ArcTopology {
    /// The envelope of the used arcs.
    public var envelope: Envelope {
        let used = usedArcs
        var e = Envelope.empty
        for (i, a) in arcs.enumerated() where used[i] { for c in a.coordinates { e.include(c) } }
        return e
    }

    /// The arc network on an integer grid (TopoJSON quantization): every arc is moved to `grid`
    /// coordinates and snap-rounded to integers exactly as ``rounded(decimals:maxPasses:)``
    /// rounds to decimals, so shared borders stay shared and rounding creates no crossing.
    /// The result's coordinates are grid integers (stored as Doubles); map them back with
    /// ``QuantizationGrid/fromGrid(_:)``.
    public func quantized(on grid: QuantizationGrid) -> (ArcTopology, ArcRoundingStats) {
        var g = self
        for i in g.arcs.indices { g.arcs[i].coordinates = g.arcs[i].coordinates.map(grid.toGrid) }
        return g.rounded(decimals: 0)
    }
}
