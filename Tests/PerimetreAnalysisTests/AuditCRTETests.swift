import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreReport
import PerimetreTestSupport
import Testing

/// The audit's CRTE table: each CRTE of the régions audited with the candidatures covering it.
/// Hand-written CRTE list and candidatures of real EPCI (Doubs, Territoire de Belfort, Haute-Saône):
/// the expected statuses follow from how the fixtures are written.
@Suite("Audit: CRTE table")
struct AuditCRTETests {
    static let crte = """
        id_crte,lib_crte,siren_groupement,lib_groupement
        crte-25-01,"Pays de Montbéliard, Héricourt",200065647,CA Pays de Montbéliard Agglomération
        crte-25-01,"Pays de Montbéliard, Héricourt",247000722,CC du Pays d'Héricourt
        crte-90-01,Territoire de Belfort,200069052,CA Grand Belfort
        crte-90-01,Territoire de Belfort,200069060,CC des Vosges du Sud
        crte-90-01,Territoire de Belfort,249000241,CC du Sud Territoire
        crte-25-02,Pays Horloger,200023075,CC du Pays de Maîche
        crte-25-02,Pays Horloger,242504116,CC du Val de Morteau
        crte-70-01,Vesoul,247000011,CA de Vesoul

        """
    /// c1 takes half of crte-25-01 and all of crte-90-01; c2 the other half of crte-25-01; c3 part of
    /// crte-25-02; nobody takes crte-70-01.
    static let candidatures = """
        id_ti,lib_ti,siren_membre,nom_membre,type_membre
        c1,Montbéliard Belfort,200065647,CA Pays de Montbéliard Agglomération,EPCI
        c1,Montbéliard Belfort,200069052,CA Grand Belfort,EPCI
        c1,Montbéliard Belfort,200069060,CC des Vosges du Sud,EPCI
        c1,Montbéliard Belfort,249000241,CC du Sud Territoire,EPCI
        c2,Héricourt,247000722,CC du Pays d'Héricourt,EPCI
        c3,Maîche,200023075,CC du Pays de Maîche,EPCI

        """

    @Test("covered, split, partial, uncovered, with the candidatures and their communes")
    func statuses() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let layer = try atLayer(try writeFile(dir, "crte.csv", Self.crte))
        let cands = try TerritoryLayer.load(try writeFile(dir, "cands.csv", Self.candidatures))
        let a = try Audit.run(cands, data: try geoData(), against: [layer], region: "27")
        let by = Dictionary(uniqueKeysWithValues: a.crte.map { ($0.id, $0) })
        #expect(Set(by.keys) == ["crte-25-01", "crte-90-01", "crte-25-02", "crte-70-01"])
        let data = try geoData()
        func communes(_ codes: [String]) -> Int { codes.reduce(0) { $0 + (data.epci[$1]?.communeCount ?? 0) } }
        #expect(by["crte-90-01"]?.status == .covered)
        #expect(
            by["crte-90-01"]?.candidatures.map(\.candidature) == ["c1"]
                && by["crte-90-01"]?.candidatures[0].whole == true)
        let split = try #require(by["crte-25-01"])
        #expect(split.status == .split && Set(split.candidatures.map(\.candidature)) == ["c1", "c2"])
        #expect(split.candidatures.first { $0.candidature == "c1" }?.communes == communes(["200065647"]))
        #expect(split.candidatures.first { $0.candidature == "c2" }?.communes == communes(["247000722"]))
        #expect(split.communes == communes(["200065647", "247000722"]) && split.uncoveredCommunes == 0)
        let partial = try #require(by["crte-25-02"])
        #expect(partial.status == .partial && partial.uncoveredCommunes == communes(["242504116"]))
        #expect(by["crte-70-01"]?.status == .uncovered && by["crte-70-01"]?.candidatures.isEmpty == true)
        #expect(a.crte.allSatisfy { $0.region == "27" })

        // The same table in JSON, CSV, text and HTML.
        let json = try jsonObject(try AuditReport.json(a))
        let rows = try #require(json["crte"] as? [[String: Any]])
        #expect(rows.first { $0["id"] as? String == "crte-25-01" }?["split"] as? Bool == true)
        #expect(rows.first { $0["id"] as? String == "crte-70-01" }?["uncovered"] as? Bool == true)
        let csvPath = try writeFile(dir, "crte-table.csv", AuditReport.crteCSV(a))
        let csv = try parseCSV(csvPath)
        let si = try #require(csv.header.firstIndex(of: "status"))
        let ii = try #require(csv.header.firstIndex(of: "id"))
        #expect(
            Dictionary(uniqueKeysWithValues: csv.rows.map { ($0[ii], $0[si]) })
                == ["crte-25-01": "split", "crte-90-01": "covered", "crte-25-02": "partial", "crte-70-01": "uncovered"])
        #expect(AuditReport.text(a).contains("CRTE DES RÉGIONS AUDITÉES : 4"))
        #expect(AuditReport.html(a).contains("<table id=\"crte\">"))
    }

    @Test(
        "audit --crte-csv writes the CRTE table beside the report; the JSON has crte[]",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func cli() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let crte = try writeFile(dir, "crte.csv", Self.crte)
        let cands = try writeFile(dir, "cands.csv", Self.candidatures)
        let table = dir.appendingPathComponent("crte-table.csv").path
        let r = try runCLI([
            "audit", cands, "--against", crte, "--region", "27", "--quiet", "--format", "json", "--crte-csv", table,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try #require(try jsonObject(r.stdout)["crte"] as? [[String: Any]])
        #expect(rows.count == 4)
        let csv = try parseCSV(table)
        #expect(csv.header.first == "layer" && csv.rows.count == 4)
        let text = try runCLI(["audit", cands, "--against", crte, "--region", "27", "--quiet"])
        #expect(text.stdout.contains("crte-25-01 Pays de Montbéliard, Héricourt [27] : partagé"))
    }

    @Test("Without a CRTE layer there is no CRTE table")
    func noLayer() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cands = try TerritoryLayer.load(try writeFile(dir, "cands.csv", Self.candidatures))
        let a = try Audit.run(cands, data: try geoData(), region: "27")
        #expect(a.crte.isEmpty)
        #expect(!AuditReport.text(a).contains("CRTE DES RÉGIONS"))
    }
}
