import Foundation
import PerimetreGeometry
import Testing

/// Closed-form references on the WGS84 ellipsoid, written here independently of PROJ.
enum Ellipsoid {
    static let a = 6378137.0
    static let f = 1 / 298.257223563
    static let e2 = f * (2 - f)
    static let e = e2.squareRoot()

    /// q(φ) of the authalic latitude (Snyder, Map Projections: A Working Manual, eq. 3-12).
    static func q(_ phi: Double) -> Double {
        let s = sin(phi)
        return (1 - e2) * (s / (1 - e2 * s * s) - 1 / (2 * e) * log((1 - e * s) / (1 + e * s)))
    }

    /// Area of the quadrangle bounded by two meridians and two parallels (degrees), in m².
    static func quadrangleArea(lon0: Double, lon1: Double, lat0: Double, lat1: Double) -> Double {
        let dl = (lon1 - lon0) * .pi / 180
        return a * a * dl / 2 * (q(lat1 * .pi / 180) - q(lat0 * .pi / 180))
    }

    /// Meridian arc length between two latitudes (degrees): ∫ a(1-e²)/(1-e² sin²φ)^(3/2) dφ, Simpson.
    static func meridianArc(_ lat0: Double, _ lat1: Double) -> Double {
        let n = 2000
        let p0 = lat0 * .pi / 180
        let p1 = lat1 * .pi / 180
        let h = (p1 - p0) / Double(n)
        func m(_ p: Double) -> Double {
            let s = sin(p)
            return a * (1 - e2) / pow(1 - e2 * s * s, 1.5)
        }
        var sum = m(p0) + m(p1)
        for i in 1..<n { sum += m(p0 + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
        return sum * h / 3
    }

    /// Length of a parallel arc at latitude `lat` spanning `dlon` degrees.
    static func parallelArc(lat: Double, dlon: Double) -> Double {
        let p = lat * .pi / 180
        let s = sin(p)
        return a / (1 - e2 * s * s).squareRoot() * cos(p) * dlon * .pi / 180
    }
}

/// A lon/lat cell whose east-west edges follow the parallels closely (`n` points each), so
/// that its geodesic-edged area matches the closed-form quadrangle. Counter-clockwise.
func cellRing(lon0: Double, lon1: Double, lat0: Double, lat1: Double, n: Int = 200) -> [Coordinate] {
    var r: [Coordinate] = []
    for i in 0...n { r.append(Coordinate(lon0 + (lon1 - lon0) * Double(i) / Double(n), lat0)) }
    for i in 0...n { r.append(Coordinate(lon1 - (lon1 - lon0) * Double(i) / Double(n), lat1)) }
    r.append(r[0])
    return r
}

@Suite("Geodesic measures on WGS84")
struct GeodesicTests {
    @Test func areaOfAOneDegreeCellMatchesTheClosedForm() {
        let expected = Ellipsoid.quadrangleArea(lon0: 0, lon1: 1, lat0: 45, lat1: 46)
        // Sanity of the reference itself: about 111.1 km x 78.1 km.
        #expect((8.6e9...8.8e9).contains(expected))
        let ring = cellRing(lon0: 0, lon1: 1, lat0: 45, lat1: 46)
        let area = GeodesicMeasure.area(of: .polygon([ring]))
        #expect(close(area, expected, rel: 1e-7), "geodesic \(area) vs closed form \(expected)")
        // Clockwise gives the same (unsigned) area; ring() gives it signed.
        #expect(close(GeodesicMeasure.area(of: .polygon([ring.reversed()])), expected, rel: 1e-7))
        #expect(GeodesicMeasure.ring(ring).area > 0)
        #expect(GeodesicMeasure.ring(ring.reversed()).area < 0)
    }

    @Test func fourCornerCellIsSlightlySmallerThanTheQuadrangle() {
        // With only four corners the east-west edges are geodesics, which bow poleward:
        // the top one adds a lens, the bottom one (at a wider parallel) removes a larger one.
        let expected = Ellipsoid.quadrangleArea(lon0: 0, lon1: 1, lat0: 45, lat1: 46)
        let corners = [Coordinate(0, 45), Coordinate(1, 45), Coordinate(1, 46), Coordinate(0, 46), Coordinate(0, 45)]
        let area = GeodesicMeasure.area(of: .polygon([corners]))
        #expect(area < expected)
        #expect(area > expected * (1 - 1e-4))
    }

    @Test func areaOfAnEquatorialCell() {
        let expected = Ellipsoid.quadrangleArea(lon0: 10, lon1: 12, lat0: -1, lat1: 1)
        let area = GeodesicMeasure.area(of: .polygon([cellRing(lon0: 10, lon1: 12, lat0: -1, lat1: 1)]))
        #expect(close(area, expected, rel: 1e-7))
    }

    @Test func holesAreSubtractedWhateverTheirWinding() throws {
        let outer = cellRing(lon0: 0, lon1: 1, lat0: 45, lat1: 46)
        let hole = cellRing(lon0: 0.25, lon1: 0.75, lat0: 45.25, lat1: 45.75)
        let expected =
            Ellipsoid.quadrangleArea(lon0: 0, lon1: 1, lat0: 45, lat1: 46)
            - Ellipsoid.quadrangleArea(lon0: 0.25, lon1: 0.75, lat0: 45.25, lat1: 45.75)
        #expect(close(GeodesicMeasure.area(of: .polygon([outer, hole.reversed()])), expected, rel: 1e-7))
        #expect(close(GeodesicMeasure.area(of: .polygon([outer, hole])), expected, rel: 1e-7))
        #expect(close(GeodesicMeasure.area(of: .polygon([outer.reversed(), hole])), expected, rel: 1e-7))
        // Through a GEOS geometry too.
        let ctx = GeosContext()
        let g = try ctx.geometry(.polygon([outer, hole.reversed()]))
        #expect(close(try g.geodesicArea(), expected, rel: 1e-7))
        // A multipolygon sums its parts; points and lines have no area.
        let other = cellRing(lon0: 2, lon1: 3, lat0: 45, lat1: 46)
        let two = GeodesicMeasure.area(of: .multiPolygon([[outer], [other]]))
        #expect(close(two, 2 * Ellipsoid.quadrangleArea(lon0: 0, lon1: 1, lat0: 45, lat1: 46), rel: 1e-7))
        #expect(GeodesicMeasure.area(of: .lineString(outer)) == 0)
        #expect(GeodesicMeasure.area(of: .point(Coordinate(1, 45))) == 0)
    }

    @Test func distancesAgainstClosedForms() {
        // One degree along the equator is an arc of the equator: a·π/180.
        #expect(
            close(GeodesicMeasure.distance(Coordinate(0, 0), Coordinate(1, 0)), Ellipsoid.a * .pi / 180, rel: 1e-12))
        // Along a meridian: the meridian arc (about 111.14 km between 45° and 46°).
        let arc = Ellipsoid.meridianArc(45, 46)
        #expect((111_100.0...111_200.0).contains(arc))
        #expect(close(GeodesicMeasure.distance(Coordinate(0, 45), Coordinate(0, 46)), arc, rel: 1e-11))
        // Equator to pole: the quarter meridian, 10 001 965.729 m on WGS84 (published value).
        #expect(close(GeodesicMeasure.distance(Coordinate(0, 0), Coordinate(0, 90)), 10_001_965.729, abs: 0.001))
        #expect(close(Ellipsoid.meridianArc(0, 90), 10_001_965.729, abs: 0.001))
        #expect(GeodesicMeasure.distance(Coordinate(3, 46), Coordinate(3, 46)) == 0)
    }

    @Test func perimeterIsTheSumOfGeodesicEdges() throws {
        let ring = cellRing(lon0: 0, lon1: 1, lat0: 45, lat1: 46)
        let perimeter = GeodesicMeasure.perimeter(of: .polygon([ring]))
        var sum = 0.0
        for i in 0..<(ring.count - 1) { sum += GeodesicMeasure.distance(ring[i], ring[i + 1]) }
        #expect(close(perimeter, sum, rel: 1e-12))
        // Independent: two meridian arcs plus two parallel arcs (the densified edges are
        // chords of the parallels, shorter by a relative ~1e-9 only).
        let expected =
            2 * Ellipsoid.meridianArc(45, 46)
            + Ellipsoid.parallelArc(lat: 45, dlon: 1) + Ellipsoid.parallelArc(lat: 46, dlon: 1)
        #expect(close(perimeter, expected, rel: 1e-8), "\(perimeter) vs \(expected)")
        // All rings count in the perimeter.
        let hole = cellRing(lon0: 0.25, lon1: 0.75, lat0: 45.25, lat1: 45.75)
        let both = GeodesicMeasure.perimeter(of: .polygon([ring, hole]))
        #expect(close(both, perimeter + GeodesicMeasure.perimeter(of: .polygon([hole])), rel: 1e-12))
        let ctx = GeosContext()
        #expect(close(try ctx.geometry(.polygon([ring])).geodesicPerimeter(), expected, rel: 1e-8))
    }
}
