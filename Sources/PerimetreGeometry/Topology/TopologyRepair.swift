/// Makes a rebuilt, rounded feature valid without moving its shared borders.
///
/// After snap rounding (``ArcTopology/rounded(decimals:maxPasses:)``) segments meet only at
/// vertices, so what can be left invalid is zero-width: a part of a ring that goes out and back
/// along the same segments (a sliver collapsed by rounding), or a ring touching itself at a
/// vertex. GEOS's make-valid ("structure" method) removes or splits those using only the
/// existing vertices; the result is put back on the grid, and snapped with GEOS's precision
/// model only if something is still invalid.
public enum TopologyRepair {
    /// The feature as repaired.
    public struct Outcome: Sendable {
        /// The shape, valid unless ``valid`` says otherwise.
        public var shape: Shape
        /// GEOS's reason when the rebuilt feature was invalid (nil when it was valid as rebuilt).
        public var reason: String?
        /// Whether the final shape is valid.
        public var valid: Bool
    }

    /// Makes a rebuilt feature valid, keeping its vertices where it can.
    ///
    /// - Parameters:
    ///   - shape: The feature as rebuilt from rounded arcs.
    ///   - decimals: The decimals of the grid it lies on.
    ///   - ctx: The GEOS context to work in.
    /// - Returns: The shape (unchanged when valid), GEOS's reason when it was not, and whether it is now.
    /// - Throws: `GeometryError` with GEOS's message.
    public static func validate(_ shape: Shape, decimals: Int, context ctx: GeosContext) throws -> Outcome {
        let g = try ctx.geometry(shape)
        if try g.isValid() { return Outcome(shape: shape, reason: nil, valid: true) }
        let reason = try g.validityReason()
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let fixed = try ctx.multiPolygon(try g.makeValid().polygons())
        var s = try fixed.shape().mapCoordinates {
            Coordinate(($0.x * scale).rounded() / scale, ($0.y * scale).rounded() / scale)
        }
        var out = try ctx.geometry(s)
        if !(try out.isValid()) {
            out = try ctx.multiPolygon(try out.snappedToGrid(1 / scale).polygons())
            s = try out.shape()
        }
        return Outcome(shape: s, reason: reason, valid: try out.isValid())
    }
}
