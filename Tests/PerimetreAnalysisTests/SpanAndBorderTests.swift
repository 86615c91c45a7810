import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

/// The Genevois français: CC du Genevois, Annemasse Agglo, Pays de Gex Agglo (codes checked with `epci search`).
let genevois = ["247400690", "200011773", "240100750"]

@Suite("check: administrative span", .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
struct SpanTests {
    /// Area and population shares per département, worked out from the DGCL table (commune →
    /// département), GeoData commune areas and BANATIC populations.
    func expectedShares(_ epci: [String]) throws -> [String: (area: Double, pop: Double, count: Int)] {
        let table = try dgcl()
        let b = try banatic()
        let communes = epci.flatMap { table.communesByEPCI[$0] ?? [] }
        let attrs = try geoDataCommunes(communes)
        var area: [String: Double] = [:]
        var pop: [String: Int] = [:]
        var count: [String: Int] = [:]
        for c in communes {
            let d = table.departementByCommune[c]!
            area[d, default: 0] += attrs[c]?.areaKm2 ?? 0
            pop[d, default: 0] += b.byINSEE[c]?.pmun ?? 0
            count[d, default: 0] += 1
        }
        let ta = area.values.reduce(0, +)
        let tp = Double(pop.values.reduce(0, +))
        return Dictionary(
            uniqueKeysWithValues: area.keys.map { ($0, (area[$0]! / ta, Double(pop[$0]!) / tp, count[$0]!)) })
    }

    @Test("Nord Franche-Comté spans the Doubs, the Haute-Saône and the Territoire de Belfort")
    func interdepartemental() throws {
        let r = try check(nordFrancheComte)
        let expected = try expectedShares(nordFrancheComte)
        #expect(Set(r.span.departements.map(\.code)) == Set(expected.keys))
        #expect(r.span.interdepartemental && !r.span.interregional)
        for d in r.span.departements {
            let e = try #require(expected[d.code])
            #expect(d.communeCount == e.count, "\(d.code) communes")
            #expect(abs(d.areaShare - e.area) < 0.002, "\(d.code) area share \(d.areaShare) vs \(e.area)")
            // BANATIC populations are of 2024, GeoData's of another vintage: 1 point of share.
            #expect(
                abs(d.populationShare - e.pop) < 0.01, "\(d.code) population share \(d.populationShare) vs \(e.pop)")
        }
        #expect(abs(r.span.departements.reduce(0) { $0 + $1.areaShare } - 1) < 1e-9)
        // Sorted by area share, largest first.
        #expect(r.span.departements.map(\.areaShare) == r.span.departements.map(\.areaShare).sorted(by: >))
        #expect(r.span.departements.first { $0.code == "90" }?.name == "Territoire de Belfort")
        let f = try #require(r.findings.first { $0.rule == .interdepartemental })
        #expect(
            f.severity == .info && f.faq == "2.5" && f.message.contains("Doubs") && f.message.contains("Haute-Saône"))
        #expect(!r.findings.contains { $0.rule == .interregional })
    }

    @Test("Grand Belfort + Sud Alsace Largue is interregional: Bourgogne-Franche-Comté and Grand Est")
    func interregional() throws {
        let belfort = "200069052"
        let largue = "200066033"
        #expect(try Lambert93().adjacent(belfort, largue), "adjacent on the Etalab contours")
        let r = try check([belfort, largue])
        let b = try banatic()
        let table = try dgcl()
        let communes = [belfort, largue].flatMap { table.communesByEPCI[$0] ?? [] }
        let regions = Set(communes.compactMap { b.byINSEE[$0]?.region })
        #expect(regions == ["27", "44"])
        #expect(Set(r.span.regions.map(\.code)) == regions)
        #expect(r.span.interregional)
        let names = Dictionary(uniqueKeysWithValues: r.span.regions.map { ($0.code, $0) })
        #expect(names["27"]?.name == "Bourgogne-Franche-Comté")
        #expect(names["44"]?.name == "Grand Est")
        // Préfectures de région (chefs-lieux): Dijon and Strasbourg.
        #expect(names["27"]?.prefecture?.hasPrefix("Dijon") == true)
        #expect(names["44"]?.prefecture?.hasPrefix("Strasbourg") == true)
        // Population shares by région from BANATIC.
        let pop27 = Double(b.population(communes.filter { b.byINSEE[$0]?.region == "27" }))
        let share27 = pop27 / Double(b.population(communes))
        #expect(abs((names["27"]?.populationShare ?? 0) - share27) < 0.01)
        let f = try #require(r.findings.first { $0.rule == .interregional })
        #expect(f.severity == .info && f.faq == "2.5")
        #expect(f.message.contains("Dijon") && f.message.contains("Strasbourg"))
        #expect(r.findings.contains { $0.rule == .interdepartemental })
    }
}

@Suite("check: borders")
struct BorderTests {
    @Test(
        "the Genevois français is frontalier with Switzerland, within 3 km",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func genevoisFrontalier() throws {
        // Independent evidence: the Moillesulaz border crossing (Gaillard/Thônex, about 6.201 E
        // 46.195 N, known to some 0.5 km) lies on the outline of Annemasse Agglo in the Etalab contours.
        let l = try Lambert93()
        let crossing = try l.toL93.transform(try l.ctx.geometry(.point(Coordinate(6.2012, 46.1953))))
        #expect(try l.metric(code: "200011773").distance(crossing) < 1000)

        let r = try check(genevois)
        #expect(r.contiguity.contiguous)
        #expect(r.border.frontalier)
        let che = try #require(r.border.neighbours.first { $0.code == "CHE" })
        #expect(che.distanceMetres <= 3000)
        #expect(che.nameFR == "Suisse")
        #expect(r.border.abroad.isEmpty && r.border.frenchPartKm2 == nil, "members are French: nothing abroad")
        let f = try #require(r.findings.first { $0.rule == .crossBorder })
        #expect(f.severity == .info && f.faq == "2.5" && f.message.contains("Suisse"))
    }

    @Test("an inland perimeter in the Cantal is not frontalier")
    func cantalInland() throws {
        // The Cantal lies over 250 km from any land border (Spain, Italy, Switzerland).
        let r = try check([aurillac])
        #expect(!r.border.frontalier)
        #expect(r.border.neighbours.isEmpty)
        #expect(r.border.nearby.isEmpty)
        #expect(!r.findings.contains { $0.rule == .crossBorder })
    }

    @Test(
        "a polygon drawn across Geneva: Swiss part abroad, French part + abroad = polygon",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func drawnAcrossGeneva() throws {
        let rect = lonLatRect(6.0, 46.1, 6.3, 46.3)
        let total = GeodesicMeasure.area(of: rect) / 1e6
        let r = try checkDrawn(rect)
        #expect(r.members.first?.kind == .polygon)
        #expect(within(r.figures.areaKm2, total, rel: 1e-6))
        #expect(r.border.frontalier)
        let che = try #require(r.border.abroad.first { $0.code == "CHE" })
        let french = try #require(r.border.frenchPartKm2)
        let abroad = r.border.abroad.reduce(0) { $0 + $1.areaKm2 }
        #expect(within(french + abroad, total, rel: 0.002), "\(french) + \(abroad) vs \(total) km²")
        // The Geneva canton (282 km², lake included) is mostly inside the rectangle.
        #expect((150...282).contains(che.areaKm2), "Swiss part \(che.areaKm2) km²")

        // The French part measured on the Etalab EPCI contours clipped to the rectangle.
        let ctx = GeosContext()
        let box = try ctx.geometry(rect)
        var frenchEtalab = 0.0
        for (_, s) in try etalab() where s.envelope.intersects(rect.envelope) {
            let g = try ctx.geometry(s)
            if try g.intersects(box) { frenchEtalab += try g.intersection(box).geodesicArea() / 1e6 }
        }
        // 100 m simplification along some 60 km of border and lake shore: within 3 %.
        #expect(within(french, frenchEtalab, rel: 0.03), "French part \(french) km² vs Etalab \(frenchEtalab) km²")
        let f = try #require(r.findings.first { $0.rule == .crossBorder })
        #expect(f.message.contains("hors de France"))
    }
}
