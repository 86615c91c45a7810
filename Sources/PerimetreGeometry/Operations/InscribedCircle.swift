internal import CGEOS

extension Geometry {
    /// The largest circle inside a polygon: its centre and radius, within `tolerance`.
    /// Its diameter is the width of a hole or a strip, which tells a sliver from an enclave.
    public func maximumInscribedCircle(tolerance: Double) throws -> (center: Coordinate, radius: Double) {
        let line = try context.own(GEOSMaximumInscribedCircle_r(h, handle, tolerance), "maximumInscribedCircle")
        guard case .lineString(let cs) = try line.shape(), cs.count == 2 else {
            throw GeometryError(library: "GEOS", operation: "maximumInscribedCircle", message: "unexpected result")
        }
        let dx = cs[1].x - cs[0].x
        let dy = cs[1].y - cs[0].y
        return (cs[0], (dx * dx + dy * dy).squareRoot())
    }
}
