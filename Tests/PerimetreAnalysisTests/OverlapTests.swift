import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport
import PerimetreTestSupport
import Testing

/// Overlaps with other territory layers: CRTE alignment verdicts on a hand-written CRTE list,
/// relations and shares on a generic membership layer and on polygon layers.
@Suite("Overlaps")
struct OverlapTests {
    /// The hand-written CRTE list (see `ATFixtures.crteRows`), resolved once.
    static let crteLayer: Result<ResolvedLayer, any Error> = Result {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        return try atLayer(try writeFile(dir, "crte.csv", ATFixtures.crte(separator: ";", bom: true, crlf: true)))
    }

    func crte(_ codes: [String]) throws -> CheckResult { try atCheck(codes, against: [try Self.crteLayer.get()]) }

    func overlap(_ r: CheckResult, _ id: String) throws -> Overlap {
        try #require(r.overlaps.first { $0.id == id }, "no overlap with \(id) in \(r.overlaps.map(\.id))")
    }

    // MARK: CRTE alignment

    @Test("Perimeter = exactly one CRTE: identical, aligned")
    func identicalCRTE() throws {
        let r = try crte(["200065647", "247000722"])
        #expect(r.overlaps.map(\.id) == ["crte-25-01"])
        let o = try overlap(r, "crte-25-01")
        #expect(o.relation == .identical)
        #expect(abs(o.shareOfPerimeter - 1) < 1e-9 && abs(o.shareOfOther - 1) < 1e-9)
        #expect(o.sharedMembers == ["200065647", "247000722"])
        let a = try #require(r.crte.first)
        #expect(r.crte.count == 1)
        #expect(a.aligned)
        #expect(a.whole == ["crte-25-01"])
        #expect(a.cut.isEmpty && a.outsideAnyCRTE.isEmpty)
        #expect(!r.findings.contains { $0.rule.rawValue.hasPrefix("crte") })
    }

    @Test("Perimeter = union of two whole CRTE: aligned, both contained")
    func unionOfTwo() throws {
        let r = try crte(["200065647", "247000722", "200069052", "200069060", "249000241"])
        #expect(Set(r.overlaps.map(\.id)) == ["crte-25-01", "crte-90-01"])
        for id in ["crte-25-01", "crte-90-01"] {
            let o = try overlap(r, id)
            #expect(o.relation == .contains, "\(id)")
            #expect(abs(o.shareOfOther - 1) < 1e-9)
            #expect(o.sharedMembers == ATFixtures.crteMembers(id).sorted())
        }
        // The two shares of the perimeter add up to the whole perimeter.
        #expect(abs(r.overlaps.map(\.shareOfPerimeter).reduce(0, +) - 1) < 1e-6)
        let a = try #require(r.crte.first)
        #expect(a.aligned)
        #expect(a.whole == ["crte-25-01", "crte-90-01"])
        #expect(a.cut.isEmpty && a.outsideAnyCRTE.isEmpty)
    }

    @Test("Perimeter cutting a CRTE: crte_cut, the members left out and the perimeter's members in it")
    func cutCRTE() throws {
        let r = try crte(["200065647", "247000722", "200069052"])
        #expect(try overlap(r, "crte-25-01").relation == .contains)
        let belfort = try overlap(r, "crte-90-01")
        #expect(belfort.relation == .partial)
        #expect(belfort.sharedMembers == ["200069052"])
        #expect(belfort.shareOfOther > 0 && belfort.shareOfOther < 1)
        let a = try #require(r.crte.first)
        #expect(!a.aligned)
        #expect(a.whole == ["crte-25-01"])
        let cut = try #require(a.cut.first)
        #expect(a.cut.count == 1)
        #expect(cut.id == "crte-90-01" && cut.name == "Territoire de Belfort")
        #expect(cut.perimeterMembers == ["200069052"])
        #expect(cut.missingMembers == ["200069060", "249000241"])
        #expect(a.outsideAnyCRTE.isEmpty)
        let f = try #require(r.findings.first { $0.rule == .crteCut })
        #expect(f.severity == .attention)
        #expect(f.message.contains("crte-90-01") && f.message.contains("200069060") && f.message.contains("249000241"))
    }

    @Test("A commune listed alone cuts its CRTE; its own EPCI is among the members left out")
    func communeCutsCRTE() throws {
        // Montbéliard (25388) is a commune of Pays de Montbéliard Agglomération (DGCL 2025).
        let r = try crte(["200069052", "200069060", "249000241", "25388"])
        #expect(try overlap(r, "crte-90-01").relation == .contains)
        let pm = try overlap(r, "crte-25-01")
        #expect(pm.relation == .partial)
        #expect(pm.sharedMembers == ["200065647"])  // the CRTE member the commune belongs to
        let a = try #require(r.crte.first)
        #expect(!a.aligned && a.whole == ["crte-90-01"])
        let cut = try #require(a.cut.first { $0.id == "crte-25-01" })
        #expect(cut.perimeterMembers == ["25388"])
        #expect(cut.missingMembers == ["200065647", "247000722"])
    }

    @Test("Perimeter inside a bigger CRTE: inside, the CRTE is cut")
    func insideCRTE() throws {
        let r = try crte(["200069052"])
        #expect(r.overlaps.map(\.id) == ["crte-90-01"])
        let o = try overlap(r, "crte-90-01")
        #expect(o.relation == .inside)
        #expect(abs(o.shareOfPerimeter - 1) < 1e-9 && o.shareOfOther < 1)
        let a = try #require(r.crte.first)
        #expect(!a.aligned && a.whole.isEmpty)
        #expect(a.cut.map(\.id) == ["crte-90-01"])
        #expect(a.cut.first?.missingMembers == ["200069060", "249000241"])
        #expect(a.cut.first?.perimeterMembers == ["200069052"])
    }

    @Test("Communes in no CRTE: outside_any_crte lists them")
    func outsideAnyCRTE() throws {
        // CC du Pays de Villersexel (247000714) is in no CRTE of the fixture.
        let r = try crte(["200065647", "247000722", "247000714"])
        let a = try #require(r.crte.first)
        #expect(!a.aligned)
        #expect(a.whole == ["crte-25-01"] && a.cut.isEmpty)
        #expect(!a.outsideAnyCRTE.isEmpty)
        #expect(a.outsideAnyCRTE.allSatisfy { $0.hasPrefix("70") || $0.hasPrefix("25") })
        if atHasSharedData {
            #expect(
                a.outsideAnyCRTE == (try dgcl().communesByEPCI["247000714"] ?? []),
                "communes of 247000714 in the DGCL table")
        }
        #expect(r.findings.contains { $0.rule == .crteUncovered })
        #expect(try overlap(r, "crte-25-01").shareOfPerimeter < 1)
    }

    @Test("The CRTE verdict is the same whatever the separator, BOM and line ends")
    func variantsAgree() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let codes = ["200065647", "247000722", "200069052"]
        var verdicts: [String] = []
        for (k, v) in [(",", false, false), (";", true, true), (",", true, false)].enumerated() {
            let layer = try atLayer(
                try writeFile(dir, "crte\(k).csv", ATFixtures.crte(separator: v.0, bom: v.1, crlf: v.2)))
            let r = try atCheck(codes, against: [layer])
            let a = try #require(r.crte.first)
            verdicts.append(
                "\(a.aligned) \(a.whole) \(a.cut.map { "\($0.id):\($0.perimeterMembers):\($0.missingMembers)" })")
        }
        #expect(Set(verdicts).count == 1, "\(verdicts)")
    }

    // MARK: Generic membership layer: relations and shares

    @Test(
        "Generic layer: relations, shared members, shares checked against the Etalab areas",
        .enabled(if: atHasSharedData, "\(TestPaths.noSharedData)"))
    func genericShares() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let layer = try atLayer(
            try writeFile(
                dir, "groupements.csv",
                """
                territory_id,territory_name,member
                g-bvs,Belfort et Vosges du Sud,200069052
                g-bvs,Belfort et Vosges du Sud,200069060
                g-pma,Montbéliard,200065647
                g-hor,Pays Horloger,200023075
                g-nfc,Nord Franche-Comté élargi,200065647
                g-nfc,Nord Franche-Comté élargi,247000722
                g-nfc,Nord Franche-Comté élargi,200069052
                g-nfc,Nord Franche-Comté élargi,249000241

                """))
        #expect(layer.layer.format == .generic)
        let perimeter = ["200065647", "247000722", "200069052"]
        let r = try atCheck(perimeter, against: [layer])
        #expect(Set(r.overlaps.map(\.id)) == ["g-bvs", "g-pma", "g-nfc"], "g-hor is far away")
        #expect(r.crte.isEmpty)
        let area = try Dictionary(
            uniqueKeysWithValues: ["200065647", "247000722", "200069052", "200069060", "249000241"].map {
                ($0, try etalabAreaKm2($0))
            })
        let pa = perimeter.map { area[$0]! }.reduce(0, +)

        let bvs = try overlap(r, "g-bvs")
        #expect(bvs.relation == .partial)
        #expect(bvs.sharedMembers == ["200069052"])
        #expect(within(bvs.shareOfPerimeter, area["200069052"]! / pa, rel: 0.02), "\(bvs.shareOfPerimeter)")
        #expect(
            within(bvs.shareOfOther, area["200069052"]! / (area["200069052"]! + area["200069060"]!), rel: 0.02),
            "\(bvs.shareOfOther)")
        #expect(within(bvs.areaKm2, area["200069052"]!, rel: 0.02))

        let pma = try overlap(r, "g-pma")
        #expect(pma.relation == .contains)
        #expect(abs(pma.shareOfOther - 1) < 1e-9)
        #expect(within(pma.shareOfPerimeter, area["200065647"]! / pa, rel: 0.02), "\(pma.shareOfPerimeter)")

        let nfc = try overlap(r, "g-nfc")
        #expect(nfc.relation == .inside)
        #expect(abs(nfc.shareOfPerimeter - 1) < 1e-9)
        #expect(within(nfc.shareOfOther, pa / (pa + area["249000241"]!), rel: 0.02), "\(nfc.shareOfOther)")
        #expect(nfc.sharedMembers == ["200065647", "200069052", "247000722"])
        // Largest shared area first.
        #expect(r.overlaps.map(\.areaKm2) == r.overlaps.map(\.areaKm2).sorted(by: >))
    }

    // MARK: Polygon layers

    /// The polygon layer around Grand Belfort (`bbox`): the Etalab polygons of it and of two
    /// neighbours, `centre`, polygons touching or barely crossing its eastmost point, Paris, and a
    /// strip across it.
    static func zones(around bbox: Envelope, centre: Shape) throws -> String {
        let yMid = (bbox.minY + bbox.maxY) / 2
        let touching = lonLatRect(bbox.maxX, bbox.minY, bbox.maxX + 0.05, bbox.maxY)  // meets the eastmost point
        let barely = lonLatRect(bbox.maxX - 0.00002, bbox.minY, bbox.maxX + 0.05, bbox.maxY)  // ~1.5 m into it
        let far = lonLatRect(2.30, 48.80, 2.40, 48.90)  // Paris
        return try GeoJSONWriter(precision: 9).featureCollection([
            Feature(
                properties: ["id": "gb-etalab", "name": "Grand Belfort (Etalab)"],
                geometry: try etalabShape("200069052")),
            Feature(
                properties: ["id": "st-etalab", "name": "Sud Territoire (Etalab)"],
                geometry: try etalabShape("249000241")),
            Feature(
                properties: ["id": "vs-etalab", "name": "Vosges du Sud (Etalab)"],
                geometry: try etalabShape("200069060")),
            Feature(properties: ["id": "centre", "name": "Belfort centre"], geometry: centre),
            Feature(properties: ["id": "touching", "name": "Touche le bord"], geometry: touching),
            Feature(properties: ["id": "barely", "name": "Déborde à peine"], geometry: barely),
            Feature(properties: ["id": "far", "name": "Paris"], geometry: far),
            Feature(
                properties: ["id": "y", "name": "Y"],
                geometry: lonLatRect(bbox.minX - 0.01, yMid, bbox.maxX + 0.01, yMid + 0.01)),
        ])
    }

    @Test(
        "Polygon layer: an EPCI's Etalab polygon ≈ identical, a small polygon inside → contains, neighbours and edge polygons → edge contacts",
        .enabled(if: atHasSharedData, "\(TestPaths.noSharedData)"))
    func polygonRelations() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The perimeter: CA Grand Belfort. Its bbox (from a first run without layers) places the edge polygons.
        let alone = try atCheck(["200069052"], against: [])
        let centre = lonLatRect(6.85, 47.63, 6.87, 47.645)  // Belfort town centre
        let gj = try Self.zones(around: alone.figures.bbox, centre: centre)
        let layer = try atLayer(try writeFile(dir, "zones.geojson", gj))
        let r = try atCheck(["200069052"], against: [layer])
        #expect(!r.overlaps.contains { $0.id == "far" })
        #expect(r.crte.isEmpty)

        let gbArea = try etalabAreaKm2("200069052")
        let same = try overlap(r, "gb-etalab")
        #expect(!same.edgeContact)
        #expect(
            same.shareOfPerimeter > 0.98 && same.shareOfOther > 0.98, "\(same.shareOfPerimeter) \(same.shareOfOther)")
        #expect(within(same.areaKm2, gbArea, rel: 0.03))
        #expect(within(r.figures.areaKm2, gbArea, rel: 0.03), "GeoData and Etalab areas of Grand Belfort")

        let c = try overlap(r, "centre")
        #expect(c.relation == .contains)
        #expect(!c.edgeContact)
        #expect(within(c.areaKm2, GeodesicMeasure.area(of: centre) / 1e6, rel: 0.001))
        #expect(c.shareOfOther > 0.999)
        #expect(within(c.shareOfPerimeter, c.areaKm2 / r.figures.areaKm2, rel: 1e-6))

        // A strip across the whole perimeter: a real, partial overlap.
        let y = try overlap(r, "y")
        #expect(y.relation == .partial && !y.edgeContact)

        for id in ["touching", "barely", "st-etalab", "vs-etalab"] {
            let e = try overlap(r, id)
            #expect(e.edgeContact, "\(id): \(e.areaKm2) km² should be an edge contact, not an overlap")
            #expect(e.shareOfPerimeter < 0.01, "\(id)")
        }
        #expect(try overlap(r, "touching").areaKm2 < 1e-6)
        #expect(try overlap(r, "barely").areaKm2 < 0.05)
    }

    @Test("A polygon layer from a GeoPackage behaves like the same polygons in GeoJSON")
    func geoPackageLayer() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let centre = lonLatRect(6.85, 47.63, 6.87, 47.645)
        let ctx = GeosContext()
        let path = dir.appendingPathComponent("zones.gpkg").path
        let w = try GeoPackageWriter(path: path)
        try w.addLayer(
            "zones", geometryType: "MULTIPOLYGON",
            columns: [GeoPackageColumn("id", .text), GeoPackageColumn("name", .text)])
        let g = try ctx.multiPolygon([try ctx.geometry(centre)])
        _ = try w.insert(
            "zones", values: [.text("centre"), .text("Belfort centre")], geometry: try g.wkb(), envelope: g.envelope())
        try w.commit()
        let r = try atCheck(["200069052"], against: [try atLayer(path)])
        let o = try overlap(r, "centre")
        #expect(o.layer == "zones")
        #expect(o.relation == .contains)
        #expect(within(o.areaKm2, GeodesicMeasure.area(of: centre) / 1e6, rel: 0.001))
    }

    // MARK: perimetre check --against (CLI)

    @Test(
        "check --against: RECOUVREMENTS in text, overlaps[] and crte[] in JSON, role overlap in GeoJSON",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func checkAgainstCLI() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let crte = try writeFile(dir, "crte.csv", ATFixtures.crte())
        let args = ["check", "200065647", "247000722", "200069052", "--against", crte]
        let text = try runCLI(args)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("RECOUVREMENTS"))
        #expect(text.stdout.contains("crte-90-01") && text.stdout.contains("Territoire de Belfort"))
        #expect(
            text.stdout.contains("200069060") && text.stdout.contains("249000241"), "members left out of the cut CRTE")

        let json = try runCLI(args + ["--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let o = try jsonObject(json.stdout)
        let overlaps = try #require(o["overlaps"] as? [[String: Any]])
        #expect(Set(overlaps.compactMap { $0["id"] as? String }) == ["crte-25-01", "crte-90-01"])
        let cut = try #require(overlaps.first { $0["id"] as? String == "crte-90-01" })
        #expect(cut["relation"] as? String == "partial")
        #expect(cut["layer"] as? String == "crte")
        #expect(cut["shared_members"] as? [String] == ["200069052"])
        for key in ["area_km2", "share_of_perimeter", "share_of_other", "edge_contact", "name"] {
            #expect(cut[key] != nil, "overlaps[].\(key)")
        }
        let alignment = try #require((o["crte"] as? [[String: Any]])?.first)
        #expect(alignment["aligned"] as? Bool == false)
        let cuts = try #require(alignment["cut"] as? [[String: Any]])
        #expect(cuts.first?["missing_members"] as? [String] == ["200069060", "249000241"])
        #expect(cuts.first?["perimeter_members"] as? [String] == ["200069052"])

        let geo = try runCLI(args + ["--format", "geojson"])
        #expect(geo.status == 0, "\(geo.stderr)")
        let features = try #require(try jsonObject(geo.stdout)["features"] as? [[String: Any]])
        let roles = features.compactMap { ($0["properties"] as? [String: Any])?["role"] as? String }
        let overlapFeatures = features.filter { ($0["properties"] as? [String: Any])?["role"] as? String == "overlap" }
        #expect(overlapFeatures.count == 2, "roles: \(Set(roles))")
        #expect(
            Set(overlapFeatures.compactMap { ($0["properties"] as? [String: Any])?["id"] as? String }) == [
                "crte-25-01", "crte-90-01",
            ])
        #expect(overlapFeatures.allSatisfy { $0["geometry"] is [String: Any] })

        // Communes in no CRTE are named in the text report too (Pays de Villersexel: 32 communes in DGCL 2025).
        let outside = try runCLI(["check", "200065647", "247000722", "247000714", "--against", crte])
        #expect(outside.status == 0, "\(outside.stderr)")
        #expect(!outside.stdout.contains("coupe 0 CRTE"))
        let expected = atHasSharedData ? (try dgcl().communesByEPCI["247000714"]?.count ?? -1) : 32
        #expect(outside.stdout.contains("hors de tout CRTE : \(expected) commune(s)"), "\(outside.stdout)")
    }
}
