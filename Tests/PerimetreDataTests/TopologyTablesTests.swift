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
                case .withinTolerance: #expect(e.lengthMetres > 0 && e.lengthMetres <= TopologyParameters.toleranceMetres)
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
        #expect(topo.facts["29155"]?.island == true)    // Ouessant
        #expect(topo.facts["29019"]?.island == false)   // Brest
        #expect((topo.facts["29019"]?.freeBoundaryMetres ?? 0) > 1000)   // on the sea
        #expect((topo.facts["45234"]?.freeBoundaryMetres ?? 1) < 1)      // Orléans: inland
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
