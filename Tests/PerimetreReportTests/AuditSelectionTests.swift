import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport
import PerimetreTestSupport
import Testing

/// The régions and départements of each of the 183 TI's communes, read from the public tables
/// only: the TI list by member, the DGCL 2025 EPCI composition, BANATIC (commune SIREN, région and
/// département of every commune) and INSEE's EPT composition — never from the tool.
struct ASPublicTI {
    var order: [String] = []
    var regions: [String: Set<String>] = [:]
    var departements: [String: Set<String>] = [:]
    var unplaced: [String] = []

    init() throws {
        let banatic = try asCSV(TestPaths.banaticSIREN)
        var regionOf: [String: String] = [:]
        var depOf: [String: String] = [:]
        var inseeOfSIREN: [String: String] = [:]
        for r in banatic.rows {
            regionOf[r["insee"]!] = r["Reg_com"]!
            depOf[r["insee"]!] = r["dep_com"]!
            inseeOfSIREN[r["siren"]!] = r["insee"]!
        }
        // A commune BANATIC no longer lists (merged since): its département from the DGCL table,
        // the région of that département from BANATIC.
        var regionOfDep: [String: String] = [:]
        for r in banatic.rows { regionOfDep[r["dep_com"]!] = r["Reg_com"]! }
        var communesOf: [String: [String]] = [:]
        for r in try asCSV(TestPaths.dgclCommuneEPCI).rows {
            communesOf[r["siren_epci"]!, default: []].append(r["insee"]!)
            if depOf[r["insee"]!] == nil {
                depOf[r["insee"]!] = r["dep_com"]!
                regionOf[r["insee"]!] = regionOfDep[r["dep_com"]!]
            }
        }
        for r in try asCSV(TestPaths.eptComposition).rows {
            communesOf[r["siren_ept"]!, default: []].append(r["insee"]!)
        }
        for r in try asCSV(TestPaths.tiMembers2023).rows {
            let id = r["id_ti"]!
            let m = r["siren_membre"]!
            if regions[id] == nil {
                order.append(id)
                regions[id] = []
                departements[id] = []
            }
            let communes = communesOf[m] ?? inseeOfSIREN[m].map { [$0] } ?? []
            if communes.isEmpty { unplaced.append(m) }
            for c in communes {
                if let x = regionOf[c] { regions[id]!.insert(x) } else { unplaced.append(c) }
                if let x = depOf[c] { departements[id]!.insert(x) }
            }
        }
    }
}

/// A CSV file as rows keyed by header (RFC 4180 quoting), read here rather than with the tool's reader.
func asCSV(_ path: String) throws -> (header: [String], rows: [[String: String]]) {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var records: [[String]] = []
    var row: [String] = []
    var cell = ""
    var quoted = false
    var wasQuoted = false
    var it = text.unicodeScalars.makeIterator()
    var pending: Unicode.Scalar? = nil
    while let c = pending ?? it.next() {
        pending = nil
        if quoted {
            if c == "\"" {
                if let n = it.next() {
                    if n == "\"" {
                        cell.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                        pending = n
                    }
                } else {
                    quoted = false
                }
            } else {
                cell.unicodeScalars.append(c)
            }
        } else if c == "\"" {
            quoted = true
            wasQuoted = true
        } else if c == "," {
            row.append(cell)
            cell = ""
            wasQuoted = false
        } else if c == "\n" || c == "\r" {
            if c == "\r", let n = it.next(), n != "\n" { pending = n }
            row.append(cell)
            cell = ""
            if row != [""] || wasQuoted { records.append(row) }
            row = []
            wasQuoted = false
        } else {
            cell.unicodeScalars.append(c)
        }
    }
    if !cell.isEmpty || !row.isEmpty {
        row.append(cell)
        records.append(row)
    }
    var header = records.removeFirst()
    if let f = header.first, f.hasPrefix("\u{FEFF}") { header[0] = String(f.dropFirst()) }
    return (header, records.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
}

@Suite(
    "Audit selection (--region, --departement) on the 183 TI", .serialized,
    .enabled(if: MapEnv.hasRealData, Comment(rawValue: MapEnv.noRealData)))
struct AuditSelectionRealTests {
    static let truth: Result<ASPublicTI, any Error> = Result { try ASPublicTI() }

    @Test("the public tables place every member of the 183 TI")
    func tablesPlaceEveryMember() throws {
        let t = try Self.truth.get()
        #expect(t.order.count == 183)
        #expect(t.unplaced.isEmpty, "\(t.unplaced)")
    }

    @Test(
        "--region 27: the candidatures with a commune in Bourgogne-Franche-Comté, in input order, the interrégionales counted, the title says it"
    )
    func region27() throws {
        let t = try Self.truth.get()
        let data = try GeoData(path: TestPaths.geoDataPath)
        let (shown, scope) = try AuditSelection(regions: ["27"], departements: [], data: data).apply(
            to: try realAudit.get(), data: data)
        let expected = t.order.filter { t.regions[$0]!.contains("27") }
        let reaching = expected.filter { t.regions[$0]! != ["27"] }
        // The région's own ten (ti-27xx) are among them, and the others reach it from outside.
        #expect(expected.filter { $0.hasPrefix("ti-27") }.count == 10)
        #expect(scope.selected == expected)
        #expect(shown.territories.map(\.id) == expected)
        #expect(scope.reachingOut == reaching.count)
        #expect(reaching.count >= 2)
        #expect(
            scope.title
                == "Audit Bourgogne-Franche-Comté : \(expected.count) candidatures, dont \(reaching.count) interrégionales"
        )
        // Uncovered EPCI: each has a commune in the région and is in no candidature of the whole list.
        let covered = Set(try realAudit.get().territories.flatMap { $0.result?.figures.epciCodes ?? [] })
        #expect(!shown.uncoveredEPCI.isEmpty)
        for e in shown.uncoveredEPCI { #expect(e.regions.contains("27") && !covered.contains(e.code), "\(e.code)") }
        #expect(shown.regions.map(\.code) == ["27"])
    }

    @Test("--departement 25 --departement 90, and --region 27 --region 44: the union of what each selects")
    func departementsAndUnions() throws {
        let t = try Self.truth.get()
        let data = try GeoData(path: TestPaths.geoDataPath)
        let audit = try realAudit.get()
        let (_, deps) = try AuditSelection(regions: [], departements: ["90", "25", "25"], data: data).apply(
            to: audit, data: data)
        let expected = t.order.filter { !t.departements[$0]!.isDisjoint(with: ["25", "90"]) }
        #expect(deps.selected == expected)
        #expect(deps.reachingOut == expected.filter { !t.departements[$0]!.isSubset(of: ["25", "90"]) }.count)
        #expect(deps.title.hasPrefix("Audit Doubs et Territoire de Belfort : \(expected.count) candidatures"))
        let (_, two) = try AuditSelection(regions: ["44", "27"], departements: [], data: data).apply(
            to: audit, data: data)
        #expect(two.selected == t.order.filter { !t.regions[$0]!.isDisjoint(with: ["27", "44"]) })
    }

    @Test(
        "the CLI applies --region 27 to CSV, JSON and GeoJSON alike",
        .enabled(if: TestPaths.binary != nil, Comment(rawValue: TestPaths.noBinary)))
    func cli() throws {
        let t = try Self.truth.get()
        let expected = t.order.filter { t.regions[$0]!.contains("27") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perimetre-sel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func run(_ format: String) throws -> String {
            let out = dir.appendingPathComponent("a.\(format)").path
            let p = Process()
            p.executableURL = URL(fileURLWithPath: TestPaths.binary!)
            p.arguments =
                ["audit", TestPaths.tiMembers2023] + TestPaths.compositionPaths.flatMap { ["--composition", $0] }
                + ["--region", "27", "--quiet", "--format", format, "-o", out]
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            try #require(p.terminationStatus == 0, "\(format): exit \(p.terminationStatus)")
            return try String(contentsOfFile: out, encoding: .utf8)
        }
        let csvPath = dir.appendingPathComponent("a.csv").path
        _ = try run("csv")
        #expect(try asCSV(csvPath).rows.map { $0["id"]! } == expected)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try run("json").utf8)) as? [String: Any])
        #expect((json["territories"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == expected)
        #expect((json["selection"] as? [String: Any])?["regions"] as? [String] == ["27"])
        let gj = try #require(try JSONSerialization.jsonObject(with: Data(try run("geojson").utf8)) as? [String: Any])
        let ids = (gj["features"] as? [[String: Any]] ?? []).compactMap {
            ($0["properties"] as? [String: Any])?["id"] as? String
        }
        #expect(ids == expected)
    }

    @Test(
        "the map of a selection: one frame on it at a larger scale than France's, the selection in bold, its candidatures drawn; Guyane in its own CRS"
    )
    func selectionMap() throws {
        let data = try GeoData(path: TestPaths.geoDataPath)
        let audit = try realAudit.get()
        func map(_ regions: [String]) throws -> (PosterSVGReader, AuditScope, String) {
            let (shown, scope) = try AuditSelection(regions: regions, departements: [], data: data).apply(
                to: audit, data: data)
            let svg = try AuditMap.svg(shown, scope: scope, data: data, sources: "test").svg
            let r = PosterSVGReader(svg)
            #expect(r.error == nil)
            return (r, scope, svg)
        }
        func denominator(_ f: PosterSVGReader.Frame) -> Int { Int(f.scale.dropFirst(2).filter(\.isNumber)) ?? 0 }
        let (national, _, _) = try map([])
        #expect(national.frames.map(\.code) == ["FXX", "971", "972", "973", "974", "976"])
        #expect(national.territoryPaths.count == 183)
        let (bfc, scope, svg) = try map(["27"])
        let frame = try #require(bfc.frames.first)
        #expect(bfc.frames.count == 1 && frame.code == "FXX" && frame.crs == "EPSG:2154")
        #expect(svg.contains("data-name=\"Bourgogne-Franche-Comté\""))
        // Bourgogne-Franche-Comté spans about 400 km against France's 1,000: at least twice the scale.
        #expect(
            denominator(frame) * 2 <= denominator(national.frames[0]), "\(frame.scale) vs \(national.frames[0].scale)")
        #expect(bfc.territoryPaths.sorted() == scope.selected.sorted())
        #expect(svg.contains("<path id=\"emphasis\" d=\"M") && svg.contains("<path id=\"outlines\" d=\"M"))
        let (guyane, _, _) = try map(["03"])
        #expect(guyane.frames.map(\.code) == ["973"])
        #expect(guyane.frames.first?.crs == "EPSG:2972")
    }

    @Test("no selection: every candidature, each in the summary of its main région; unknown codes refused in French")
    func nationalAndRefusals() throws {
        let data = try GeoData(path: TestPaths.geoDataPath)
        let audit = try realAudit.get()
        let (shown, scope) = try AuditSelection(regions: [], departements: [], data: data).apply(to: audit, data: data)
        #expect(
            scope.isNational && shown.territories.count == 183 && scope.title == "Audit national : 183 candidatures")
        let summaries = AuditReport.regionSummaries(shown)
        #expect(summaries.reduce(0) { $0 + $1.candidatures.count } == 183)
        #expect(Set(summaries.flatMap(\.candidatures)).count == 183)
        for s in summaries { #expect(s.verdicts.values.reduce(0, +) == s.candidatures.count, "\(s.code)") }
        #expect(throws: AuditSelectionError.self) { try AuditSelection(regions: ["99"], departements: [], data: data) }
        do { _ = try AuditSelection(regions: [], departements: ["2C"], data: data) } catch {
            #expect("\(error)".contains("--departement 2C") && "\(error)".contains("inconnu"))
        }
    }
}

/// Hand-made candidatures around Belfort: a conflict and an overlap reaching across the selection.
@Suite("Audit selection: candidatures kept for a relation")
struct AuditSelectionRelationTests {
    static let csv = """
        id,name,member
        cand-a,Belfort Montbéliard,200069052
        cand-a,Belfort Montbéliard,200065647
        cand-b,Montbéliard Héricourt,200065647
        cand-b,Montbéliard Héricourt,247000722
        cand-c,Pays de Maîche,200023075

        """

    @Test(
        "--departement 90 keeps cand-a, cites cand-b (conflict and overlap), leaves cand-c out, in JSON, GeoJSON and text"
    )
    func related() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perimetre-sel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("c.csv").path
        try Data(Self.csv.utf8).write(to: URL(fileURLWithPath: path))
        let data = try GeoData(path: try TestPaths.requireGeoDataPath())
        let audit = try Audit.run(
            try TerritoryLayer.load(path), data: data, options: AnalysisOptions(mapContext: false))
        let (shown, scope) = try AuditSelection(regions: [], departements: ["90"], data: data).apply(
            to: audit, data: data)
        #expect(scope.selected == ["cand-a"])
        #expect(scope.related.map(\.id) == ["cand-b"])
        #expect(scope.related.first?.reasons == [.conflict, .overlap])
        #expect(scope.title == "Audit Territoire de Belfort : 1 candidature, dont 1 interdépartementale")
        #expect(shown.conflicts.map(\.code) == ["200065647"])
        #expect(shown.overlaps.count == 1)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(try AuditReport.json(shown, scope: scope).utf8))
                as? [String: Any])
        #expect((json["territories"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["cand-a"])
        let sel = try #require(json["selection"] as? [String: Any])
        #expect(sel["departements"] as? [String] == ["90"])
        #expect((sel["related"] as? [[String: Any]])?.first?["reasons"] as? [String] == ["conflict", "overlap"])
        let gj = try #require(
            try JSONSerialization.jsonObject(with: Data(try AuditReport.geojson(shown, scope: scope).utf8))
                as? [String: Any])
        let props = (gj["features"] as? [[String: Any]] ?? []).compactMap { $0["properties"] as? [String: Any] }
        #expect(props.compactMap { $0["id"] as? String } == ["cand-a", "cand-b"])
        #expect(props.compactMap { $0["in_selection"] as? Bool } == [true, false])
        let text = AuditReport.text(shown, scope: scope)
        #expect(text.hasPrefix("Audit Territoire de Belfort : 1 candidature"))
        #expect(text.contains("cand-b Montbéliard Héricourt") && !text.contains("cand-c"))
        #expect(AuditReport.csv(shown).split(separator: "\n").dropFirst().map { String($0.prefix(7)) } == ["cand-a,"])
        // HTML: the selection's title, one row and one details section (with its own map) for
        // cand-a; cand-b cited with its reasons and drawn pale; cand-c nowhere.
        let html = AuditReport.html(shown, scope: scope)
        #expect(html.contains("<h1>Audit Territoire de Belfort : 1 candidature, dont 1 interdépartementale</h1>"))
        #expect(
            html.components(separatedBy: "<tr data-id=").count == 2
                && html.contains("<tr data-id=\"cand-a\"><td>cand-a</td>"))
        let details = try #require(html.range(of: "<details class=\"cand\" id=\"d-cand-a\">"))
        #expect(html[details.upperBound...].prefix(400).contains("<svg"))
        #expect(html.contains("cand-b Montbéliard Héricourt") && html.contains("conflit, recouvrement"))
        #expect(html.contains("#map path.territory[data-id=\"cand-b\"]{fill-opacity:.35}"))
        #expect(!html.contains("cand-c"))
    }
}
