import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

/// Resolution of member codes, checked against the DGCL, BANATIC and INSEE EPT tables.
@Suite("check: resolution of members", .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
struct ResolutionTests {
    static let oleron = "241700624"

    /// The TI 2023-2027 members, as published by ANCT.
    static func tiMembers() throws -> [(ti: String, siren: String, name: String, type: String)] {
        let t = try parseCSV(TestPaths.tiMembers2023)
        let c = ["id_ti", "siren_membre", "nom_membre", "type_membre"].map { t.header.firstIndex(of: $0)! }
        return t.rows.map { ($0[c[0]], $0[c[1]], $0[c[2]], $0[c[3]]) }
    }

    @Test("an EPCI SIREN resolves to the EPCI and its communes (DGCL list)")
    func epciSIREN() throws {
        let r = try check([Self.oleron])
        #expect(r.members.count == 1)
        let m = try #require(r.members.first)
        #expect(m.code == Self.oleron && m.kind == .epci && m.status == .resolved)
        #expect(m.nature == (try dgcl().natureByEPCI[Self.oleron]))
        // The island's 8 communes did not change between the DGCL 2025 table and 2026.
        let expected = try #require(try dgcl().communesByEPCI[Self.oleron])
        #expect(expected.count == 8)
        #expect(m.communes == expected)
        #expect(m.name.contains("Oléron"))
        #expect(r.unresolved.isEmpty && r.duplicates.isEmpty && r.cutEPCI.isEmpty)
    }

    @Test("a commune INSEE code, Corsica included (2A004 Ajaccio)")
    func corsicanCommune() throws {
        let r = try check(["2a004"])  // lower case as typed: normalised to 2A004
        let m = try #require(r.members.first)
        let b = try #require(try banatic().byINSEE["2A004"])
        #expect(m.code == "2A004" && m.kind == .commune && m.communes == ["2A004"])
        #expect(m.name == b.name)
        #expect(r.span.departements.map(\.code) == ["2A"])
        #expect(r.span.regions.map(\.code) == [b.region])
        #expect(r.figures.population > 0 && within(Double(r.figures.population), Double(b.pmun), rel: 0.05))
    }

    @Test("a commune code that lost its leading zero is corrected (1001 → 01001)")
    func lostLeadingZero() throws {
        let r = try check(["1001"])
        let m = try #require(r.members.first)
        let b = try #require(try banatic().byINSEE["01001"])
        #expect(m.code == "01001" && m.input == "1001" && m.status == .corrected && m.kind == .commune)
        #expect(m.name == b.name, "official name from BANATIC: \(b.name)")
        let f = try #require(r.findings.first { $0.rule == .correctedCode })
        #expect(f.severity == .info && f.message.contains("01001"))
    }

    @Test("an unknown SIREN is reported unresolved, never dropped, and the reason points to --composition")
    func unknownSIREN() throws {
        let r = try check([Self.oleron, "123456789"])
        #expect(r.members.map(\.code) == [Self.oleron])
        let u = try #require(r.unresolved.first)
        #expect(r.unresolved.count == 1)
        #expect(u.code == "123456789" && u.origin == "argument 2")
        #expect(u.reason.contains("--composition"))
        let f = try #require(r.findings.first { $0.rule == .unresolvedCode })
        // Bloquant: the perimeter analysed is not the one submitted until the code is fixed.
        #expect(f.severity == .bloquant && f.message.contains("123456789"))
        // With tables given, the reason no longer asks for them.
        let withTables = try check([Self.oleron, "123456789"], compositions: true)
        #expect(withTables.unresolved.map(\.code) == ["123456789"])
        #expect(!(withTables.unresolved.first?.reason.contains("--composition") ?? true))
    }

    @Test("an EPCI merged since 2025 is traced through the DGCL table (former_epci)")
    func formerEPCI() throws {
        let data = try geoData()
        let table = try dgcl()
        // A TI 2023-2027 member EPCI that the DGCL 2025 table knows and the 2026 data does not.
        let former = try #require(
            try Self.tiMembers().first {
                $0.type == "EPCI" && data.epci[$0.siren] == nil && table.communesByEPCI[$0.siren] != nil
            },
            "no TI member EPCI merged since 2025")
        let dgclCommunes = table.communesByEPCI[former.siren]!
        let existing = try geoDataCommunes(dgclCommunes)
        let expected = dgclCommunes.filter { existing[$0] != nil }.sorted()

        // Without the table: unresolved, with the hint.
        let bare = try check([former.siren, Self.oleron])
        #expect(bare.unresolved.map(\.code) == [former.siren])

        let r = try check([former.siren], compositions: true)
        let m = try #require(r.members.first)
        #expect(m.kind == .formerEPCI && m.status == .traced && m.code == former.siren)
        #expect(m.communes == expected)
        #expect(r.figures.communeCount == expected.count)
        let f = try #require(r.findings.first { $0.rule == .formerEPCI })
        #expect(f.severity == .attention && f.faq == "2.1" && f.message.contains(former.siren))
        // Its 2024 Etalab contour (same code, older vintage) has the same area within 2 %.
        if let s = try etalab()[former.siren] {
            let km2 = GeodesicMeasure.area(of: s) / 1e6
            #expect(within(r.figures.areaKm2, km2, rel: 0.02), "area \(r.figures.areaKm2) vs Etalab 2024 \(km2)")
        }
    }

    @Test("a commune given by its SIREN is traced through BANATIC")
    func communeSIREN() throws {
        let row = try #require(try Self.tiMembers().first { $0.type == "COM" }, "no commune member in the TI list")
        let b = try #require(try banatic().bySIREN[row.siren])
        let r = try check([row.siren], compositions: true)
        let m = try #require(r.members.first)
        #expect(m.kind == .communeSIREN && m.status == .traced && m.code == row.siren)
        #expect(m.communes == [b.insee])
        #expect(m.name == b.name)
    }

    @Test("an EPT of the Métropole du Grand Paris resolves to the communes of the INSEE table")
    func ept() throws {
        let row = try #require(try Self.tiMembers().first { $0.type == "EPT" }, "no EPT member in the TI list")
        let expected = try #require(try eptTable().communesByEPT[row.siren])
        let r = try check([row.siren], compositions: true)
        let m = try #require(r.members.first)
        #expect(m.kind == .ept && m.status == .traced)
        #expect(m.communes == expected)
        #expect(r.figures.communeCount == expected.count)
        // Population: the GeoData commune populations exactly; BANATIC (pmun 2024) within 5 %, the
        // populations of GeoData being of an older vintage (Asnières-sur-Seine −5 %).
        #expect(r.figures.population == (try geoDataCommunes(expected)).values.reduce(0) { $0 + $1.population })
        #expect(within(Double(r.figures.population), Double(try banatic().population(expected)), rel: 0.05))
    }

    @Test("duplicates: a code listed twice, and a commune already inside a listed EPCI, are counted once")
    func duplicates() throws {
        let island = try #require(try dgcl().communesByEPCI[Self.oleron])
        let commune = island[0]
        let r = try check([Self.oleron, Self.oleron, commune])
        #expect(r.members.map(\.code) == [Self.oleron])
        #expect(r.figures.communeCount == island.count)
        let member = try #require(r.duplicates.first { $0.kind == .member })
        #expect(member.code == Self.oleron && member.members == ["argument 1", "argument 2"])
        let dup = try #require(r.duplicates.first { $0.kind == .commune })
        #expect(dup.code == commune && dup.members == [Self.oleron, commune])
        #expect(r.unresolved.isEmpty && r.cutEPCI.isEmpty)
        #expect(r.findings.filter { $0.rule == .duplicate }.count == 2)
    }

    @Test("communes listed alone cut their EPCI (epci_cut), in/out as in the DGCL table")
    func epciCut() throws {
        let island = try #require(try dgcl().communesByEPCI[Self.oleron])
        let listed = [island[1], island[4]].sorted()
        let r = try check(listed)
        let cut = try #require(r.cutEPCI.first)
        #expect(r.cutEPCI.count == 1)
        #expect(cut.code == Self.oleron)
        #expect(cut.communesIn == listed)
        #expect(cut.communesOut == island.filter { !listed.contains($0) })
        let f = try #require(r.findings.first { $0.rule == .epciCut })
        #expect(f.severity == .attention && f.faq == "2.1")
        #expect(f.message.contains("2 de ses 8 communes"))
    }

    @Test("no resolvable member is an error naming the codes")
    func nothingResolved() throws {
        let req = PerimeterRequest(
            id: "x", name: "x",
            members: ["123456789", "ABC"].enumerated().map { MemberInput(code: $1, origin: "argument \($0 + 1)") })
        do {
            _ = try PerimeterCheck.run(req, data: try geoData())
            Issue.record("expected an error")
        } catch let e as CheckError {
            #expect(e.message.contains("123456789") && e.message.contains("ABC"))
        }
    }
}
