import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport
import PerimetreTestSupport
import Testing

/// What a drawn polygon covers, measured here from the GeoPackage's own layers with the geometry
/// layer (GEOS overlays, geodesic areas) — never from the analysis's output:
/// - `core[X]`: in country X's Natural Earth polygon and no French commune;
/// - `noCountry`: in no country polygon, no commune and no lake (the open sea);
/// - `lake`: in a Natural Earth lake, no commune and no neighbour's polygon;
/// - `strips`: in Natural Earth's France, no commune and no lake — slivers along the land borders
///   (land of a neighbour) and the foreshore (sea): the only area whose attribution is a choice.
struct ExpectedSplit {
    var polygon = 0.0
    var french = 0.0
    var core: [String: Double] = [:]
    var noCountry = 0.0
    var lake = 0.0
    var strips = 0.0

    init(_ shape: Shape) throws {
        let ctx = GeosContext()
        let s = try geoData().session()
        let p = try ctx.multiPolygon([try ctx.geometry(shape)])
        let env = p.envelope()
        polygon = GeodesicMeasure.area(of: shape) / 1e6
        let fr = try ctx.unaryUnion(try s.territories(intersecting: env).map { try ctx.readWKB($0.geometry) })
        french = try p.intersection(fr).geodesicArea() / 1e6
        let outside = try p.difference(fr)
        var countries: [Geometry] = []
        var neFrance: Geometry? = nil
        for (c, wkb) in try s.countries(intersecting: env) {
            let g = try ctx.readWKB(wkb)
            countries.append(g)
            if c.code == "FRA" {
                neFrance = g
                continue
            }
            let a = try outside.intersection(g).geodesicArea() / 1e6
            if a > 0 { core[c.code] = a }
        }
        let lakes = try (s.lakes(intersecting: env) ?? []).map { try ctx.readWKB($0.geometry) }
        let water = lakes.isEmpty ? try ctx.emptyPolygon() : try ctx.unaryUnion(lakes)
        let foreign = try ctx.unaryUnion(countries.filter { $0 !== neFrance })
        lake = try outside.difference(foreign).intersection(water).geodesicArea() / 1e6
        let land = try ctx.unaryUnion(countries)
        noCountry = try outside.difference(land).difference(water).geodesicArea() / 1e6
        if let neFrance {
            strips = try outside.intersection(neFrance).difference(foreign).difference(water).geodesicArea() / 1e6
        }
    }

    /// The countries that hold more than `km2` of the polygon outside the communes.
    func countries(over km2: Double) -> [String] { core.filter { $0.value > km2 }.keys.sorted() }
}

@Suite("check: drawn perimeters abroad, split by country, lake and sea")
struct AbroadTests {
    /// The analysis's split checked against `ExpectedSplit`: the parts add up to the polygon
    /// (0.1 %), each country holds its own polygon's part plus at most the strips, the sea holds
    /// the open sea plus at most the strips, and the strips are all given to someone.
    @discardableResult
    func checkSplit(
        _ shape: Shape, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (CheckResult, ExpectedSplit) {
        let r = try checkDrawn(shape, id: label)
        let e = try ExpectedSplit(shape)
        let b = r.border
        let french = try #require(b.frenchPartKm2, "\(label): a French part", sourceLocation: sourceLocation)
        let sea = try #require(b.seaKm2, sourceLocation: sourceLocation)
        let lake = try #require(b.lakeKm2, sourceLocation: sourceLocation)
        let polygon = try #require(b.polygonKm2, sourceLocation: sourceLocation)
        let countries = b.abroad.reduce(0) { $0 + $1.areaKm2 }
        #expect(
            within(polygon, e.polygon, rel: 1e-6), "\(label): polygon \(polygon) vs \(e.polygon) km²",
            sourceLocation: sourceLocation)
        #expect(
            within(french + countries + lake + sea, e.polygon, rel: 0.001),
            "\(label): \(french) + \(countries) + \(lake) + \(sea) vs \(e.polygon) km²", sourceLocation: sourceLocation)
        #expect(
            within(french, e.french, rel: 1e-4), "\(label): French part \(french) vs \(e.french) km²",
            sourceLocation: sourceLocation)
        let slack = 0.01 + 1e-4 * e.polygon
        for a in b.abroad {
            let core = e.core[a.code] ?? 0
            #expect(
                a.areaKm2 >= core - slack && a.areaKm2 <= core + e.strips + slack,
                "\(label): \(a.code) \(a.areaKm2) km², its polygon's part \(core), strips \(e.strips)",
                sourceLocation: sourceLocation)
            #expect(
                abs(a.areaKm2 - a.sliverKm2 - core) <= slack, "\(label): \(a.code) slivers \(a.sliverKm2)",
                sourceLocation: sourceLocation)
        }
        for (code, core) in e.core where core > slack {
            #expect(
                b.abroad.contains { $0.code == code }, "\(label): \(code) (\(core) km²) missing",
                sourceLocation: sourceLocation)
        }
        #expect(
            sea >= e.noCountry - slack && sea <= e.noCountry + e.strips + slack,
            "\(label): sea \(sea) km², open sea \(e.noCountry), strips \(e.strips)", sourceLocation: sourceLocation)
        #expect(
            lake >= e.lake - slack && lake <= e.lake + e.strips + slack,
            "\(label): lake \(lake) km², lake waters \(e.lake), strips \(e.strips)", sourceLocation: sourceLocation)
        // Each strip goes to one part only: what the countries, the lake and the sea got beyond
        // their own polygons' parts adds up to the strips.
        let beyond = b.abroad.reduce(0) { $0 + $1.sliverKm2 } + (lake - e.lake) + (sea - e.noCountry)
        #expect(
            abs(beyond - e.strips) <= 2 * slack,
            "\(label): \(beyond) km² given beyond the polygons vs strips \(e.strips)",
            sourceLocation: sourceLocation)
        return (r, e)
    }

    func area(_ r: CheckResult, _ code: String) -> Double { r.border.abroad.first { $0.code == code }?.areaKm2 ?? 0 }

    @Test("Bâle: Switzerland and Germany each get their own part, no sea")
    func basel() throws {
        let (r, e) = try checkSplit(lonLatRect(7.30, 47.45, 7.75, 47.75), "bale")
        #expect(r.border.abroad.map(\.code) == ["CHE", "DEU"])
        // The issue's rough figure: about 250 km² Swiss.
        #expect((200...320).contains(area(r, "CHE")), "CHE \(area(r, "CHE"))")
        #expect(area(r, "DEU") > 150)
        #expect(r.border.seaKm2! < 0.01 && e.noCountry < 0.01)
    }

    @Test("Dunkerque: Belgium, and the North Sea reported as sea")
    func dunkerque() throws {
        let (r, e) = try checkSplit(lonLatRect(2.20, 50.95, 2.75, 51.20), "dunkerque")
        #expect(r.border.abroad.map(\.code) == ["BEL"])
        #expect((200...320).contains(area(r, "BEL")), "BEL \(area(r, "BEL"))")
        #expect(r.border.seaKm2! > 300 && e.noCountry > 300, "sea \(r.border.seaKm2!)")
    }

    @Test("Menton: Monaco, Italy and the sea")
    func menton() throws {
        let (r, _) = try checkSplit(lonLatRect(7.35, 43.70, 7.60, 43.85), "menton")
        #expect(r.border.abroad.map(\.code) == ["ITA", "MCO"])
        #expect((1...3).contains(area(r, "MCO")), "MCO \(area(r, "MCO"))")
        #expect(r.border.seaKm2! > 50)
    }

    @Test("Cerdagne: Spain (Llívia included) and Andorra, no sea")
    func cerdagne() throws {
        let (r, _) = try checkSplit(lonLatRect(1.65, 42.40, 2.05, 42.60), "cerdagne")
        #expect(r.border.abroad.map(\.code) == ["AND", "ESP"])
        #expect((40...110).contains(area(r, "AND")), "AND \(area(r, "AND"))")
        #expect(r.border.seaKm2! < 0.5)
    }

    @Test("all of metropolitan France: every neighbour its own part, the sea as sea")
    func metropole() throws {
        let (r, e) = try checkSplit(lonLatRect(-5.3, 41.3, 9.6, 51.1), "metropole")
        let codes = Set(r.border.abroad.map(\.code))
        #expect(codes.isSuperset(of: ["AND", "BEL", "CHE", "DEU", "ESP", "ITA", "LUX", "MCO"]), "\(codes.sorted())")
        #expect(within(area(r, "ESP"), e.core["ESP"]!, rel: 0.01), "ESP \(area(r, "ESP")) vs \(e.core["ESP"]!)")
        #expect(r.border.seaKm2! > 300_000)
    }

    @Test("a polygon around Monaco, on land: Monaco is the only country abroad")
    func monacoOnly() throws {
        // Monaco's Natural Earth polygon widened by 400 m (Lambert-93), kept on land.
        let ctx = GeosContext()
        let s = try geoData().session()
        let box = Envelope(minX: 7.3, minY: 43.6, maxX: 7.6, maxY: 43.9)
        let countries = try s.countries(intersecting: box)
        let mco = try ctx.readWKB(try #require(countries.first { $0.country.code == "MCO" }).geometry)
        let fra = try ctx.readWKB(try #require(countries.first { $0.country.code == "FRA" }).geometry)
        let l93 = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:2154")
        let back = try CoordinateTransformer(from: "EPSG:2154", to: "EPSG:4326")
        let widened = try back.transform(try l93.transform(mco).buffer(400))
        let onLand = try widened.intersection(try fra.union(mco)).clipped(to: box)
        let shape = try ctx.multiPolygon([onLand]).shape()
        let (r, e) = try checkSplit(shape, "monaco")
        #expect(r.border.abroad.map(\.code) == ["MCO"], "\(r.border.abroad.map(\.code))")
        #expect(e.countries(over: 0.001) == ["MCO"])
        #expect(r.border.seaKm2! < 0.5)
    }

    @Test("Lake Geneva: Swiss waters to Switzerland, French waters as lake, nothing at sea")
    func lakeGeneva() throws {
        let (r, e) = try checkSplit(lonLatRect(6.40, 46.37, 6.70, 46.47), "leman")
        #expect(r.border.abroad.map(\.code) == ["CHE"])
        #expect(e.lake > 50, "French waters of the lake in the rectangle: \(e.lake) km²")
        #expect(r.border.lakeKm2! > 50)
        #expect(r.border.seaKm2! < 1, "sea \(r.border.seaKm2!) km² in a lake")
    }

    @Test("Menton in the reports: text lists each part and the sum, JSON gives sea_km2, GeoJSON and HTML draw them")
    func reports() throws {
        let r = try checkDrawn(lonLatRect(7.35, 43.70, 7.60, 43.85), id: "menton")
        let b = r.border
        let text = TextReport.render(r)
        for a in b.abroad {
            #expect(
                text.contains("Hors de France, \(a.nameFR) : \(French.km2(a.areaKm2))"), "\(a.code) in the text report")
        }
        #expect(text.contains("En mer : \(French.km2(b.seaKm2!))"))
        #expect(text.contains("pour un polygone de \(French.km2(b.polygonKm2!))"))
        let json = try jsonObject(try JSONReport.render(r))
        let border = try #require(json["border"] as? [String: Any])
        let abroad = try #require(border["abroad"] as? [[String: Any]])
        #expect(abroad.compactMap { $0["code"] as? String } == ["ITA", "MCO"])
        #expect(abroad.allSatisfy { $0["sliver_km2"] is Double })
        let sea = try #require(border["sea_km2"] as? Double)
        #expect(abs(sea - b.seaKm2!) < 0.001)
        #expect(border["polygon_km2"] is Double && border["lake_km2"] is Double)
        let geojson = try jsonObject(try GeoJSONReport.render(r))
        let roles = try #require(geojson["features"] as? [[String: Any]]).compactMap {
            ($0["properties"] as? [String: Any])?["role"] as? String
        }
        #expect(roles.filter { $0 == "abroad" }.count == 2 && roles.contains("sea") && roles.contains("french_part"))
        let html = HTMLReport.render(r)
        #expect(html.contains("<pattern id=\"sea-hatch\""))
        #expect(html.contains("fill=\"url(#sea-hatch)\""))
        #expect(html.contains("<title>Hors de France : Monaco"))
        #expect(html.contains("<title>Hors de France : Italie"))
    }

    @Test("a polygon wholly abroad: a clear error")
    func whollyAbroad() throws {
        #expect {
            try checkDrawn(lonLatRect(7.30, 46.85, 7.50, 47.00), id: "berne")
        } throws: { e in
            String(describing: e).contains("le polygone ne couvre aucune commune française")
        }
    }
}

@Suite(
    "bad inputs: drawn perimeters that cannot be attributed",
    .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
struct AbroadBadInputTests {
    static func feature(_ ring: [[Double]]) -> String {
        #"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[["#
            + ring.map { "[\($0[0]),\($0[1])]" }.joined(separator: ",") + "]]}}"
    }

    /// Exit 2, the file and the reason named on stderr, nothing on stdout.
    func expectRefused(
        _ name: String, _ ring: [[Double]], mentions: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try writeFile(dir, name, Self.feature(ring))
        let run = try runCLI(["check", "--geometry", p, "--format", "json"])
        #expect(run.status == 2, "exit \(run.status): \(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stdout.isEmpty, sourceLocation: sourceLocation)
        for n in mentions {
            #expect(run.stderr.contains(n), "stderr lacks «\(n)»: \(run.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test("a polygon crossing the antimeridian (170° E to 170° W): refused, not read as the rest of the globe")
    func antimeridian() throws {
        // As planar lon/lat, this ring covers 340° of longitude, France included.
        try expectRefused(
            "antimeridien.geojson", [[170, 40], [-170, 40], [-170, 50], [170, 50], [170, 40]],
            mentions: ["antimeridien.geojson", "340", "antiméridien"])
    }

    @Test("a polygon wrapping the globe: refused")
    func globe() throws {
        try expectRefused(
            "globe.geojson", [[-180, -60], [180, -60], [180, 80], [-180, 80], [-180, -60]],
            mentions: ["globe.geojson", "360", "fait le tour du globe"])
    }

    @Test("a polygon wholly in Switzerland: exit 2, « le polygone ne couvre aucune commune française »")
    func whollyAbroad() throws {
        try expectRefused(
            "berne.geojson", [[7.30, 46.85], [7.50, 46.85], [7.50, 47.00], [7.30, 47.00], [7.30, 46.85]],
            mentions: ["le polygone ne couvre aucune commune française"])
    }
}
