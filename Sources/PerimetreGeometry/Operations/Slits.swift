extension Shape {
    /// The polygons without their holes of geodesic area below `squareMetres`: the zero-width
    /// slits a coverage union leaves inside a unit where its own communes are not edge-matched
    /// (a 1.4 km ring of 2e-6 m² in one EPCI of the Somme). Such a ring is no territory of
    /// anyone; kept, it counts as boundary in the unit's perimeter but vanishes in the union with
    /// a neighbour, so sums over units stop being exact.
    ///
    /// ```swift
    /// let (clean, n, metres) = shape.removingSlits(below: 1)
    /// ```
    public func removingSlits(below squareMetres: Double) -> (shape: Shape, count: Int, lengthMetres: Double) {
        var count = 0
        var length = 0.0
        func clean(_ rings: [[Coordinate]]) -> [[Coordinate]] {
            guard rings.count > 1 else { return rings }
            var kept = [rings[0]]
            for hole in rings.dropFirst() {
                let (a, p) = GeodesicMeasure.ring(hole)
                if abs(a) < squareMetres {
                    count += 1
                    length += p
                } else {
                    kept.append(hole)
                }
            }
            return kept
        }
        switch self {
        case .polygon(let rings): return (.polygon(clean(rings)), count, length)
        case .multiPolygon(let polys): return (.multiPolygon(polys.map(clean)), count, length)
        default: return (self, 0, 0)
        }
    }
}
