import Foundation
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

/// The reference topology `perimetre data build` writes: the tables' shape, and facts known
/// independently of the build (which communes of Paris's ring touch it, which communes are
/// islands, which EPCI lie on the Swiss border, Llívia's enclave).
@Suite("Topology tables")
struct TopologyTablesTests {
    @Test("Adjacency: one row per pair, a < b, kinds and lengths consistent, every EPCI has a row")
    func adjacencyShape() throws {
        let data = try TestData.openGeoData()
        for (level, rows) in [("epci", try data.epciAdjacency()), ("commune", try data.communeAdjacency())] {
            #expect(!rows.isEmpty)
            var seen = Set<String>()
            for e in rows {
                #expect(e.a < e.b, "\(level) \(e.a) \(e.b)")
                #expect(seen.insert(e.a + "|" + e.b).inserted, "\(level) pair listed twice: \(e.a) \(e.b)")
                switch e.kind {
                // 0 only for a pair whose interiors overlap (overlapping communes of the source).
                case .sharedBorder: #expect(e.lengthMetres >= 0)
                case .point: #expect(e.lengthMetres == 0)
                case .withinTolerance:
                    #expect(e.lengthMetres > 0 && e.lengthMetres <= TopologyParameters.toleranceMetres)
                }
            }
        }
        let overlapping = try data.communeAdjacency().filter { $0.kind == .sharedBorder && $0.lengthMetres == 0 }
        #expect(overlapping.count < 50, "\(overlapping.count) commune pairs overlap without a common border line")
        // Only the island EPCI (none of whose communes touches the mainland) have no neighbour.
        let topo = try data.epciTopology()
        let alone = data.epci.keys.filter { topo.pairs(of: $0).isEmpty }
        for code in alone { #expect(topo.facts[code]?.island == true, "\(code) has no neighbour but is not an island") }
        #expect(topo.facts.count == data.epci.count)
    }

    @Test("Paris touches Boulogne-Billancourt, Montreuil, Vincennes and Saint-Mandé; not Versailles")
    func parisNeighbours() throws {
        let topo = try TestData.openGeoData().communeTopology()
        let paris = Dictionary(topo.pairs(of: "75056").map { ($0.other, $0.pair) }, uniquingKeysWith: { a, _ in a })
        for c in ["92012", "93048", "94080", "94067"] {
            #expect(paris[c]?.kind == .sharedBorder, "\(c)")
            #expect((paris[c]?.lengthMetres ?? 0) > 100, "\(c)")
        }
        #expect(paris["78646"] == nil)
    }

    @Test("Islands: L'Île-d'Yeu and Ouessant are, Brest is not; the sea gap of Yeu is about 17 km")
    func islands() throws {
        let topo = try TestData.openGeoData().communeTopology()
        let yeu = try #require(topo.facts["85113"])
        #expect(yeu.island)
        // L'Île-d'Yeu lies about 17 km off the Vendée coast (Fromentine–Port-Joinville crossing ~ 25 km).
        #expect((10_000...25_000).contains(yeu.seaGapMetres ?? 0), "\(String(describing: yeu.seaGapMetres))")
        #expect(topo.facts["29155"]?.island == true)  // Ouessant
        #expect(topo.facts["29019"]?.island == false)  // Brest
        #expect((topo.facts["29019"]?.freeBoundaryMetres ?? 0) > 1000)  // on the sea
        #expect((topo.facts["45234"]?.freeBoundaryMetres ?? 1) < 1)  // Orléans: inland
    }

    @Test("Borders: Annemasse and Ferney-Voltaire are within 3 km of Switzerland; Lyon has no border within 50 km")
    func borders() throws {
        let topo = try TestData.openGeoData().communeTopology()
        for c in ["74012", "01160"] {
            let che = topo.facts[c]?.borders.first { $0.country == "CHE" }
            #expect((che?.distanceMetres ?? .infinity) <= 3000, "\(c)")
        }
        #expect(topo.facts["69123"]?.borders.isEmpty == true)
    }

    @Test("Llívia: the coverage's one hole (Spanish) borders communes of the Pyrénées-Orientales only")
    func llivia() throws {
        let data = try TestData.openGeoData()
        let around = try data.communeTopology().facts.values.filter { $0.holeBoundaryMetres > 0 }.map(\.code)
        #expect(!around.isEmpty)
        #expect(around.allSatisfy { $0.hasPrefix("66") }, "\(around)")
    }

    @Test(
        "Overlaps and union losses: recomputed here from the two EPCI of every measured pair; twice the border elsewhere"
    )
    func unionLosses() throws {
        let data = try TestData.openGeoData()
        let session = try data.session()
        let ctx = GeosContext()
        let pairs = try data.epciAdjacency()
        let measured = pairs.filter {
            $0.overlapSquareMetres > 0
                || abs($0.unionLossMetres - ($0.kind == .sharedBorder ? 2 * $0.lengthMetres : 0)) > 1e-6
        }
        // The source's overlapping communes make a few dozen EPCI pairs overlap; not hundreds.
        #expect((10...400).contains(measured.count), "\(measured.count) measured pairs")
        #expect(measured.contains { $0.overlapSquareMetres > 1000 })
        for e in measured {
            let wkb = try session.epciGeometries([e.a, e.b])
            let a = try ctx.readWKB(try #require(wkb[e.a]))
            let b = try ctx.readWKB(try #require(wkb[e.b]))
            // The overlap, independently: the area of the intersection (a different overlay: within
            // 10 m² or 1 %, the overlay's snapping on slivers a few metres wide).
            let common = GeodesicMeasure.area(of: try a.intersection(b).shape())
            #expect(
                abs(e.overlapSquareMetres - common) <= max(10, 1e-2 * common),
                "\(e.a) \(e.b) overlap \(e.overlapSquareMetres) vs \(common)")
            // The loss, on the union as the analyses dissolve (the perimeter they report is that union's).
            let (_, perimeter) = GeodesicMeasure.areaAndPerimeter(of: try ctx.coverageUnion([a, b]).geometry.shape())
            let (pa, pb) = (GeodesicMeasure.perimeter(of: try a.shape()), GeodesicMeasure.perimeter(of: try b.shape()))
            #expect(abs(e.unionLossMetres - (pa + pb - perimeter)) <= max(1, 1e-6 * perimeter), "\(e.a) \(e.b) loss")
        }
        // Elsewhere a pair's union loses its shared border, twice.
        for e in pairs.prefix(200) where !measured.contains(e) {
            #expect(
                e.overlapSquareMetres == 0
                    && abs(e.unionLossMetres - (e.kind == .sharedBorder ? 2 * e.lengthMetres : 0)) <= 1e-6)
        }
    }

    @Test("No dissolved EPCI keeps a hole of less than 1 m² (a slit between its own communes)")
    func noSlits() throws {
        let data = try TestData.openGeoData()
        let session = try data.session()
        let ctx = GeosContext()
        var holes = 0
        for (code, wkb) in try session.epciGeometries(data.epci.keys.sorted()) {
            for h in try ctx.readWKB(wkb).holes() {
                holes += 1
                #expect(GeodesicMeasure.area(of: try h.shape()) >= 1, "\(code) has a zero-area hole")
            }
        }
        #expect(holes > 0)  // real holes (enclaves in an EPCI, Llívia) are kept
    }

    @Test("Detached parts: each lists exactly the EPCI it meets, recomputed here from the polygons")
    func detachedPartNeighbours() throws {
        let data = try TestData.openGeoData()
        let topo = try data.epciTopology()
        let session = try data.session()
        let ctx = GeosContext()
        var checked = 0
        var withNeighbours = 0
        for (code, f) in topo.facts.sorted(by: { $0.key < $1.key }) where !f.detachedParts.isEmpty {
            let polys = try ctx.readWKB(try #require(try session.epciGeometries([code])[code])).polygons()
            let areas = try polys.map { GeodesicMeasure.area(of: try $0.shape()) }
            let main = areas.indices.max { areas[$0] < areas[$1] }!
            let parts = polys.indices.filter { $0 != main }
            #expect(parts.count == f.detachedParts.count, "\(code)")
            let others = topo.pairs(of: code).map(\.other)
            let geoms = try session.epciGeometries(others)
            for (k, p) in zip(parts, f.detachedParts) {
                let touching = try others.filter { try polys[k].intersects(try ctx.readWKB(try #require(geoms[$0]))) }
                // Touching ones are listed; a listed one touches or lies within the tolerance.
                #expect(
                    Set(touching).isSubset(of: Set(p.neighbours)), "\(code) part \(k): \(touching) vs \(p.neighbours)")
                #expect(p.neighbours == p.neighbours.sorted())
                checked += 1
                if !p.neighbours.isEmpty { withNeighbours += 1 }
            }
        }
        #expect(checked > 50 && withNeighbours > 5, "\(checked) parts, \(withNeighbours) meeting another EPCI")
    }

    @Test("A GeoPackage of an older build (no topology tables) is refused, saying to run perimetre data build")
    func olderGeoPackageRefused() throws {
        let path = NSTemporaryDirectory() + "perimetre-old-\(getpid()).gpkg"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let w = try GeoPackageWriter(path: path)
        try w.setMetadata("schema", "1")
        try w.commit()
        #expect {
            _ = try GeoData(path: path)
        } throws: { error in
            "\(error)".contains("perimetre data build")
        }
    }
}
