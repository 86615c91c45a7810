import Foundation
import PerimetreGeometry
import Testing

/// Projection formulas from EPSG Guidance Note 7-2, written here independently of PROJ.
/// RGF93 and RGR92 use GRS80; their transformation from WGS84 is the null one.
enum Projections {
    static let a = 6378137.0
    static let fGRS80 = 1 / 298.257222101

    /// Lambert-93 (Lambert Conic Conformal 2SP), GN 7-2 §1.3.1.1.
    static func lambert93(lon: Double, lat: Double) -> (x: Double, y: Double) {
        let e2 = fGRS80 * (2 - fGRS80)
        let e = e2.squareRoot()
        let rad = Double.pi / 180
        func m(_ p: Double) -> Double { cos(p) / (1 - e2 * sin(p) * sin(p)).squareRoot() }
        func t(_ p: Double) -> Double { tan(.pi / 4 - p / 2) / pow((1 - e * sin(p)) / (1 + e * sin(p)), e / 2) }
        let p1 = 49 * rad
        let p2 = 44 * rad
        let pF = 46.5 * rad
        let lF = 3 * rad
        let n = (log(m(p1)) - log(m(p2))) / (log(t(p1)) - log(t(p2)))
        // swift-format-ignore: AlwaysUseLowerCamelCase
        // F and A as in IGN's and Karney's published formulas, to compare them at a glance.
        let F = m(p1) / (n * pow(t(p1), n))
        let r = a * F * pow(t(lat * rad), n)
        let rF = a * F * pow(t(pF), n)
        let theta = n * (lon * rad - lF)
        return (700_000 + r * sin(theta), 6_600_000 + rF - r * cos(theta))
    }

    /// Transverse Mercator by Krüger's series to n³ (mm accuracy near the central meridian).
    static func utm(lon: Double, lat: Double, centralMeridian: Double, south: Bool) -> (x: Double, y: Double) {
        let f = fGRS80
        let n = f / (2 - f)
        let k0 = 0.9996
        // swift-format-ignore: AlwaysUseLowerCamelCase
        let A = a / (1 + n) * (1 + n * n / 4 + pow(n, 4) / 64)
        let alpha = [
            n / 2 - 2 * n * n / 3 + 5 * pow(n, 3) / 16, 13 * n * n / 48 - 3 * pow(n, 3) / 5, 61 * pow(n, 3) / 240,
        ]
        let rad = Double.pi / 180
        let phi = lat * rad
        let dl = (lon - centralMeridian) * rad
        let c = 2 * n.squareRoot() / (1 + n)
        let t = sinh(atanh(sin(phi)) - c * atanh(c * sin(phi)))
        let xi = atan(t / cos(dl))
        let eta = atanh(sin(dl) / (1 + t * t).squareRoot())
        var x = eta
        var y = xi
        for j in 1...3 {
            let jj = Double(2 * j)
            x += alpha[j - 1] * cos(jj * xi) * sinh(jj * eta)
            y += alpha[j - 1] * sin(jj * xi) * cosh(jj * eta)
        }
        return (500_000 + k0 * A * x, (south ? 10_000_000 : 0) + k0 * A * y)
    }
}

@Suite("PROJ transforms and local CRS")
struct ProjTests {
    @Test func lambert93OriginMapsToTheFalseOrigin() throws {
        let t = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:2154")
        let p = try t.transform(Coordinate(3, 46.5))
        #expect(abs(p.x - 700_000) < 0.001, "x = \(p.x)")
        #expect(abs(p.y - 6_600_000) < 0.001, "y = \(p.y)")
        let back = try CoordinateTransformer(from: "EPSG:2154", to: "EPSG:4326").transform(p)
        #expect(abs(back.x - 3) < 1e-9 && abs(back.y - 46.5) < 1e-9, "\(back)")
    }

    @Test func lambert93AgainstTheConicFormula() throws {
        let t = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:2154")
        let inverse = try CoordinateTransformer(from: "EPSG:2154", to: "EPSG:4326")
        // Paris (Notre-Dame), Ajaccio, Brest, Strasbourg: far from the origin on every side.
        var points = [
            Coordinate(2.349902, 48.852968), Coordinate(8.7369, 41.9267),
            Coordinate(-4.4861, 48.3904), Coordinate(7.7521, 48.5734),
        ]
        let original = points
        try t.transform(&points)  // one PROJ call for the whole array
        for (lonlat, xy) in zip(original, points) {
            let expected = Projections.lambert93(lon: lonlat.x, lat: lonlat.y)
            #expect(abs(xy.x - expected.x) < 0.001 && abs(xy.y - expected.y) < 0.001, "\(lonlat): \(xy) vs \(expected)")
        }
        try inverse.transform(&points)
        for (p, q) in zip(original, points) {
            #expect(abs(p.x - q.x) < 1e-9 && abs(p.y - q.y) < 1e-9)
        }
        #expect(t.source == "EPSG:4326" && t.target == "EPSG:2154")
    }

    @Test func reunionRoundTripIn2975() throws {
        // Saint-Denis de La Réunion, in RGR92 / UTM zone 40S (central meridian 57° E).
        let saintDenis = Coordinate(55.4481, -20.8823)
        let t = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:2975")
        let p = try t.transform(saintDenis)
        let expected = Projections.utm(lon: saintDenis.x, lat: saintDenis.y, centralMeridian: 57, south: true)
        #expect(abs(p.x - expected.x) < 0.01 && abs(p.y - expected.y) < 0.01, "\(p) vs \(expected)")
        #expect(p.x < 500_000)  // west of the central meridian
        let back = try CoordinateTransformer(from: "EPSG:2975", to: "EPSG:4326").transform(p)
        #expect(abs(back.x - saintDenis.x) < 1e-9 && abs(back.y - saintDenis.y) < 1e-9)
    }

    @Test func geometriesAndShapesAreTransformed() throws {
        let ctx = GeosContext()
        let t = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:2154")
        let square = try ctx.geometry(
            .polygon([
                [
                    Coordinate(3, 46.5), Coordinate(3.01, 46.5), Coordinate(3.01, 46.51),
                    Coordinate(3, 46.51), Coordinate(3, 46.5),
                ]
            ]))
        let projected = try t.transform(square)
        #expect(projected.kind == .polygon)
        #expect(projected.coordinateCount == 5)
        guard case .polygon(let rings) = try projected.shape() else {
            Issue.record("not a polygon")
            return
        }
        #expect(abs(rings[0][0].x - 700_000) < 0.001 && abs(rings[0][0].y - 6_600_000) < 0.001)
        for (lonlat, xy) in zip(try square.shape().polygons[0][0], rings[0]) {
            let e = Projections.lambert93(lon: lonlat.x, lat: lonlat.y)
            #expect(abs(xy.x - e.x) < 0.001 && abs(xy.y - e.y) < 0.001)
        }
        // About 765 m x 1112 m: planar area in Lambert-93 metres near 0.85 km².
        #expect((0.8e6...0.9e6).contains(try projected.area()))
        let shape = try t.transform(Shape.multiPoint([Coordinate(3, 46.5), Coordinate(3, 46.5)]))
        guard case .multiPoint(let cs) = shape else {
            Issue.record("not a multipoint")
            return
        }
        #expect(cs.count == 2 && abs(cs[1].y - 6_600_000) < 0.001)
    }

    @Test func unknownCRSThrowsPROJsOwnMessage() throws {
        let error = thrownError { try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:999999") }
        let e = try #require(error as? GeometryError, "expected a GeometryError, got \(String(describing: error))")
        #expect(e.library == "PROJ")
        #expect(!e.message.isEmpty)
        #expect(e.message != placeholderMessage)
        #expect(e.message.contains("not found"), "message: \(e.message)")
        #expect(e.operation.contains("EPSG:999999"))
        #expect(e.description.hasPrefix("PROJ "))
    }

    @Test func outOfDomainCoordinateThrows() throws {
        let t = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:2154")
        let e = try #require(thrownError { try t.transform(Coordinate(3, 95)) } as? GeometryError)
        #expect(e.library == "PROJ")
        #expect(!e.message.isEmpty)
        // The transformer stays usable afterwards.
        let p = try t.transform(Coordinate(3, 46.5))
        #expect(abs(p.x - 700_000) < 0.001)
    }

    @Test(arguments: [
        ("Paris", Coordinate(2.3522, 48.8566), "EPSG:2154"),
        ("Ajaccio", Coordinate(8.7369, 41.9267), "EPSG:2154"),
        ("Pointe-à-Pitre", Coordinate(-61.5331, 16.2411), "EPSG:5490"),
        ("Fort-de-France", Coordinate(-61.0588, 14.6161), "EPSG:5490"),
        ("Cayenne", Coordinate(-52.3260, 4.9372), "EPSG:2972"),
        ("Saint-Denis (Réunion)", Coordinate(55.4481, -20.8823), "EPSG:2975"),
        ("Mamoudzou", Coordinate(45.2279, -12.7806), "EPSG:4471"),
        // Elsewhere, the WGS 84 UTM zone: floor((lon + 180) / 6) + 1, 326xx north, 327xx south.
        ("New York", Coordinate(-74.0060, 40.7128), "EPSG:32618"),
        ("Sydney", Coordinate(151.2093, -33.8688), "EPSG:32756"),
        ("Saint-Pierre", Coordinate(-56.1773, 46.7811), "EPSG:32621"),
        ("Nouméa", Coordinate(166.4572, -22.2758), "EPSG:32758"),
    ])
    func localCRS(_ place: String, _ p: Coordinate, _ code: String) {
        #expect(LocalCRS.for(p).code == code, "\(place)")
    }

    @Test func localCRSCodesAreUnderstoodByPROJ() throws {
        for crs in [LocalCRS.lambert93, .antilles, .guyane, .reunion, .mayotte, LocalCRS.for(Coordinate(-74, 40.7))] {
            #expect(throws: Never.self) { _ = try CoordinateTransformer(from: "EPSG:4326", to: crs.code) }
        }
        let e = Envelope(minX: 2, minY: 48, maxX: 3, maxY: 49)
        #expect(LocalCRS.for(e) == .lambert93)
    }

    /// Transformers are copies of one operation per CRS pair (process-wide), and the way back
    /// runs that operation inverted: both must give the closed-form values, from any thread.
    @Test func sharedOperationsGiveTheFormulaValuesOnEveryThread() async throws {
        // UTM 31N on WGS 84 is used by no other test: the first transformer here makes the template.
        let lyon = Coordinate(4.8357, 45.7640)
        let expected = Projections.utm(lon: lyon.x, lat: lyon.y, centralMeridian: 3, south: false)
        let results = try await withThrowingTaskGroup(of: (Coordinate, Coordinate).self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let forward = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:32631")
                    let back = try CoordinateTransformer(from: "EPSG:32631", to: "EPSG:4326")
                    let p = try forward.transform(lyon)
                    return (p, try back.transform(p))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        for (p, back) in results {
            // WGS 84 and GRS80 differ by 0.1 mm in the semi-minor axis: the formula (GRS80) agrees to the centimetre.
            #expect(abs(p.x - expected.x) < 0.01 && abs(p.y - expected.y) < 0.01, "\(p) vs \(expected)")
            #expect(abs(back.x - lyon.x) < 1e-9 && abs(back.y - lyon.y) < 1e-9, "\(back)")
        }
        // Made after its reverse one, this is the inverted copy: it inverts the formula's values.
        let back = try CoordinateTransformer(from: "EPSG:32631", to: "EPSG:4326")
        let q = try back.transform(Coordinate(expected.x, expected.y))
        #expect(abs(q.x - lyon.x) < 1e-7 && abs(q.y - lyon.y) < 1e-7, "\(q)")
    }
}
