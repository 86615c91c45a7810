import Foundation
import PerimetreTestSupport
import Testing

/// The map layers' API: France for the start view, département outlines, and with
/// `--territories` the "Partir de…" search and the territory outlines.
@Suite("perimetre serve map API")
struct MapAPITests {
    static func features(_ a: HTTPAnswer) throws -> [[String: Any]] {
        try #require(try a.json()["features"] as? [[String: Any]], "not a FeatureCollection: \(a.text.prefix(200))")
    }

    /// Every [lon, lat] pair of a GeoJSON geometry.
    static func coordinates(_ geometry: Any?) -> [[Double]] {
        if let pair = geometry as? [Double], pair.count == 2 { return [pair] }
        if let g = geometry as? [String: Any] { return coordinates(g["coordinates"]) }
        if let a = geometry as? [Any] { return a.flatMap { coordinates($0) } }
        return []
    }

    static func box(_ geometry: Any?) -> (minX: Double, minY: Double, maxX: Double, maxY: Double) {
        let cs = coordinates(geometry)
        return (
            cs.map { $0[0] }.min() ?? .nan, cs.map { $0[1] }.min() ?? .nan, cs.map { $0[0] }.max() ?? .nan,
            cs.map { $0[1] }.max() ?? .nan
        )
    }

    @Test("GET /api/france: the 18 régions, named, with shared borders, in a light answer")
    func france() async throws {
        let a = try await RawHTTP.get("/api/france")
        #expect(a.status == 200)
        // The page's data for France must stay light (target: all of it under 1.5 MB).
        #expect(a.body.count < 600_000, "France is \(a.body.count) bytes")
        let fs = try Self.features(a)
        let regions = fs.filter { ($0["properties"] as? [String: Any])?["role"] as? String == "region" }
        let byCode = Dictionary(
            uniqueKeysWithValues: regions.map { (($0["properties"] as! [String: Any])["code"] as! String, $0) })
        #expect(byCode.count == 18)
        #expect((byCode["27"]?["properties"] as? [String: Any])?["name"] as? String == "Bourgogne-Franche-Comté")
        #expect(
            Set((byCode["27"]?["properties"] as? [String: Any])?["departements"] as? [String] ?? []) == [
                "21", "25", "39", "58", "70", "71", "89", "90",
            ])
        // Corse holds Ajaccio (8.74 E, 41.93 N) and Bastia (9.45 E, 42.70 N); La Réunion holds Saint-Denis (55.45 E, 20.88 S).
        let corse = Self.box(byCode["94"]?["geometry"])
        #expect(corse.minX < 8.74 && corse.maxX > 9.45 && corse.minY < 41.93 && corse.maxY > 42.70)
        let reunion = Self.box(byCode["04"]?["geometry"])
        #expect(reunion.minX < 55.45 && reunion.maxX > 55.45 && reunion.minY < -20.88 && reunion.maxY > -20.88)
        // Neighbours were simplified on shared arcs: Bourgogne-Franche-Comté and Auvergne-Rhône-Alpes have common vertices.
        let bfc = Set(Self.coordinates(byCode["27"]?["geometry"]).map { "\($0[0]) \($0[1])" })
        let ara = Set(Self.coordinates(byCode["84"]?["geometry"]).map { "\($0[0]) \($0[1])" })
        #expect(bfc.intersection(ara).count > 10)
        // Borders between départements of a région, for the metropole and the DROM.
        #expect(
            fs.filter { ($0["properties"] as? [String: Any])?["role"] as? String == "departement_borders" }.count == 2)
    }

    @Test("GET /api/departement-outlines: a région's départements with a label point inside their box")
    func departementOutlines() async throws {
        let fs = try Self.features(try await RawHTTP.get("/api/departement-outlines?region=27"))
        #expect(
            Set(fs.compactMap { ($0["properties"] as? [String: Any])?["code"] as? String }) == [
                "21", "25", "39", "58", "70", "71", "89", "90",
            ])
        for f in fs {
            let p = try #require(f["properties"] as? [String: Any])
            let label = try #require(p["label"] as? [Double])
            let b = Self.box(f["geometry"])
            #expect(label[0] > b.minX && label[0] < b.maxX && label[1] > b.minY && label[1] < b.maxY)
        }
        let one = try Self.features(try await RawHTTP.get("/api/departement-outlines?departement=2A"))
        #expect(one.count == 1)
        #expect(try await RawHTTP.get("/api/departement-outlines?region=99").status == 400)
        #expect(try await RawHTTP.get("/api/departement-outlines").status == 400)
    }

    @Test("The page's style gives every focused control a visible focus ring")
    func focusStyle() async throws {
        let css = try await RawHTTP.get("/app.css").text
        #expect(css.contains(":focus-visible{outline:3px solid"))
        #expect(css.contains("#map path.epci:focus-visible"))
    }
}

@Suite(
    "perimetre serve --territories API",
    .enabled(if: TestServer.hasTerritoryFiles, "the shared TI and CRTE lists are missing: skipped"))
struct TerritoryAPITests {
    @Test("GET /api/layers lists the --territories layer first, then the --against layers")
    func layers() async throws {
        let port = try await TestServer.withTerritories.value
        let l =
            try JSONSerialization.jsonObject(with: Data(try await RawHTTP.get("/api/layers", port: port).body))
            as? [[String: Any]]
        #expect(l?.compactMap { $0["id"] as? String } == ["ti_2023_2027_membres", "liste_crte_groupements_2022"])
        #expect(l?.compactMap { $0["role"] as? String } == ["territories", "against"])
        #expect(l?.first?["territories"] as? Int == 183)
    }

    @Test("GET /api/territories: a TI by id or name, with its members as the file lists them")
    func search() async throws {
        let port = try await TestServer.withTerritories.value
        let r =
            try JSONSerialization.jsonObject(
                with: Data(try await RawHTTP.get("/api/territories?q=ti-2708", port: port).body)) as? [[String: Any]]
        let first = try #require(r?.first)
        #expect(first["id"] as? String == "ti-2708" && first["name"] as? String == "Nord Franche-Comté")
        #expect(first["members"] as? [String] == ["200065647", "200069052", "200069060", "247000722", "249000241"])
        let byName =
            try JSONSerialization.jsonObject(
                with: Data(try await RawHTTP.get("/api/territories?q=pays%20beaunois", port: port).body))
            as? [[String: Any]]
        #expect(
            byName?.contains {
                $0["id"] as? String == "crte-27-21-11" && $0["layer"] as? String == "liste_crte_groupements_2022"
            } == true)
        let none = try await RawHTTP.get("/api/territories?q=", port: port)
        #expect(none.status == 200 && none.text == "[]")
    }

    @Test("GET /api/outlines: the TI of a région as outlines; Nord Franche-Comté covers Belfort and Montbéliard")
    func outlines() async throws {
        let port = try await TestServer.withTerritories.value
        let fs = try MapAPITests.features(
            try await RawHTTP.get("/api/outlines?layer=ti_2023_2027_membres&region=27", port: port))
        let ti = try #require(fs.first { ($0["properties"] as? [String: Any])?["id"] as? String == "ti-2708" })
        let b = MapAPITests.box(ti["geometry"])
        // Belfort (6.86 E, 47.64 N) and Montbéliard (6.80 E, 47.51 N).
        #expect(b.minX < 6.80 && b.maxX > 6.86 && b.minY < 47.51 && b.maxY > 47.64)
        // A TI of another région (Basse-Terre, Guadeloupe) is not among them.
        #expect(!fs.contains { ($0["properties"] as? [String: Any])?["id"] as? String == "ti-0101" })
        #expect(try await RawHTTP.get("/api/outlines?layer=nope&region=27", port: port).status == 400)
        #expect(try await RawHTTP.get("/api/outlines?region=27", port: port).status == 400)
    }
}
