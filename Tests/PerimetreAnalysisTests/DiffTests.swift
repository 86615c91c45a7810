import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

/// `perimetre diff`: an amendment of a labelled perimeter (FAQ 2.3). Expected communes come from
/// the DGCL 2025 composition table (read with the tests' own parser), populations and areas from
/// the reference data's commune attributes, never from the diff itself.
@Suite("Diff", .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
struct DiffTests {
    static let sudTerritoire = "249000241"

    func diff(
        _ before: [String], _ after: [String], thresholds: PerimeterDiff.Thresholds = .init()
    ) throws -> PerimeterDiff {
        let o = AnalysisOptions(mapContext: false)
        return try PerimeterDiff.run(
            before: memberRequest(before, options: o), after: memberRequest(after, options: o),
            data: try geoData(), thresholds: thresholds)
    }

    @Test("Removing one EPCI: its communes, population and area removed, the EPCI whole, the régions concerned")
    func removeOne() throws {
        let g = try dgcl()
        let after = nordFrancheComte.filter { $0 != Self.sudTerritoire }
        let d = try diff(nordFrancheComte, after)
        let removed = try #require(g.communesByEPCI[Self.sudTerritoire])
        #expect(d.communesRemoved.map(\.code) == removed.sorted())
        #expect(d.communesAdded.isEmpty && d.membersAdded.isEmpty && d.membersRemoved == [Self.sudTerritoire])
        #expect(
            d.epciRemoved.map(\.code) == [Self.sudTerritoire] && d.epciRemoved[0].whole
                && d.epciRemoved[0].communes == removed.count)
        let attrs = try geoDataCommunes(removed)
        let before = try geoDataCommunes(nordFrancheComte.flatMap { g.communesByEPCI[$0] ?? [] })
        let popRemoved = removed.reduce(0) { $0 + (attrs[$1]?.population ?? 0) }
        #expect(d.populationRemoved == popRemoved && popRemoved > 0)
        #expect(abs(d.areaRemovedKm2 - removed.reduce(0) { $0 + (attrs[$1]?.areaKm2 ?? 0) }) < 1e-6)
        let popBefore = before.values.reduce(0) { $0 + $1.population }
        #expect(d.before.figures.population == popBefore)
        #expect(abs(d.populationChangeShare - Double(popRemoved) / Double(popBefore)) < 1e-9)
        #expect(d.after.figures.communeCount == before.count - removed.count)
        // Régions and départements: Bourgogne-Franche-Comté both before and after; 90 before and after.
        #expect(d.regions.map(\.code) == ["27"] && d.regions[0].before && d.regions[0].after)
        #expect(d.departements.contains { $0.code == "90" && $0.before && $0.after })
    }

    @Test(
        "The verdict follows the thresholds: not marginal under them, marginal above them (no rule newly broken here)")
    func thresholds() throws {
        let after = nordFrancheComte.filter { $0 != Self.sudTerritoire }
        let loose = try diff(nordFrancheComte, after, thresholds: .init(population: 1, area: 1))
        try #require(
            loose.rulesNewlyBroken.isEmpty,
            "removing the CC du Sud Territoire breaks no rule: \(loose.rulesNewlyBroken)")
        #expect(loose.verdict == .marginal)
        let tight = try diff(nordFrancheComte, after, thresholds: .init(population: 0.001, area: 1))
        #expect(tight.verdict == .notMarginal)
        #expect(tight.reasons.contains { $0.hasPrefix("population ajoutée et retirée") })
        #expect(!tight.reasons.contains { $0.hasPrefix("surface ajoutée et retirée") })
    }

    @Test("Adding a non-adjacent EPCI newly breaks contiguity: not marginal whatever the thresholds")
    func newlyBroken() throws {
        let d = try diff([aurillac], [aurillac, saintFlour], thresholds: .init(population: 10, area: 10))
        #expect(d.rulesNewlyBroken.contains(.nonContiguous))
        #expect(d.findingsAppeared.contains { $0.rule == .nonContiguous })
        #expect(d.findingsDisappeared.contains { $0.rule == .singleEPCI })
        #expect(d.verdict == .notMarginal && d.reasons.contains { $0.contains("non contigu") })
        #expect(d.epciAdded.map(\.code) == [saintFlour] && d.epciAdded[0].whole)
    }

    @Test("The same perimeter twice (members in another order): unchanged, nothing added or removed")
    func identical() throws {
        let d = try diff(nordFrancheComte, nordFrancheComte.reversed())
        #expect(d.identical && d.verdict == .unchanged)
        #expect(
            d.communesAdded.isEmpty && d.communesRemoved.isEmpty && d.findingsAppeared.isEmpty
                && d.findingsDisappeared.isEmpty)
    }

    @Test(
        "FILE#ID picks one territory; an unknown id is refused with the nearest ids; a file of several territories needs #ID"
    )
    func operands() throws {
        let o = AnalysisOptions()
        let r = try DiffOperand.request(TestPaths.tiMembers2023 + "#ti-2708", label: "BEFORE", options: o)
        let list = try ATTIList(TestPaths.tiMembers2023)
        #expect(r.id == "ti-2708" && r.members.map(\.code) == list.members["ti-2708"]!)
        do {
            _ = try DiffOperand.request(TestPaths.tiMembers2023 + "#ti-27O8", label: "BEFORE", options: o)
            Issue.record("an unknown id was accepted")
        } catch let e as DiffOperand.Failure {
            #expect(e.message.contains("ti-27O8") && e.message.contains("ti-2708"), "\(e.message)")
        }
        #expect(throws: DiffOperand.Failure.self) {
            try DiffOperand.request(TestPaths.tiMembers2023, label: "AFTER", options: o)
        }
        let codes = try DiffOperand.request("200065647, 247000722", label: "AFTER", options: o)
        #expect(codes.members.map(\.code) == ["200065647", "247000722"])
        #expect(throws: DiffOperand.Failure.self) {
            try DiffOperand.request("pas-un-fichier.csv", label: "AFTER", options: o)
        }
    }

    // MARK: Command line

    @Test(
        "diff in every format: JSON schema, HTML map, GeoJSON roles; the same bytes twice",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func cli() throws {
        let g = try dgcl()
        let before = TestPaths.tiMembers2023 + "#ti-2708"
        let after = nordFrancheComte.filter { $0 != Self.sudTerritoire }.joined(separator: ",")
        let j = try runCLI(["diff", before, after, "--format", "json"])
        #expect(j.status == 0, "\(j.stderr)")
        let o = try jsonObject(j.stdout)
        #expect(o["schema"] as? String == "perimetre/diff/1")
        #expect(o["members_removed"] as? [String] == [Self.sudTerritoire])
        #expect(
            ((o["communes_removed"] as? [[String: Any]])?.map { $0["code"] as? String ?? "" })
                == g.communesByEPCI[Self.sudTerritoire]!.sorted())
        #expect(((o["regions"] as? [[String: Any]])?.map { $0["code"] as? String ?? "" }) == ["27"])
        #expect(["marginal", "not_marginal"].contains(o["verdict"] as? String ?? ""))
        #expect(try runCLI(["diff", before, after, "--format", "json"]).stdout == j.stdout)

        let html = try runCLI(["diff", before, after, "--format", "html"])
        #expect(html.status == 0 && html.stdout.contains("<svg") && html.stdout.contains("#c62828"))
        let geo = try jsonObject(try runCLI(["diff", before, after, "--format", "geojson"]).stdout)
        let roles = (geo["features"] as? [[String: Any]])?.compactMap {
            ($0["properties"] as? [String: Any])?["role"] as? String
        }
        #expect(roles == ["before", "after", "removed"])
        let text = try runCLI(["diff", before, after])
        #expect(text.stdout.contains("VERDICT") && text.stdout.contains("Règle : modification à la marge si"))
        #expect(text.stdout.contains("conseils régionaux dont l'avis est requis"))
    }

    @Test(
        "diff bad input: same perimeter said plainly; unknown id, unknown code text and multi-territory file refused (exit 2, nothing written)",
        .enabled(if: TestPaths.binary != nil, "\(TestPaths.noBinary)"))
    func cliBadInput() throws {
        let same = try runCLI(["diff", nordFrancheComte.joined(separator: ","), TestPaths.tiMembers2023 + "#ti-2708"])
        #expect(
            same.status == 0 && same.stdout.contains("Aucune différence")
                && same.stdout.contains("AUCUNE MODIFICATION"), "\(same.stderr)")
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("d.json").path
        for args in [
            [TestPaths.tiMembers2023 + "#ti-9999", "200065647"], [TestPaths.tiMembers2023, "200065647"],
            ["200065647", "Montbéliard"],
        ] {
            let r = try runCLI(["diff"] + args + ["--format", "json", "-o", out])
            #expect(r.status == 2, "\(args): exit \(r.status)")
            #expect(r.stderr.contains("AVANT") || r.stderr.contains("APRÈS"), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }
}
