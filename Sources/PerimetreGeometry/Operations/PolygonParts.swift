/// The polygons of a multipolygon, with their lon/lat shapes and geodesic areas, and which is the
/// largest: a member's main part, and its detached parts (islets, exclaves). One definition for
/// `data build`'s facts and the analyses that must match them.
public struct PolygonParts {
    /// The polygons, in the geometry's order.
    public let polygons: [Geometry]
    /// Their shapes.
    public let shapes: [Shape]
    /// Their geodesic areas (m²).
    public let areas: [Double]
    /// The index of the largest (the first on a tie).
    public let largest: Int

    /// The indices of the parts apart from the largest, in order.
    public var detached: [Int] { polygons.indices.filter { $0 != largest } }

    /// The geodesic distance (m) from each detached part to the largest, in the order of
    /// ``detached``: between their nearest points found in lon/lat, exact enough for islets a
    /// few kilometres off, and it spares projecting the whole member.
    ///
    /// - Throws: `GeometryError` with GEOS's message.
    public func detachedDistances() throws -> [Double] {
        let main = try PreparedGeometry(polygons[largest])
        return try detached.map { k in
            let (q, p) = try main.nearestPoints(polygons[k])
            return GeodesicMeasure.distance(p, q)
        }
    }
}

extension Geometry {
    /// Its polygons with their geodesic areas and the largest; nil for fewer than two polygons
    /// (nothing is detached, and nothing is measured).
    ///
    /// ```swift
    /// if let p = try member.polygonParts() {
    ///     for k in p.detached { print(p.areas[k] / 1e6, "km² apart from the main part") }
    /// }
    /// ```
    /// - Throws: `GeometryError` with GEOS's message.
    public func polygonParts() throws -> PolygonParts? {
        let polygons = try self.polygons()
        guard polygons.count > 1 else { return nil }
        let shapes = try polygons.map { try $0.shape() }
        let areas = shapes.map { GeodesicMeasure.area(of: $0) }
        return PolygonParts(
            polygons: polygons, shapes: shapes, areas: areas, largest: areas.indices.max { areas[$0] < areas[$1] }!)
    }
}
