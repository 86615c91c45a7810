import Foundation
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

@testable import PerimetreAnalysis

/// ANCT's real CRTE list of 2022 (`../shared/data/crte-2022`) as an `--against` layer: how its
/// codes are understood (EPCI merged since, communes by SIREN, EPT, the Métropole du Grand Paris
/// repeated, EPCI in two CRTE), and the facts that follow for a perimeter.
///
/// Expected values come from the list itself and the DGCL, BANATIC and EPT tables, read with the
/// tests' own CSV parser (`parseCSV`), and from the README's facts about the list.
@Suite(
    "CRTE 2022 layer",
    .enabled(if: hasCRTE2022, "\(TestPaths.noSharedData) (needs crte-2022 and the composition tables)"))
struct CRTE2022Tests {
    /// The four EPCI codes of 2022 gone on 1 January 2026 (README of ../shared/data).
    static let formerCodes = ["241200658", "241200765", "245701222", "245701362"]
    static let thionvilleFensch = "992367730"
    static let portesDeFrance = "245701362", valDeFensch = "245701222"

    static let withTables: Result<ResolvedLayer, any Error> = Result {
        try atLayer(TestPaths.crte2022, tables: try compositionTables())
    }
    static let withoutTables: Result<ResolvedLayer, any Error> = Result { try atLayer(TestPaths.crte2022) }
    /// BANATIC and EPT only: the four merged EPCI stay unknown.
    static let withoutDGCL: Result<ResolvedLayer, any Error> = Result {
        try atLayer(
            TestPaths.crte2022, tables: try CompositionTables.load([TestPaths.banaticSIREN, TestPaths.eptComposition]))
    }

    // MARK: The list read by the tests

    struct List {
        var rows: [(id: String, siren: String, name: String, nature: String, line: Int)] = []
        /// Distinct (CRTE, SIREN) pairs, in order.
        var pairs: [String] = []
        init() throws {
            let t = try parseCSV(TestPaths.crte2022)
            let ci = try #require(t.header.firstIndex(of: "id_crte"))
            let cs = try #require(t.header.firstIndex(of: "siren_groupement"))
            let cn = try #require(t.header.firstIndex(of: "lib_groupement"))
            let cj = try #require(t.header.firstIndex(of: "nature_juridique"))
            var seen = Set<String>()
            // No field of the list spans lines: data row k is on line k + 2.
            for (k, r) in t.rows.enumerated() {
                rows.append((r[ci], r[cs], r[cn], r[cj], k + 2))
                if seen.insert(r[ci] + "|" + r[cs]).inserted { pairs.append(r[ci] + "|" + r[cs]) }
            }
        }
        func sirens(nature: String) -> Set<String> { Set(rows.filter { $0.nature == nature }.map(\.siren)) }
    }

    // MARK: Layer resolution

    @Test(
        "Without tables: the 4 merged EPCI, the 36 communes by SIREN and the 4 EPT are not understood, each with its name, CRTE and row"
    )
    func withoutCompositions() throws {
        let list = try List()
        let l = try Self.withoutTables.get().resolution
        let data = try geoData()
        let expected = Set(Self.formerCodes).union(list.sirens(nature: "COM")).union(list.sirens(nature: "EPT"))
        #expect(list.sirens(nature: "COM").count == 36 && list.sirens(nature: "EPT").count == 4)
        for c in Self.formerCodes { #expect(data.epci[c] == nil, "\(c) is gone in 2026") }
        #expect(Set(l.unresolved.map(\.code)) == expected)
        #expect(
            l.unresolved.count == list.pairs.filter { expected.contains(String($0.split(separator: "|")[1])) }.count)
        for u in l.unresolved {
            let row = try #require(list.rows.first { $0.line == u.row }, "\(u.code): row \(String(describing: u.row))")
            #expect(row.siren == u.code && row.id == u.territory && row.name == u.name)
        }
        #expect(l.territories == Set(list.rows.map(\.id)).count)
        #expect(l.members == list.pairs.count)
        #expect(l.traced == 0 && l.resolved == list.pairs.count - l.unresolved.count)
        let w = try #require(l.warning)
        #expect(
            w.contains("\(expected.count) codes de la couche liste_crte_groupements_2022 ne sont pas des codes 2026"))
        #expect(w.contains("fournissez --composition"))
    }

    @Test("With BANATIC and EPT only: exactly the 4 merged EPCI stay unknown and the warning says 4 codes")
    func withoutDGCL() throws {
        let l = try Self.withoutDGCL.get().resolution
        #expect(Set(l.unresolved.map(\.code)) == Set(Self.formerCodes))
        #expect(
            l.warning?.hasPrefix("4 codes de la couche liste_crte_groupements_2022 ne sont pas des codes 2026") == true)
    }

    @Test("With the three tables: every code understood; repeated rows counted once; EPCI in two CRTE listed")
    func withCompositions() throws {
        let list = try List()
        let l = try Self.withTables.get().resolution
        #expect(l.unresolved.isEmpty && l.warning == nil)
        let traced = Set(Self.formerCodes).union(list.sirens(nature: "COM")).union(list.sirens(nature: "EPT"))
        #expect(l.traced == list.pairs.filter { traced.contains(String($0.split(separator: "|")[1])) }.count)
        #expect(l.resolved + l.traced == list.pairs.count)
        // Repeated rows: same CRTE and SIREN on several lines.
        var lines: [String: [Int]] = [:]
        for r in list.rows { lines[r.id + "|" + r.siren, default: []].append(r.line) }
        let repeated = lines.filter { $0.value.count > 1 }
        #expect(Set(l.repeated.map { $0.territory + "|" + $0.code }) == Set(repeated.keys))
        for r in l.repeated { #expect(r.rows == lines[r.territory + "|" + r.code]!) }
        #expect(
            l.repeated.contains { $0.code == "200054781" && $0.rows.count == 4 },
            "the Métropole du Grand Paris is listed 4 times")
        // Codes in two CRTE.
        var crteOf: [String: Set<String>] = [:]
        for r in list.rows { crteOf[r.siren, default: []].insert(r.id) }
        let shared = crteOf.filter { $0.value.count > 1 }
        #expect(Set(l.shared.map(\.code)) == Set(shared.keys))
        #expect(l.shared.first { $0.code == "240100750" }?.territories.sorted() == ["crte-84-01-13", "crte-84-74-8"])
    }

    @Test("COM rows: the communes given by SIREN are in their CRTE (BANATIC); EPT rows: the EPT's communes (INSEE)")
    func communesAndEPT() throws {
        let list = try List()
        let layer = try Self.withTables.get()
        let b = try banatic()
        let e = try eptTable()
        for id in ["crte-53-29-2", "crte-53-29-7", "crte-52-85-20"] {
            let t = try #require(layer.territories.first { $0.id == id })
            for r in list.rows where r.id == id && r.nature == "COM" {
                let insee = try #require(b.bySIREN[r.siren]?.insee, "BANATIC has \(r.siren)")
                #expect(t.communes[insee] == r.siren, "\(id): \(r.name) (\(insee))")
            }
        }
        for r in list.rows where r.nature == "EPT" {
            let t = try #require(layer.territories.first { $0.id == r.id })
            #expect(
                Set(t.communes.keys) == Set(try #require(e.communesByEPT[r.siren])),
                "\(r.id) = the communes of EPT \(r.siren)")
        }
        let metro = try #require(layer.territories.first { $0.id == "crte-11-75929394-1" })
        #expect(metro.memberCodes == ["200054781"])
    }

    @Test("Read ahead or scanned, the list resolves the same; its commune index agrees with its territories")
    func prefetchedAndIndexed() throws {
        let scanned = try Self.withTables.get()
        // A GeoData of its own: the read ahead is per GeoData.
        let data = try GeoData(path: try TestPaths.requireGeoDataPath())
        let file = try TerritoryLayer.load(TestPaths.crte2022)
        ResolvedLayer.prefetch([file], data: data)
        #expect(try data.prefetchedCommunesByEPCI() != nil, "a national layer is read ahead")
        let ahead = try ResolvedLayer.resolve(file, data: data, compositions: try compositionTables())
        #expect(ahead.territories.count == scanned.territories.count)
        var holders: [String: [Int]] = [:]  // the index, built the plain way
        for (k, (a, b)) in zip(ahead.territories, scanned.territories).enumerated() {
            #expect(a.id == b.id && a.communes == b.communes && a.memberCodes == b.memberCodes, "\(a.id)")
            #expect(a.areaKm2.bitPattern == b.areaKm2.bitPattern && a.mainRegion == b.mainRegion, "\(a.id)")
            #expect(a.communes.codes.count == Set(a.communes.codes).count, "\(a.id): each commune once")
            for (c, m) in a.communes.pairs {
                #expect(a.communes[c] == m && a.memberCodes.contains(m), "\(a.id): \(c)")
                holders[c, default: []].append(k)
            }
        }
        #expect(holders.count > 34_000, "the 2022 list covers nearly every commune")
        for (c, ks) in holders { #expect(ahead.byCommune[c].map(Array.init) == ks, "\(c)") }
        #expect(ahead.byCommune["99999"] == nil && ahead.byCommune["2A"] == nil)
        // Thionville's communes come through the two EPCI of 2022 that merged.
        let g = try dgcl()
        for (crte, epci) in [("crte-44-57-12", Self.portesDeFrance), ("crte-44-57-15", Self.valDeFensch)] {
            let t = try #require(ahead.territories.first { $0.id == crte })
            for c in try #require(g.communesByEPCI[epci]) { #expect(t.communes[c] == epci, "\(crte): \(c)") }
        }
    }

    @Test("A territory's communes: looked up by code, INSEE or not, in index order")
    func territoryCommunes() {
        let t = TerritoryCommunes(
            [("2B033", 0), ("01001", 1), ("75056", 0), ("X-1", 1), ("2A004", 1)], members: ["m0", "m1"])
        #expect(t.codes == ["01001", "75056", "2A004", "2B033", "X-1"])
        #expect(t["75056"] == "m0" && t["2A004"] == "m1" && t["2B033"] == "m0" && t["X-1"] == "m1")
        #expect(t["01002"] == nil && t["X-2"] == nil && t[""] == nil && !t.contains("2B034"))
        #expect(t.count == 5 && TerritoryCommunes().isEmpty)
    }

    // MARK: A perimeter against the list

    @Test(
        "Thionville Fensch Agglomération with --composition: cut between crte-44-57-12 and crte-44-57-15, and said so")
    func thionvilleWithTables() throws {
        let g = try dgcl()
        let r = try atCheck(
            [Self.thionvilleFensch], against: [try Self.withTables.get()], tables: try compositionTables())
        let a = try #require(r.crte.first)
        #expect(a.unknownCRTE.isEmpty && a.outsideAnyCRTE.isEmpty)
        let split = try #require(a.splitMembers.first { $0.code == Self.thionvilleFensch })
        let portes = try #require(g.communesByEPCI[Self.portesDeFrance])
        let fensch = try #require(g.communesByEPCI[Self.valDeFensch])
        #expect(split.parts.map(\.id) == ["crte-44-57-12", "crte-44-57-15"])
        #expect(split.parts.map(\.communes) == [portes.count, fensch.count])
        #expect(split.communes == portes.count + fensch.count)
        #expect(Set(a.whole) == ["crte-44-57-12", "crte-44-57-15"], "each 2022 CRTE is wholly inside the merged EPCI")
        let f = try #require(r.findings.first { $0.rule == .crteSplitMember })
        #expect(
            f.message.contains("crte-44-57-12") && f.message.contains("crte-44-57-15")
                && f.message.contains("coupé entre 2 CRTE"))
        #expect(!r.findings.contains { $0.rule == .crteUncovered || $0.rule == .crteUnknown })
        #expect(r.layers.first?.unresolved.isEmpty == true)
    }

    @Test("Thionville Fensch Agglomération without tables: its communes are of unknown CRTE, never outside any CRTE")
    func thionvilleWithoutTables() throws {
        let g = try dgcl()
        let r = try atCheck([Self.thionvilleFensch], against: [try Self.withoutTables.get()])
        let a = try #require(r.crte.first)
        let communes = Set(
            try #require(g.communesByEPCI[Self.portesDeFrance]) + (try #require(g.communesByEPCI[Self.valDeFensch])))
        #expect(a.outsideAnyCRTE.isEmpty)
        #expect(Set(a.unknownCRTE) == communes && communes.count == 23)
        #expect(!a.aligned)
        #expect(r.findings.contains { $0.rule == .crteUnknown && $0.message.hasPrefix("23 commune(s)") })
        #expect(!r.findings.contains { $0.rule == .crteUncovered })
        #expect(r.layers.first?.warning != nil)
    }

    @Test("A layer whose codes are all unknown is refused, naming the file")
    func allUnknown() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try writeFile(
            dir, "crte-vieux.csv",
            """
            id_crte,lib_crte,siren_groupement,lib_groupement
            crte-1,Un,999999999,Inconnu
            crte-1,Un,888888888,Inconnu aussi

            """)
        #expect(throws: LayerError.self) { try atLayer(p) }
        do { _ = try atLayer(p) } catch { #expect("\(error)".contains(p) && "\(error)".contains("999999999")) }
    }

    // MARK: Command line

    @Test(
        "check --against the CRTE list: layers[] in JSON, the warning in text, HTML, GeoJSON and on stderr",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func checkCLI() throws {
        let list = try List()
        let comp = TestPaths.compositionPaths.flatMap { ["--composition", $0] }
        let json = try runCLI(
            ["check", Self.thionvilleFensch, "--against", TestPaths.crte2022, "--format", "json"] + comp)
        #expect(json.status == 0, "\(json.stderr)")
        let o = try jsonObject(json.stdout)
        let layer = try #require((o["layers"] as? [[String: Any]])?.first)
        #expect(layer["id"] as? String == "liste_crte_groupements_2022" && layer["format"] as? String == "crte")
        #expect(
            layer["territories"] as? Int == Set(list.rows.map(\.id)).count
                && layer["members"] as? Int == list.pairs.count)
        #expect((layer["resolved"] as? Int ?? 0) + (layer["traced"] as? Int ?? 0) == list.pairs.count)
        #expect((layer["unresolved"] as? [Any])?.isEmpty == true)
        let crte = try #require((o["crte"] as? [[String: Any]])?.first)
        #expect(((crte["split_members"] as? [[String: Any]])?.first?["code"] as? String) == Self.thionvilleFensch)

        for format in ["text", "json", "html", "geojson"] {
            let r = try runCLI(["check", Self.thionvilleFensch, "--against", TestPaths.crte2022, "--format", format])
            #expect(r.status == 0, "\(format): \(r.stderr)")
            #expect(r.stdout.contains("ne sont pas des codes 2026"), "\(format): the warning is in the output")
            #expect(r.stderr.contains("ne sont pas des codes 2026"), "\(format): and on stderr")
            #expect(!r.stdout.contains("ne relèvent d'aucun CRTE"), "\(format)")
        }
        let j = try jsonObject(
            try runCLI(["check", Self.thionvilleFensch, "--against", TestPaths.crte2022, "--format", "json"]).stdout)
        let u = try #require(((j["layers"] as? [[String: Any]])?.first?["unresolved"] as? [[String: Any]]))
        let fensch = try #require(u.first { $0["code"] as? String == Self.valDeFensch })
        let row = try #require(list.rows.first { $0.siren == Self.valDeFensch })
        #expect(
            fensch["territory"] as? String == "crte-44-57-15" && fensch["row"] as? Int == row.line
                && fensch["name"] as? String == row.name)
        #expect(((j["crte"] as? [[String: Any]])?.first?["unknown_crte"] as? [Any])?.count == 23)
    }

    @Test(
        "check --against a layer of unknown codes only: exit 2, the file named, no output written",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func allUnknownCLI() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = try writeFile(dir, "crte-vieux.csv", "id_crte,lib_crte,siren_groupement\ncrte-1,Un,999999999\n")
        let out = dir.appendingPathComponent("r.json").path
        let r = try runCLI(["check", "200065647", "--against", p, "--format", "json", "-o", out])
        #expect(r.status == 2 && r.stderr.contains(p), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

let hasCRTE2022 = TestPaths.hasSharedData && FileManager.default.fileExists(atPath: TestPaths.crte2022)
