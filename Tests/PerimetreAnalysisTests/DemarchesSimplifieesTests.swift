import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

/// Démarches Simplifiées exports read directly: the spreadsheet readers (XLSX, ODS) on cells
/// written here, then the 183 Territoires d'industrie of 2023-2027 as a DS export audited against
/// the same list read from ANCT's CSV.
@Suite("Démarches Simplifiées")
struct DemarchesSimplifieesTests {
    // MARK: Spreadsheet readers

    /// Strings, numbers in both notations, an INSEE code with its leading zero, a gap of empty
    /// cells, an inline string, a header merged over two columns.
    static let basicSheet = DSSheet(
        name: "Feuil 1",
        rows: [
            [.text("Groupe"), .empty, .text("Date")],
            [.text("SIREN"), .text("INSEE"), .empty, .text("Déposé")],
            [.number("200065647"), .text("01001"), .empty, .number("45200.4375")],
            [.number("2.00065647E8"), .inline("2A004 & co"), .empty, .empty, .text("loin")],
        ], merges: ["A1:B1"])

    @Test("XLSX: shared and inline strings, numbers without .0 nor exponent, leading zeros, empty cells, merged header")
    func xlsxCells() throws {
        let book = try SpreadsheetReader.parse(try XLSXFixture.data([Self.basicSheet]), source: "t.xlsx")
        let rows = try #require(book.sheets.first).rows
        #expect(book.sheets.map(\.name) == ["Feuil 1"])
        #expect(rows.map(\.number) == [1, 2, 3, 4])
        #expect(rows[0].text(0) == "Groupe" && rows[0].text(1) == "Groupe")  // merged A1:B1
        #expect(rows[0].text(2) == "Date")
        #expect(rows[2].text(0) == "200065647" && rows[2].text(1) == "01001")
        #expect(rows[2].cells[2] == nil && rows[2].text(3) == "45200.4375" && rows[2].cells[3]?.number == 45200.4375)
        #expect(rows[3].text(0) == "200065647" && rows[3].text(1) == "2A004 & co" && rows[3].text(4) == "loin")
        #expect(
            Spreadsheet.columnLetters(0) == "A" && Spreadsheet.columnLetters(25) == "Z"
                && Spreadsheet.columnLetters(26) == "AA"
                && Spreadsheet.columnLetters(16_383) == "XFD")
    }

    @Test("ODS: the same cells, LibreOffice's repeated empty rows and columns skipped")
    func odsCells() throws {
        let book = try SpreadsheetReader.parse(try ODSFixture.data([Self.basicSheet]), source: "t.ods")
        let rows = try #require(book.sheets.first).rows
        #expect(rows.count == 4)
        #expect(rows[2].text(0) == "200065647" && rows[2].text(1) == "01001" && rows[2].text(3) == "45200.4375")
        #expect(rows[3].text(0) == "200065647" && rows[3].text(4) == "loin")
        #expect(rows.allSatisfy { ($0.cells.keys.max() ?? 0) <= 4 })
    }

    // MARK: The 183 TI as a DS export

    static let fixture = Result { try TIExportFixture() }

    static func write(_ name: String, _ data: Data) throws -> String {
        try writeData(try scratchDirectory(), name, data)
    }

    static let xlsxPath = Result { try write("dossiers.xlsx", try XLSXFixture.data(try fixture.get().sheets())) }

    @Test(
        "The XLSX export gives one candidature ds-<ID> per dossier kept, with the list's members, name, état and dépôt",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func xlsxDossiers() throws {
        let f = try Self.fixture.get()
        let export = try DemarchesSimplifiees.read([try Self.xlsxPath.get()])
        #expect(export.dossiers.count == 183)  // the refused and withdrawn ones left out
        #expect(export.notes.contains { $0.contains("2 dossier(s) écarté(s)") })
        for (d, e) in zip(f.dossiers, export.dossiers) {
            #expect(e.id == String(d.number))
            #expect(e.name == d.name)
            #expect(e.state?.label == d.state)
            #expect(e.members.map(\.code).sorted() == f.expectedMembers(d).sorted(), "dossier \(d.number) (\(d.ti))")
        }
        // Déposé le 45200.4375 (Excel's day count) is 2023-10-01.
        #expect(export.dossiers[0].depositedAt == "2023-10-01")
        let layer = export.layer()
        #expect(layer.territories.first?.id == "ds-41000")
        #expect(layer.territories.first?.dossier?.state == "En instruction")
    }

    static let audits = Result { () throws -> (csv: AuditResult, ds: AuditResult) in
        let data = try geoData()
        let tables = try compositionTables()
        let csv = try Audit.run(try TerritoryLayer.load(TestPaths.tiMembers2023), data: data, compositions: tables)
        let ds = try Audit.run(
            try DemarchesSimplifiees.read([try xlsxPath.get()]).layer(), data: data, compositions: tables)
        return (csv, ds)
    }

    @Test(
        "Audit of the DS export = audit of ti_2023_2027_membres.csv: verdicts, findings, areas, populations, conflicts",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func auditEquivalence() throws {
        let (csv, ds) = try Self.audits.get()
        let f = try Self.fixture.get()
        try #require(csv.territories.count == 183 && ds.territories.count == 183)
        var idMap: [String: String] = [:]
        for (d, (a, b)) in zip(f.dossiers, zip(csv.territories, ds.territories)) {
            #expect(a.id == d.ti && b.id == "ds-\(d.number)")
            idMap[b.id] = a.id
            #expect(a.verdict == b.verdict, "\(a.id)")
            let ra = try #require(a.result, "\(a.id)")
            let rb = try #require(b.result, "\(b.id)")
            #expect(ra.findings.map(\.rule).sorted() == rb.findings.map(\.rule).sorted(), "\(a.id)")
            #expect(
                ra.findings.map(\.severity.rawValue).sorted() == rb.findings.map(\.severity.rawValue).sorted(),
                "\(a.id)")
            #expect(abs(ra.figures.areaKm2 - rb.figures.areaKm2) < 1e-6, "\(a.id)")
            #expect(ra.figures.population == rb.figures.population, "\(a.id)")
            #expect(ra.figures.communeCount == rb.figures.communeCount, "\(a.id)")
            #expect(
                ra.contiguity.contiguous == rb.contiguity.contiguous
                    && ra.contiguity.components.count == rb.contiguity.components.count)
            #expect(ra.unresolved.isEmpty && rb.unresolved.isEmpty, "\(a.id)")
        }
        #expect(csv.conflicts.map(\.code) == ds.conflicts.map(\.code))
        #expect(csv.conflicts.map(\.claimedBy) == ds.conflicts.map { $0.claimedBy.map { idMap[$0]! } })
        #expect(csv.overlaps.count == ds.overlaps.count)
        #expect(csv.uncoveredEPCI.map(\.code) == ds.uncoveredEPCI.map(\.code))
    }

    // MARK: ODS, CSV, renamed columns, GeoJSON

    @Test("The ODS export reads as the XLSX one", .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func odsExport() throws {
        let f = try Self.fixture.get()
        let ods = try DemarchesSimplifiees.read([try Self.write("dossiers.ods", try ODSFixture.data(f.sheets()))])
        let xlsx = try DemarchesSimplifiees.read([try Self.xlsxPath.get()])
        #expect(ods.dossiers.map(\.id) == xlsx.dossiers.map(\.id))
        #expect(ods.dossiers.map { $0.members.map(\.code) } == xlsx.dossiers.map { $0.members.map(\.code) })
        #expect(ods.dossiers.map(\.name) == xlsx.dossiers.map(\.name))
        #expect(ods.dossiers.map(\.state) == xlsx.dossiers.map(\.state))
    }

    /// A procedure without repeated block: fixed champs "EPCI n°1"…"EPCI n°N", CSV (Dossiers table only).
    static func csvExport(
        _ f: TIExportFixture, header transform: (String) -> String = { $0 }
    ) -> (text: String, dossiers: [TIExportFixture.Dossier]) {
        let kept = f.dossiers.filter { $0.communes.isEmpty && $0.others.isEmpty }.prefix(40)
        let n = kept.map(\.epci.count).max() ?? 1
        var header = ["ID", "Email", "État du dossier", "Dernière mise à jour le", "Déposé le", "Nom du territoire"]
        for i in 1...n { header += ["EPCI n°\(i)", "EPCI n°\(i) (Code)", "EPCI n°\(i) (Département)"] }
        func q(_ s: String) -> String {
            s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = header.map(transform).map(q).joined(separator: ",") + "\n"
        for d in kept {
            var row = [
                String(d.number), "a@example.fr", d.state, "2024-03-02 10:00:00 +0100", "2024-02-01 09:30:00 +0100",
                d.name,
            ]
            for i in 0..<n {
                if i < d.epci.count {
                    row += [f.epciName[d.epci[i]] ?? "", d.epci[i], f.departement[d.epci[i]] ?? " – "]
                } else {
                    row += ["", "", " – "]
                }
            }
            out += row.map(q).joined(separator: ",") + "\n"
        }
        return (out, Array(kept))
    }

    @Test(
        "The CSV export (no repeated block): members from the EPCI champs of the Dossiers table, dépôt date",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func csvExportMembers() throws {
        let f = try Self.fixture.get()
        let (text, kept) = Self.csvExport(f)
        let path = try writeFile(try scratchDirectory(), "dossiers.csv", text)
        #expect(DemarchesSimplifiees.isExport(path))
        let export = try DemarchesSimplifiees.read([path])
        #expect(export.dossiers.map(\.id) == kept.map { String($0.number) })
        #expect(export.dossiers.map { $0.members.map(\.code) } == kept.map(\.epci))
        #expect(export.dossiers.allSatisfy { $0.depositedAt == "2024-02-01" })
    }

    @Test(
        "Renamed columns (case, accents, spaces): the same dossiers, and the notes say what was matched",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func renamedColumns() throws {
        let f = try Self.fixture.get()
        let (plain, _) = Self.csvExport(f)
        let (renamed, _) = Self.csvExport(f) { h in
            switch h {
            case "État du dossier": "  ETAT   du dossier "
            case "Nom du territoire": "nom du TERRITOIRE"
            default:
                h.hasPrefix("EPCI")
                    ? h.uppercased().replacingOccurrences(of: "É", with: "E").replacingOccurrences(
                        of: " (", with: "  (") : h
            }
        }
        let dir = try scratchDirectory()
        let a = try DemarchesSimplifiees.read([try writeFile(dir, "a.csv", plain)])
        let b = try DemarchesSimplifiees.read([try writeFile(dir, "b.csv", renamed)])
        #expect(a.dossiers.map { $0.members.map(\.code) } == b.dossiers.map { $0.members.map(\.code) })
        #expect(a.dossiers.map(\.name) == b.dossiers.map(\.name) && a.dossiers.map(\.state) == b.dossiers.map(\.state))
        #expect(b.notes.contains { $0.contains("« ETAT   du dossier » lue comme « État du dossier »") })
        #expect(b.notes.contains { $0.contains("champ EPCI « EPCI N°1 » retenu") })
    }

    /// A lon/lat rectangle's area on the sphere of the WGS84 authalic radius, in km².
    static func rectangleArea(_ w: Double, _ s: Double, _ e: Double, _ n: Double) -> Double {
        let r = 6_371.007_2
        return r * r * (e - w) * .pi / 180 * abs(sin(n * .pi / 180) - sin(s * .pi / 180))
    }

    @Test(
        "GeoJSON export with two drawn areas: two drawn candidatures, their geodesic areas",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func geojsonExport() throws {
        // Two rectangles in the Doubs, drawn in two dossiers' carte champ; a point (not an area) in a third feature.
        let boxes: [(Int, [Double])] = [(52_001, [6.70, 47.40, 6.90, 47.52]), (52_002, [6.30, 47.10, 6.45, 47.20])]
        var features: [String] = boxes.enumerated().map { k, b in
            let (w, s, e, n) = (b.1[0], b.1[1], b.1[2], b.1[3])
            return """
                {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[\(w),\(s)],[\(e),\(s)],[\(e),\(n)],[\(w),\(n)],[\(w),\(s)]]]},
                 "properties":{"dossier_id":\(b.0),"champ_label":"Périmètre proposé","champ_id":"Q2hhbXAtMTIz","champ_row":null,
                               "source":"selection_utilisateur","area":\(Self.rectangleArea(w, s, e, n) * 1e6),"description":"zone \(k + 1)"}}
                """
        }
        features.append(
            #"{"type":"Feature","geometry":{"type":"Point","coordinates":[6.8,47.5]},"properties":{"dossier_id":52001,"champ_label":"Périmètre proposé","source":"selection_utilisateur"}}"#
        )
        let path = try writeFile(
            try scratchDirectory(), "dossiers.geojson",
            #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}")
        #expect(DemarchesSimplifiees.isExport(path))
        let export = try DemarchesSimplifiees.read([path])
        #expect(export.dossiers.map(\.id) == ["52001", "52002"])
        #expect(export.notes.contains { $0.contains("1 tracé(s) qui ne sont pas des surfaces") })
        let audit = try Audit.run(export.layer(), data: try geoData())
        for (t, b) in zip(audit.territories, boxes) {
            let r = try #require(t.result, "\(t.id): \(t.error ?? "")")
            let expected = Self.rectangleArea(b.1[0], b.1[1], b.1[2], b.1[3])
            #expect(
                abs(r.figures.areaKm2 - expected) / expected < 0.005, "\(t.id): \(r.figures.areaKm2) vs \(expected)")
        }
    }

    @Test(
        "XLSX and GeoJSON of one procedure together: the drawn area goes to the dossier with no EPCI",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func xlsxWithGeoJSON() throws {
        var f = try Self.fixture.get()
        f.dossiers = Array(f.dossiers.prefix(3))
        f.dossiers[2].epci = []
        f.dossiers[2].communes = []
        f.dossiers[2].others = []
        let dir = try scratchDirectory()
        let xlsx = try writeData(dir, "d.xlsx", try XLSXFixture.data(f.sheets(extraDossiers: false)))
        // Without the GeoJSON, the third dossier has no member: refused, naming its row.
        #expect(throws: SpreadsheetError.self) { try DemarchesSimplifiees.read([xlsx]) }
        let n = f.dossiers[2].number
        let geo = try writeFile(
            dir, "d.geojson",
            """
            {"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[6.7,47.4],[6.9,47.4],[6.9,47.5],[6.7,47.5],[6.7,47.4]]]},
             "properties":{"dossier_id":\(n),"champ_label":"Carte","source":"selection_utilisateur"}}]}
            """)
        let export = try DemarchesSimplifiees.read([xlsx, geo])
        #expect(export.dossiers.count == 3)
        #expect(export.dossiers[2].members.isEmpty && export.dossiers[2].polygons.count == 1)
        #expect(export.layer().territories[2].shape != nil)
    }

    // MARK: État filter, names

    @Test("--ds-state: only the états asked", .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func stateFilter() throws {
        let path = try Self.xlsxPath.get()
        let refused = try DemarchesSimplifiees.read([path], options: .init(states: [.refuse, .sansSuite]))
        #expect(refused.dossiers.map(\.id) == ["49001", "49002"])
        let accepted = try DemarchesSimplifiees.read([path], options: .init(states: [.accepte]))
        let f = try Self.fixture.get()
        #expect(accepted.dossiers.map(\.id) == f.dossiers.filter { $0.state == "Accepté" }.map { String($0.number) })
        #expect(
            DemarchesSimplifiees.State(parsing: "classé SANS suite") == .sansSuite
                && DemarchesSimplifiees.State(parsing: "en_instruction") == .enInstruction)
    }

    @Test(
        "EPCI given by name: one exact match resolves and is reported; several or none stay unresolved with suggestions"
    )
    func membersByName() throws {
        let data = try geoData()
        let inputs = ["Grand Belfort", "Pays d'Héricourt"].enumerated().map {
            MemberInput(code: $1, origin: "argument \($0 + 1)")
        }
        let r = try PerimeterCheck.run(
            PerimeterRequest(id: "t", name: "t", members: inputs, options: .init(mapContext: false)), data: data)
        #expect(r.members.map(\.code).sorted() == ["200069052", "247000722"])
        #expect(r.members.allSatisfy { $0.status == .corrected })
        #expect(r.findings.filter { $0.rule == .correctedCode }.count == 2)
        #expect(r.unresolved.isEmpty)

        let bad =
            ["Deux Vallées", "Belfort"].map { MemberInput(code: "", name: $0, origin: "x") }
            + [MemberInput(code: "200069052", origin: "y")]
        let r2 = try PerimeterCheck.run(
            PerimeterRequest(id: "t", name: "t", members: bad, options: .init(mapContext: false)), data: data)
        let twice = try #require(r2.unresolved.first { $0.code == "Deux Vallées" })
        #expect(twice.suggestions.count == 2 && twice.suggestions.allSatisfy { $0.name.contains("Deux Vallées") })
        let none = try #require(r2.unresolved.first { $0.code == "Belfort" })
        #expect(none.suggestions.contains { $0.code == "200069052" })
        // A DS commune champ with its code left empty: the commune's exact name (Héricourt is in
        // Haute-Saône and in Pas-de-Calais: not resolved, both suggested).
        let c = try PerimeterCheck.run(
            PerimeterRequest(
                id: "t", name: "t",
                members: [
                    MemberInput(code: "200069052", origin: "a"),
                    MemberInput(code: "", name: "montbeliard", origin: "b", nameKind: .commune),
                    MemberInput(code: "", name: "Héricourt", origin: "c", nameKind: .commune),
                ],
                options: .init(mapContext: false)), data: data)
        #expect(c.members.contains { $0.code == "25388" && $0.status == .corrected })
        #expect(c.unresolved.first { $0.code == "Héricourt" }?.suggestions.map(\.code) == ["62433", "70285"])
    }
}

@Suite("Démarches Simplifiées sample")
struct DSSampleTests {
    @Test("Samples/ds-franche-comte.xlsx is the generator's output, byte for byte, and reads as two candidatures")
    func sampleExport() throws {
        let data = try XLSXFixture.data(SampleExport.sheets())
        if ProcessInfo.processInfo.environment["PERIMETRE_WRITE_SAMPLES"] == "1" {
            try data.write(to: URL(fileURLWithPath: SampleExport.path))
        }
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: SampleExport.path)) == data,
            "Samples/ds-franche-comte.xlsx differs from SampleExport: rewrite it with PERIMETRE_WRITE_SAMPLES=1")
        let export = try DemarchesSimplifiees.read([SampleExport.path])
        #expect(export.dossiers.map(\.id) == ["18001", "18002"])
        #expect(export.dossiers[0].members.map(\.code) == ["200065647", "200069052", "200069060", "", "249000241"])
        #expect(export.dossiers[0].members[3].name == "Pays d'Héricourt")
        #expect(export.dossiers[1].members.map(\.code) == ["200023075", "242504116", "242504355"])
        #expect(export.dossiers.map(\.depositedAt) == ["2024-04-08", "2024-04-09"])
    }
}

@Suite("Démarches Simplifiées through the CLI")
struct DSCLITests {
    @Test(
        "audit of the sample export: état and dépôt in text, CSV and JSON; the notes on stderr; identical bytes twice",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func auditSample() throws {
        let text = try runCLI(["audit", SampleExport.path])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("ds-18001   conforme   Nord Franche-Comté [En instruction, déposé le 2024-04-08]"))
        #expect(text.stdout.contains("Pays Horloger [Accepté, déposé le 2024-04-09]"))
        #expect(!text.stdout.contains("ds-18003"))
        #expect(text.stderr.contains("1 dossier(s) écarté(s) par leur état (Refusé : 1)"))
        #expect(text.stderr.contains("champ EPCI « EPCI membre » retenu comme membre"))
        let csv = try runCLI(["audit", SampleExport.path, "--quiet", "--format", "csv"])
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first?.hasSuffix(",ds_state,ds_deposited_at") == true)
        #expect(
            lines.dropFirst().map { $0.hasSuffix(",En instruction,2024-04-08") || $0.hasSuffix(",Accepté,2024-04-09") }
                == [true, true])
        let json = try runCLI(["audit", SampleExport.path, "--quiet", "--format", "json"])
        let ts = try #require(try jsonObject(json.stdout)["territories"] as? [[String: Any]])
        #expect(
            ts.compactMap { ($0["dossier"] as? [String: Any])?["state"] as? String } == ["En instruction", "Accepté"])
        // The EPCI given by name only in the sample (Pays d'Héricourt) is resolved and reported.
        let members = (ts.first?["members"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(members.contains("247000722"))
        #expect(try runCLI(["audit", SampleExport.path, "--quiet", "--format", "json"]).stdout == json.stdout)
        // --ds-state brings the refused dossier back, and with it a conflict on the CA Grand Belfort.
        let all = try runCLI(["audit", SampleExport.path, "--quiet", "--ds-state", "en_instruction,accepte,refuse"])
        #expect(all.stdout.contains("Grand Belfort (200069052) revendiqué par ds-18001, ds-18003"))
    }

    @Test(
        "check with EPCI names: \"Grand Belfort\" \"Pays d'Héricourt\"",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func checkByName() throws {
        let run = try runCLI(["check", "Grand Belfort", "Pays d'Héricourt", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let r = try jsonObject(run.stdout)
        let members = (r["members"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(members.sorted() == ["200069052", "247000722"])
        let ambiguous = try runCLI(["check", "Quatre Rivières", "200069052", "--format", "json"])
        let u = try #require((try jsonObject(ambiguous.stdout)["unresolved"] as? [[String: Any]])?.first)
        #expect((u["suggestions"] as? [[String: Any]])?.count == 2)
    }
}
