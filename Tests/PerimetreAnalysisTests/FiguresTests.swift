import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

@Suite("check: figures")
struct FiguresTests {
    @Test(
        "area = sum of the Etalab geodesic areas, population = sum of the communes",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func areaAndPopulation() throws {
        let table = try dgcl()
        let communes = nordFrancheComte.flatMap { table.communesByEPCI[$0] ?? [] }
        let attrs = try geoDataCommunes(communes)
        // Precondition: membership unchanged between the DGCL 2025 table and the 2026 data.
        #expect(attrs.count == communes.count && attrs.values.allSatisfy { nordFrancheComte.contains($0.epci ?? "") })

        let r = try check(nordFrancheComte)
        let etalabKm2 = try nordFrancheComte.reduce(0) { $0 + (try etalabAreaKm2($1)) }
        // Both outlines come from IGN ADMIN EXPRESS, simplified differently (Etalab at 100 m, and
        // the 2024 vs 2026 vintages): the simplification moves the outline by tens of metres along
        // hundreds of km, i.e. well under 1 % of 1 200 km²; 2 % leaves room for vintage changes.
        #expect(within(r.figures.areaKm2, etalabKm2, rel: 0.02), "\(r.figures.areaKm2) vs Etalab \(etalabKm2) km²")
        // Population: the GeoData commune populations summed here, exactly; BANATIC 2024 within 3 %.
        #expect(r.figures.population == attrs.values.reduce(0) { $0 + $1.population })
        let b = Double(try banatic().population(communes))
        #expect(within(Double(r.figures.population), b, rel: 0.03), "\(r.figures.population) vs BANATIC \(b)")
        #expect(r.figures.communeCount == communes.count)
        #expect(r.figures.epciCount == 5)
        // Bounding box contains every Etalab outline (to 0.01°).
        for code in nordFrancheComte {
            let e = try etalabShape(code).envelope
            #expect(e.minX >= r.figures.bbox.minX - 0.01 && e.maxX <= r.figures.bbox.maxX + 0.01)
            #expect(e.minY >= r.figures.bbox.minY - 0.01 && e.maxY <= r.figures.bbox.maxY + 0.01)
        }
    }

    @Test("a drawn near-square: Polsby-Popper π/4, area of the spherical rectangle")
    func square() throws {
        // 0.2° of latitude by 0.2/cos(47.1°) of longitude around Bourges: a square of ~22 km.
        let lat0 = 47.0
        let lat1 = 47.2
        let dLon = 0.2 / cos(47.1 * .pi / 180)
        let shape = lonLatRect(2.3, lat0, 2.3 + dLon, lat1)
        let r = try checkDrawn(shape)
        #expect(abs(r.figures.polsbyPopper - Double.pi / 4) < 0.01, "Polsby-Popper \(r.figures.polsbyPopper)")
        // Area on the authalic sphere (R = 6 371 007 m): R² Δλ (sin φ1 − sin φ0); the ellipsoid and
        // the geodesic (not parallel) edges differ by well under 1 %.
        let radius = 6_371_007.0
        let sphere = radius * radius * dLon * .pi / 180 * (sin(lat1 * .pi / 180) - sin(lat0 * .pi / 180)) / 1e6
        #expect(within(r.figures.areaKm2, sphere, rel: 0.01), "\(r.figures.areaKm2) vs \(sphere) km²")
        #expect(within(r.figures.perimeterKm, 4 * 22.24, rel: 0.01), "perimeter \(r.figures.perimeterKm) km")
        #expect(r.figures.communeCount > 10)
    }

    @Test("a drawn 64-gon: Polsby-Popper π/(n tan(π/n)) ≈ 0.9992")
    func disc() throws {
        let n = 64
        let radius = 8_000.0
        let centre = Coordinate(2.4, 47.1)
        let ky = 111_132.0
        let kx = 111_320 * cos(centre.y * .pi / 180)
        var ring = (0..<n).map { k -> Coordinate in
            let a = 2 * Double.pi * Double(k) / Double(n)
            return Coordinate(centre.x + radius * cos(a) / kx, centre.y + radius * sin(a) / ky)
        }
        ring.append(ring[0])
        let r = try checkDrawn(.polygon([ring]))
        let expected = Double.pi / (Double(n) * tan(Double.pi / Double(n)))
        #expect(abs(r.figures.polsbyPopper - expected) < 0.005, "\(r.figures.polsbyPopper) vs \(expected)")
        #expect(within(r.figures.areaKm2, Double(n) / 2 * radius * radius * sin(2 * .pi / Double(n)) / 1e6, rel: 0.01))
    }
}
