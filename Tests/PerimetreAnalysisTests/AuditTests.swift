import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport
import PerimetreTestSupport
import Testing

/// `perimetre audit`: the 183 Territoires d'industrie of 2023-2027 against the 149 of 2019-2022
/// (facts established here from the CSV files), and hand-made candidature files.
@Suite("Audit")
struct AuditTests {
    // MARK: The real lists

    static let real: Result<AuditResult, any Error> = Result {
        let tables = try compositionTables()
        let data = try geoData()
        let against = try ResolvedLayer.resolve(
            try TerritoryLayer.load(TestPaths.tiMembers2019), data: data, compositions: tables)
        return try Audit.run(
            try TerritoryLayer.load(TestPaths.tiMembers2023), data: data, compositions: tables, against: [against])
    }

    @Test(
        "183 territories analysed in input order, none in error with the three composition tables",
        .enabled(if: atHasSharedData, "\(TestPaths.noSharedData)"))
    func realCountsAndErrors() throws {
        let a = try Self.real.get()
        let list = try ATTIList(TestPaths.tiMembers2023)
        #expect(list.order.count == 183)
        #expect(a.territories.count == list.order.count)
        #expect(a.territories.map(\.id) == list.order)
        #expect(a.territories.map(\.name) == list.order.map { list.names[$0]! })
        let failed = a.territories.filter { $0.result == nil }
        #expect(failed.isEmpty, "\(failed.map { "\($0.id): \($0.error ?? "")" })")
        #expect(!a.territories.contains { $0.verdict == .erreur })
        #expect(a.layers == ["ti_149_membres"])
        // Every member of the list is resolved (EPCI merged in 2026, commune SIREN, EPT through the tables).
        for t in a.territories {
            guard let r = t.result else { continue }
            #expect(r.unresolved.isEmpty, "\(t.id): \(r.unresolved.map(\.code))")
            #expect(r.members.count == Set(list.members[t.id]!).count, "\(t.id)")
        }
    }

    @Test(
        "Conflicts are exactly the member codes listed in two or more territories of the CSV",
        .enabled(if: atHasSharedData, "\(TestPaths.noSharedData)"))
    func realConflicts() throws {
        let a = try Self.real.get()
        let list = try ATTIList(TestPaths.tiMembers2023)
        var claimedBy: [String: Set<String>] = [:]
        for (t, ms) in list.members { for m in ms { claimedBy[m, default: []].insert(t) } }
        let expected = claimedBy.filter { $0.value.count > 1 }
        #expect(Set(a.conflicts.map(\.code)) == Set(expected.keys))
        for c in a.conflicts { #expect(Set(c.claimedBy) == expected[c.code], "\(c.code)") }
        // Overlaps between candidatures: communes reached by two territories, each member traced to its
        // communes here through the DGCL (EPCI), BANATIC (commune SIREN) and INSEE (EPT) tables.
        let dgcl = try dgcl()
        let banatic = try banatic()
        let ept = try eptTable()
        var territoriesOf: [String: Set<String>] = [:]
        for (t, ms) in list.members {
            for m in ms {
                let cs = try #require(
                    dgcl.communesByEPCI[m] ?? ept.communesByEPT[m] ?? banatic.bySIREN[m].map { [$0.insee] },
                    "member \(m) of \(t) in no table")
                for c in cs { territoriesOf[c, default: []].insert(t) }
            }
        }
        var expectedPairs: Set<[String]> = []
        for ts in territoriesOf.values where ts.count > 1 {
            let s = ts.sorted()
            for i in 0..<s.count { for j in (i + 1)..<s.count { expectedPairs.insert([s[i], s[j]]) } }
        }
        #expect(Set(a.overlaps.map { [$0.a, $0.b].sorted() }) == expectedPairs)
        // A conflict makes every candidature claiming the member bloquant.
        for c in a.conflicts {
            for id in c.claimedBy { #expect(a.territories.first { $0.id == id }?.verdict == .bloquant, "\(id)") }
        }
    }

    @Test(
        "Per-région counts: the candidatures sum to 183, the 2019-2022 layer to 149",
        .enabled(if: atHasSharedData, "\(TestPaths.noSharedData)"))
    func realRegionCounts() throws {
        let a = try Self.real.get()
        #expect(a.regions.map(\.candidatures).reduce(0, +) == 183)
        let layer149 = a.regions.flatMap(\.layers).filter { $0.layer == "ti_149_membres" }.map(\.count).reduce(0, +)
        #expect(layer149 == (try ATTIList(TestPaths.tiMembers2019)).order.count)
        #expect(layer149 == 149)
        #expect(a.regions.map(\.code) == a.regions.map(\.code).sorted())
        #expect(Set(a.regions.map(\.code)).count == a.regions.count)
    }

    @Test(
        "Interdepartemental exactly when the DGCL table puts the members' communes in several départements",
        .enabled(if: atHasSharedData, "\(TestPaths.noSharedData)"))
    func realInterdepartemental() throws {
        let a = try Self.real.get()
        let list = try ATTIList(TestPaths.tiMembers2023)
        let dgcl = try dgcl()
        var single = 0
        var several = 0
        for t in a.territories {
            guard let r = t.result else { continue }
            let members = list.members[t.id]!
            // Only the territories made of EPCI the 2025 table knows (no commune SIREN, no EPT).
            guard members.allSatisfy({ dgcl.communesByEPCI[$0] != nil }) else { continue }
            let deps = Set(members.flatMap { dgcl.communesByEPCI[$0]! }.compactMap { dgcl.departementByCommune[$0] })
            #expect(
                r.span.interdepartemental == (deps.count > 1), "\(t.id) \(t.name): DGCL départements \(deps.sorted())")
            #expect(Set(r.span.departements.map(\.code)) == deps, "\(t.id)")
            if deps.count > 1 { several += 1 } else { single += 1 }
        }
        #expect(single > 50 && several > 10, "\(single) single-département, \(several) interdepartemental")
    }

    @Test(
        "Nord Franche-Comté (ti-2708) is frontalier with Switzerland",
        .enabled(if: atHasSharedData, "\(TestPaths.noSharedData)"))
    func realFrontalier() throws {
        let a = try Self.real.get()
        let nfc = try #require(a.territories.first { $0.id == "ti-2708" }?.result)
        #expect(nfc.border.frontalier)
        #expect(nfc.border.neighbours.map(\.code).contains("CHE"))
        // A landlocked territory far from any border is not.
        let list = try ATTIList(TestPaths.tiMembers2023)
        let cher = try #require(list.order.first { $0.hasPrefix("ti-24") })  // Centre-Val de Loire
        #expect(a.territories.first { $0.id == cher }?.result?.border.frontalier == false, "\(cher)")
    }

    @Test(
        "A 2023 territory with the same member list as a 2019 one is `identical` to it",
        .enabled(if: atHasSharedData, "\(TestPaths.noSharedData)"))
    func realIdenticalToOldTerritory() throws {
        let a = try Self.real.get()
        let new = try ATTIList(TestPaths.tiMembers2023)
        let old = try ATTIList(TestPaths.tiMembers2019)
        var pairs: [(String, String)] = []
        for n in new.order {
            let ms = Set(new.members[n]!)
            for o in old.order where Set(old.members[o]!) == ms { pairs.append((n, o)) }
        }
        #expect(!pairs.isEmpty, "no identical member lists between the two CSVs")
        for (n, o) in pairs {
            let r = try #require(a.territories.first { $0.id == n }?.result)
            let ov = r.overlaps.first { $0.layer == "ti_149_membres" && $0.id == o }
            #expect(ov?.relation == .identical, "\(n) vs 2019 \(o): \(String(describing: ov?.relation))")
            #expect(
                ov.map { abs($0.shareOfPerimeter - 1) < 1e-9 && abs($0.shareOfOther - 1) < 1e-9 } == true,
                "\(n) vs \(o)")
        }
    }

    @Test(
        "Real audit through the CLI: deterministic bytes, JSON/CSV shapes",
        .enabled(if: atHasSharedData && TestPaths.binary != nil, "\(TestPaths.noSharedData) / \(TestPaths.noBinary)"))
    func realCLIDeterministic() throws {
        let args =
            ["audit", TestPaths.tiMembers2023, "--against", TestPaths.tiMembers2019, "--quiet", "--format", "json"]
            + TestPaths.compositionPaths.flatMap { ["--composition", $0] }
        let one = try runCLI(args)
        let two = try runCLI(args)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout == two.stdout, "two runs of the audit differ")
        // To a file, the report is streamed as the candidatures are analysed: the same bytes.
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("audit.json").path
        let streamed = try runCLI(args + ["-o", file])
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == one.stdout, "streamed file ≠ standard output")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["audit.json"])
        let o = try jsonObject(one.stdout)
        let ts = try #require(o["territories"] as? [[String: Any]])
        #expect(ts.compactMap { $0["id"] as? String } == (try ATTIList(TestPaths.tiMembers2023)).order)
        #expect((o["regions"] as? [[String: Any]])?.compactMap { $0["candidatures"] as? Int }.reduce(0, +) == 183)
    }

    // MARK: Hand-made candidatures

    @Test("A bad candidature (unknown codes only) is reported as erreur and does not stop the others")
    func badCandidature() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let cands = try TerritoryLayer.load(try writeFile(dir, "candidatures.csv", ATFixtures.candidatures))
        let a = try Audit.run(cands, data: try geoData())
        #expect(a.territories.map(\.id) == ATFixtures.candidatureOrder)
        let x = try #require(a.territories.first { $0.id == "cand-x" })
        #expect(x.verdict == .erreur)
        #expect(x.result == nil)
        #expect(x.error?.contains("999999999") == true && x.error?.contains("123456789") == true, "\(x.error ?? "")")
        for t in a.territories where t.id != "cand-x" {
            #expect(t.result != nil, "\(t.id): \(t.error ?? "")")
            #expect(t.verdict != .erreur)
        }
        #expect(a.conflicts.isEmpty && a.overlaps.isEmpty)
        // Members are as listed.
        #expect(a.territories[1].result?.members.map(\.code).sorted() == ["200069052", "200069060", "249000241"])
    }

    @Test("Two candidatures claiming the same EPCI: a conflict, both bloquant, --strict exits 1")
    func conflict() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try writeFile(dir, "conflit.csv", ATFixtures.conflicting)
        let a = try Audit.run(try TerritoryLayer.load(path), data: try geoData())
        #expect(a.conflicts.map(\.code) == ["247000722"])
        #expect(a.conflicts.first?.claimedBy == ["c-mont", "c-belf"])
        #expect(a.territories.map(\.verdict)[0...1] == [.bloquant, .bloquant])
        #expect(a.territories[2].verdict != .bloquant)
        for t in a.territories[0...1] {
            let f = try #require(t.result?.findings.first)
            #expect(f.rule == .conflict && f.severity == .bloquant)
        }
        // The shared EPCI makes the two overlap by its communes.
        #expect(a.overlaps.count == 1)
        let o = try #require(a.overlaps.first)
        #expect(Set([o.a, o.b]) == ["c-mont", "c-belf"])
        #expect(o.areaKm2 > 0)
        if atHasSharedData { #expect(o.communes == (try dgcl().communesByEPCI["247000722"] ?? [])) }

        if TestPaths.binary != nil {
            let strict = try runCLI(["audit", path, "--quiet", "--strict"])
            #expect(strict.status == 1, "\(strict.stderr)")
            let text = strict.stdout
            let conflits = try #require(text.range(of: "CONFLITS"))
            let verdicts = try #require(text.range(of: "VERDICTS"))
            #expect(conflits.lowerBound < verdicts.lowerBound, "conflicts first")
            #expect(text.contains("BLOQUANT") && text.contains("247000722"))
            #expect(try runCLI(["audit", path, "--quiet"]).status == 0)
            // The JSON streamed to a file: the conflict flagged in both candidatures, exit 1.
            let json = dir.appendingPathComponent("conflit.json").path
            let streamed = try runCLI(["audit", path, "--quiet", "--strict", "--format", "json", "-o", json])
            #expect(streamed.status == 1, "\(streamed.stderr)")
            let ts = try #require(
                try jsonObject(String(contentsOfFile: json, encoding: .utf8))["territories"] as? [[String: Any]])
            #expect(ts.prefix(2).map { $0["verdict"] as? String } == ["bloquant", "bloquant"])
            #expect(
                ts.prefix(2).map { (($0["findings"] as? [[String: Any]])?.first?["rule"] as? String) } == [
                    "conflict", "conflict",
                ])
        }
    }

    @Test("--region: the uncovered EPCI are those of the région outside every candidature")
    func uncovered() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try Audit.run(
            try TerritoryLayer.load(try writeFile(dir, "c.csv", ATFixtures.candidatures)), data: try geoData(),
            region: "27")
        let codes = Set(a.uncoveredEPCI.map(\.code))
        let claimed = [
            "200065647", "247000722", "200069052", "200069060", "249000241", "200023075", "242504116", "242504355",
        ]
        #expect(codes.isDisjoint(with: claimed))
        #expect(codes.contains("242500361"), "Grand Besançon Métropole is in no candidature")
        #expect(codes.contains("247000714"), "Pays de Villersexel is in no candidature")
        let bfc: Set<String> = ["21", "25", "39", "58", "70", "71", "89", "90"]
        for e in a.uncoveredEPCI { #expect(!bfc.isDisjoint(with: e.departements), "\(e.code) \(e.departements)") }
        if atHasSharedData {
            // The DGCL 2025 table: EPCI with a commune in Bourgogne-Franche-Comté, minus the claimed ones.
            let dgcl = try dgcl()
            let expected = Set(dgcl.departementsByEPCI.filter { !bfc.isDisjoint(with: $0.value) }.keys).subtracting(
                claimed)
            #expect(
                codes == expected,
                "only in the tool: \(codes.subtracting(expected).sorted()); only in DGCL 2025: \(expected.subtracting(codes).sorted())"
            )
        }
        #expect(a.regions.first { $0.code == "27" }?.candidatures == 3)
    }

    @Test(
        "CLI outputs of a candidature file: JSON, CSV, GeoJSON, self-contained HTML; identical bytes on two runs",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func outputs() throws {
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try writeFile(dir, "candidatures.csv", ATFixtures.candidatures)
        let crte = try writeFile(dir, "crte.csv", ATFixtures.crte())
        func run(_ format: String) throws -> Data {
            let out = dir.appendingPathComponent("audit.\(format)").path
            let r = try runCLI(["audit", path, "--against", crte, "--quiet", "--format", format, "-o", out])
            #expect(r.status == 0, "\(format): \(r.stderr)")
            #expect(r.stdout.isEmpty)
            return try Data(contentsOf: URL(fileURLWithPath: out))
        }
        try expectJSON(run)
        try expectCSV(run, dir: dir)
        try expectGeoJSON(run)
        try expectHTML(run)
        let text = try run("text")
        #expect(String(decoding: text, as: UTF8.self).contains("CANDIDATURES NON ANALYSÉES : 1"))
    }

    /// `run(format)` runs the audit of the candidature fixture in that format and returns the output.
    typealias AuditRun = (String) throws -> Data

    /// JSON: identical on two runs, the check's schema per candidature, the failed one with its
    /// codes, one `layers[]` object per `--against` layer, the CRTE alignment.
    private func expectJSON(_ run: AuditRun) throws {
        let json = try run("json")
        #expect(try run("json") == json, "JSON differs between two runs")
        let o = try jsonObject(json)
        let ts = try #require(o["territories"] as? [[String: Any]])
        #expect(ts.compactMap { $0["id"] as? String } == ATFixtures.candidatureOrder)
        let schemaKeys = [
            "schema", "id", "name", "members", "unresolved", "duplicates", "epci_cut", "area_km2", "perimeter_km",
            "population", "commune_count", "epci_count", "polsby_popper", "bbox", "contiguity", "enclaves", "slivers",
            "departements", "regions", "interdepartemental", "interregional", "border", "findings", "overlaps",
            "crte", "metric_crs", "verdict",
        ]
        for t in ts where t["id"] as? String != "cand-x" {
            for k in schemaKeys { #expect(t[k] != nil, "territories[\(t["id"] ?? "?")].\(k)") }
            #expect(t["schema"] as? String == "perimetre/check/1")
        }
        let x = try #require(ts.first { $0["id"] as? String == "cand-x" })
        #expect(x["verdict"] as? String == "erreur")
        #expect((x["error"] as? String)?.contains("999999999") == true)
        // The French message for a person, a stable English code for scripts.
        #expect((x["error"] as? String)?.hasPrefix("aucun membre du périmètre") == true)
        #expect(x["error_code"] as? String == "no_member_resolved")
        for k in ["conflicts", "uncovered_epci", "regions"] { #expect(o[k] is [Any], "\(k)[]") }
        // layers[]: one object per --against layer, how its codes were understood (all 8 of the fixture).
        let layers = try #require(o["layers"] as? [[String: Any]])
        #expect(layers.map { $0["id"] as? String } == ["crte"])
        #expect(
            layers.first?["members"] as? Int == ATFixtures.crteRows.count
                && (layers.first?["unresolved"] as? [Any])?.isEmpty == true)
        // The CRTE alignment of each candidature: cand-b and cand-a are each exactly one CRTE.
        let b = try #require(ts.first { $0["id"] as? String == "cand-b" })
        #expect(((b["crte"] as? [[String: Any]])?.first?["aligned"]) as? Bool == true)
    }

    /// CSV: a header and one row per candidature, in input order.
    private func expectCSV(_ run: AuditRun, dir: URL) throws {
        let csvPath = dir.appendingPathComponent("check.csv").path
        try run("csv").write(to: URL(fileURLWithPath: csvPath))
        let csv = try parseCSV(csvPath)
        #expect(csv.header.first == "id" && csv.header.contains("verdict"))
        #expect(csv.rows.count == ATFixtures.candidatureOrder.count)
        #expect(csv.rows.map { $0[0] } == ATFixtures.candidatureOrder)
        let vi = try #require(csv.header.firstIndex(of: "verdict"))
        #expect(csv.rows[2][vi] == "erreur")
        #expect(csv.rows.allSatisfy { $0.count == csv.header.count })
        if let ci = csv.header.firstIndex(of: "crte_aligned") {
            #expect(csv.rows[0][ci] == "true" && csv.rows[1][ci] == "true")
        }
    }

    /// GeoJSON: one feature per analysed candidature, with its verdict.
    private func expectGeoJSON(_ run: AuditRun) throws {
        let gj = try jsonObject(try run("geojson"))
        let fs = try #require(gj["features"] as? [[String: Any]])
        #expect(
            fs.compactMap { ($0["properties"] as? [String: Any])?["id"] as? String } == ["cand-b", "cand-a", "cand-h"])
        #expect(fs.allSatisfy { ($0["properties"] as? [String: Any])?["verdict"] is String })
    }

    /// HTML: self-contained, an SVG map, a sortable table with a row per candidature.
    private func expectHTML(_ run: AuditRun) throws {
        let htmlData = try run("html")
        #expect(try run("html") == htmlData, "HTML differs between two runs")
        let html = String(decoding: htmlData, as: UTF8.self)
        #expect(html.contains("<svg"))
        #expect(
            html.contains("<table") && html.contains("<th") && html.contains("addEventListener('click'")
                && html.contains("sort("))
        for id in ATFixtures.candidatureOrder { #expect(html.contains("<td>\(id)</td>"), "\(id) row") }
        for bad in [
            "src=\"http", "href=\"http", "src='http", "href='http", "url(http", "@import", "<link", "<script src",
        ] {
            #expect(!html.contains(bad), "external resource: \(bad)")
        }
    }
}
