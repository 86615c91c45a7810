internal import CPROJ

/// Areas and perimeters on the WGS84 ellipsoid (GeographicLib's `geod_polygonarea`, shipped
/// in libproj). Every area perimetre reports comes from here: Lambert-93 is not equal-area.
///
/// ```swift
/// let km2 = GeodesicMeasure.area(of: shape) / 1e6
/// ```
public enum GeodesicMeasure {
    private static let wgs84: geod_geodesic = {
        var g = geod_geodesic()
        perimetre_geod_init(&g, 6378137.0, 1 / 298.257223563)
        return g
    }()

    /// Signed area (m², positive counter-clockwise) and perimeter (m) of one lon/lat ring.
    public static func ring(_ ring: [Coordinate]) -> (area: Double, perimeter: Double) {
        guard ring.count >= 3 else { return (0, 0) }
        var lats = ring.map(\.y)
        var lons = ring.map(\.x)
        var g = wgs84
        var a = 0.0
        var p = 0.0
        perimetre_geod_polygonarea(&g, &lats, &lons, Int32(ring.count), &a, &p)
        return (a, p)
    }

    /// Area in m² of the polygons of a lon/lat shape (exteriors minus holes, any winding).
    public static func area(of shape: Shape) -> Double { areaAndPerimeter(of: shape).area }

    /// Perimeter in m of the polygons of a lon/lat shape (all rings).
    public static func perimeter(of shape: Shape) -> Double { areaAndPerimeter(of: shape).perimeter }

    /// Both in one pass over the vertices (each edge is a geodesic inverse problem: the cost).
    public static func areaAndPerimeter(of shape: Shape) -> (area: Double, perimeter: Double) {
        var area = 0.0
        var perimeter = 0.0
        for rings in shape.polygons {
            for (i, r) in rings.enumerated() {
                let (a, p) = ring(r)
                area += i == 0 ? abs(a) : -abs(a)
                perimeter += p
            }
        }
        return (area, perimeter)
    }

    /// Length in m of the lines of a lon/lat shape (line strings, and polygon rings).
    public static func length(of shape: Shape) -> Double {
        func line(_ cs: [Coordinate]) -> Double {
            zip(cs, cs.dropFirst()).reduce(0.0) { $0 + distance($1.0, $1.1) }
        }
        switch shape {
        case .point, .multiPoint: return 0
        case .lineString(let cs): return line(cs)
        case .multiLineString(let ls): return ls.reduce(0) { $0 + line($1) }
        case .polygon, .multiPolygon: return perimeter(of: shape)
        case .collection(let gs): return gs.reduce(0) { $0 + length(of: $1) }
        }
    }

    /// Geodesic distance in m between two lon/lat points.
    public static func distance(_ a: Coordinate, _ b: Coordinate) -> Double {
        var g = wgs84
        var s = 0.0
        var az1 = 0.0
        var az2 = 0.0
        perimetre_geod_inverse(&g, a.y, a.x, b.y, b.x, &s, &az1, &az2)
        return s
    }
}

extension Geometry {
    /// Geodesic area (m²) of a lon/lat geometry on WGS84.
    public func geodesicArea() throws -> Double { GeodesicMeasure.area(of: try shape()) }
    /// Geodesic perimeter (m) of a lon/lat geometry on WGS84.
    public func geodesicPerimeter() throws -> Double { GeodesicMeasure.perimeter(of: try shape()) }
}
