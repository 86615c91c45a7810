import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

/// Territory layers: format detection on hand-written files, and clear failures on bad input.
@Suite("Territory layers")
struct TerritoryLayerTests {
    // MARK: Detection

    @Test(
        "CRTE list: `,` and `;`, BOM, CRLF all load the same territories and members",
        arguments: [(",", false, false), (";", false, false), (",", true, true), (";", true, true), (";", false, true)])
    func crteVariants(separator: String, bom: Bool, crlf: Bool) throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try writeFile(dir, "crte-2024.csv", ATFixtures.crte(separator: separator, bom: bom, crlf: crlf))
        let layer = try TerritoryLayer.load(path)
        #expect(layer.format == .crte)
        #expect(layer.isCRTE)
        #expect(layer.id == "crte-2024")
        #expect(layer.territories.map(\.id) == ATFixtures.crteIDs)
        #expect(
            layer.territories.map(\.name) == [
                "Pays de Montbéliard, Héricourt", "Territoire de Belfort", "Pays Horloger",
            ])
        for t in layer.territories {
            #expect(t.members.map(\.code) == ATFixtures.crteMembers(t.id), "members of \(t.id)")
            #expect(t.shape == nil)
        }
        let hericourt = try #require(layer.territories[0].members.last)
        #expect(hericourt.name == "CC du Pays d'Héricourt")
        // Origins name the file and the line (line 1 is the header).
        #expect(hericourt.origin == "\(path):3")
    }

    @Test("TI by commune, TI by member, generic (by header and by position)")
    func otherCSVLayouts() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let byCommune = try TerritoryLayer.load(
            try writeFile(
                dir, "ti-communes.csv",
                """
                insee_com;lib_com;id_ti;lib_ti
                90010;Belfort;ti-2708;Nord Franche-Comté
                25388;Montbéliard;ti-2708;Nord Franche-Comté
                25462;Pontarlier;ti-2709;Haut-Doubs

                """))
        #expect(byCommune.format == .tiCommunes)
        #expect(byCommune.territories.map(\.id) == ["ti-2708", "ti-2709"])
        #expect(byCommune.territories[0].members.map(\.code) == ["90010", "25388"])
        #expect(byCommune.territories[0].members.map(\.name) == ["Belfort", "Montbéliard"])

        let byMember = try TerritoryLayer.load(try writeFile(dir, "candidatures.csv", ATFixtures.candidatures))
        #expect(byMember.format == .tiMembers)
        #expect(byMember.territories.map(\.id) == ATFixtures.candidatureOrder)
        #expect(byMember.territories[1].members.map(\.code) == ["200069052", "200069060", "249000241"])
        #expect(byMember.territories[1].name == "Territoire de Belfort")

        let generic = try TerritoryLayer.load(
            try writeFile(
                dir, "generic.csv",
                """
                territory_id,territory_name,member
                g1,Belfort et Vosges du Sud,200069052
                g1,Belfort et Vosges du Sud,200069060
                g2,Montbéliard,200065647

                """))
        #expect(generic.format == .generic)
        #expect(generic.territories.map(\.id) == ["g1", "g2"])
        #expect(generic.territories.map(\.name) == ["Belfort et Vosges du Sud", "Montbéliard"])
        #expect(generic.territories[0].members.map(\.code) == ["200069052", "200069060"])

        // Three columns whose names mean nothing to the detector: taken in order.
        let positional = try TerritoryLayer.load(
            try writeFile(
                dir, "positional.csv",
                """
                Code du groupement,Libellé,Adhérent
                p1,Groupement 1,200069052
                p1,Groupement 1,90010

                """))
        #expect(positional.format == .generic)
        #expect(positional.territories.count == 1)
        #expect(positional.territories[0].name == "Groupement 1")
        #expect(positional.territories[0].members.map(\.code) == ["200069052", "90010"])
    }

    @Test("Polygon layers: GeoJSON with id_territoire/lib_territoire, GeoPackage in Lambert-93")
    func polygonLayers() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = lonLatRect(6.85, 47.63, 6.87, 47.645)
        let b = lonLatRect(6.78, 47.50, 6.80, 47.52)
        let gj = try GeoJSONWriter(precision: 7).featureCollection([
            Feature(properties: ["id_territoire": "t-1", "lib_territoire": "Belfort centre"], geometry: a),
            Feature(properties: ["id_territoire": "t-2", "lib_territoire": "Montbéliard nord"], geometry: b),
        ])
        let layer = try TerritoryLayer.load(try writeFile(dir, "zones.geojson", gj))
        #expect(layer.format == .polygons)
        #expect(layer.territories.map(\.id) == ["t-1", "t-2"])
        #expect(layer.territories.map(\.name) == ["Belfort centre", "Montbéliard nord"])
        #expect(layer.territories.allSatisfy { $0.members.isEmpty && $0.shape != nil })

        // A GeoPackage layer stored in Lambert-93 comes back in lon/lat.
        let l93 = try CoordinateTransformer(from: "EPSG:4326", to: "EPSG:2154")
        let ctx = GeosContext()
        let path = dir.appendingPathComponent("zones.gpkg").path
        let w = try GeoPackageWriter(path: path)
        try w.addLayer(
            "zones", geometryType: "MULTIPOLYGON", srsID: 2154,
            columns: [GeoPackageColumn("code", .text), GeoPackageColumn("libelle", .text)])
        for (id, name, s) in [("z1", "Belfort centre", a), ("z2", "Montbéliard nord", b)] {
            let g = try ctx.multiPolygon([try ctx.geometry(try l93.transform(s))])
            _ = try w.insert("zones", values: [.text(id), .text(name)], geometry: try g.wkb(), envelope: g.envelope())
        }
        try w.commit()
        let gpkg = try TerritoryLayer.load(path)
        #expect(gpkg.format == .polygons)
        #expect(gpkg.territories.map(\.id) == ["z1", "z2"])
        #expect(gpkg.territories.map(\.name) == ["Belfort centre", "Montbéliard nord"])
        let env = try #require(gpkg.territories[0].shape).envelope
        #expect(
            abs(env.minX - 6.85) < 1e-6 && abs(env.maxX - 6.87) < 1e-6 && abs(env.minY - 47.63) < 1e-6
                && abs(env.maxY - 47.645) < 1e-6,
            "Lambert-93 reprojected back to lon/lat: \(env)")
    }

    // MARK: Bad input (library)

    /// Every bad file fails with an error naming the file, and what is wrong.
    @Test("Bad input: each format fails clearly")
    func badInputLibrary() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for bad in try Self.badFiles(dir) {
            do {
                let l = try TerritoryLayer.load(bad.path)
                Issue.record("\(bad.label): loaded \(l.territories.count) territories instead of failing")
            } catch {
                let message = "\(error)"
                #expect(message.contains(bad.path), "\(bad.label): \(message)")
                for needle in bad.mentions {
                    #expect(message.contains(needle), "\(bad.label): «\(needle)» not in «\(message)»")
                }
            }
        }
    }

    // MARK: Bad input (CLI)

    @Test(
        "Bad input through the CLI: exit code 2, the file named, no output file written",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func badInputCLI() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for bad in try Self.badFiles(dir) {
            let out = dir.appendingPathComponent("out-\(bad.label).json").path
            let check = try runCLI(["check", "200069052", "--against", bad.path, "--format", "json", "-o", out])
            #expect(check.status == 2, "check --against \(bad.label): exit \(check.status)")
            #expect(check.stderr.contains(bad.path), "check --against \(bad.label): \(check.stderr)")
            for needle in bad.mentions {
                #expect(check.stderr.contains(needle), "check \(bad.label): «\(needle)» not in \(check.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: out), "check --against \(bad.label) wrote \(out)")

            let audit = try runCLI(["audit", bad.path, "--quiet", "--format", "csv", "-o", out])
            #expect(audit.status == 2, "audit \(bad.label): exit \(audit.status)")
            #expect(audit.stderr.contains(bad.path), "audit \(bad.label): \(audit.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "audit \(bad.label) wrote \(out)")
        }
    }

    struct BadFile {
        var label: String
        var path: String
        var mentions: [String]
    }

    static func badFiles(_ dir: URL) throws -> [BadFile] {
        let lambert = try GeoJSONWriter(precision: 1).featureCollection([
            Feature(
                properties: ["id": "l93", "name": "En Lambert-93"],
                geometry: .polygon([
                    [
                        Coordinate(990_000, 6_730_000), Coordinate(1_000_000, 6_730_000),
                        Coordinate(1_000_000, 6_740_000), Coordinate(990_000, 6_730_000),
                    ]
                ]))
        ])
        let noID = try GeoJSONWriter().featureCollection([
            Feature(properties: ["id": "ok", "name": "Avec id"], geometry: lonLatRect(6.85, 47.63, 6.87, 47.645)),
            Feature(properties: ["name": "Sans id", "surface": 12], geometry: lonLatRect(6.78, 47.50, 6.80, 47.52)),
        ])
        return [
            BadFile(
                label: "unknown-layout", path: try writeFile(dir, "inconnu.csv", "colonne_a;colonne_b\n1;2\n"),
                mentions: [
                    "couche de territoires de forme inconnue", "id_crte", "insee_com", "siren_membre", "générique",
                ]),
            BadFile(label: "empty", path: try writeFile(dir, "vide.csv", ""), mentions: ["vide"]),
            BadFile(
                label: "ragged",
                path: try writeFile(
                    dir, "ragged.csv",
                    ATFixtures.crte().replacingOccurrences(
                        of: "crte-90-01,Territoire de Belfort,EPCI,200069060,CC,CC des Vosges du Sud",
                        with: "crte-90-01,Territoire de Belfort,EPCI,200069060")),
                mentions: [":5:", "4 champs", "6"]),
            BadFile(
                label: "no-id", path: try writeFile(dir, "sans-id.geojson", noID),
                mentions: ["entité 2", "pas de propriété d'identifiant"]),
            BadFile(
                label: "lambert93", path: try writeFile(dir, "lambert.geojson", lambert),
                mentions: ["pas en lon/lat", "Lambert-93"]),
            BadFile(
                label: "not-gpkg", path: try writeFile(dir, "faux.gpkg", "id,name\n1,pas une base\n"),
                mentions: ["pas un GeoPackage"]),
            BadFile(label: "missing", path: dir.appendingPathComponent("absent.csv").path, mentions: ["illisible"]),
        ]
    }
}
