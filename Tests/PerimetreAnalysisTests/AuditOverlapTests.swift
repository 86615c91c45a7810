import Foundation
import PerimetreData
import PerimetreGeometry
import PerimetreTestSupport
import Testing

@testable import PerimetreAnalysis

/// The overlaps between candidatures of a large batch, against a plain computation from each
/// candidature's communes, and the two ways their areas are read.
@Suite("Audit overlaps")
struct AuditOverlapTests {
    @Test("400 generated options: every pair sharing communes, with those communes by code and their areas summed")
    func generatedOptions() throws {
        let data = try geoData()
        let groups = try RandomGroupings.make(data, count: 400, seed: 7)
        let dir = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var csv = "id_ti,lib_ti,siren_membre\n"
        for (k, g) in groups.enumerated() { for code in g { csv += "opt-\(k + 1),Option \(k + 1),\(code)\n" } }
        let layer = try TerritoryLayer.load(try writeFile(dir, "options.csv", csv))
        let audit = try Audit.run(layer, data: data, options: AnalysisOptions(mapContext: false, shapes: false))

        // Each commune's candidatures, then each pair's communes, with plain dictionaries.
        var claimedBy: [String: [String]] = [:]
        for o in audit.territories {
            let r = try #require(o.result, "\(o.id): \(o.error ?? "")")
            for c in Set(r.members.flatMap(\.communes)) { claimedBy[c, default: []].append(o.id) }
        }
        var pairs: [[String]: [String]] = [:]
        for (c, ids) in claimedBy where ids.count > 1 {
            for i in 0..<ids.count { for j in (i + 1)..<ids.count { pairs[[ids[i], ids[j]], default: []].append(c) } }
        }
        let shared = claimedBy.filter { $0.value.count > 1 }.keys.sorted()
        // Enough shared communes for their areas to come from the communes the data holds.
        #expect(shared.count >= Audit.nationalScanFrom)
        let communes = try data.session().communes(codes: shared, geometry: false)
        let expected = pairs.map { ids, cs -> AuditResult.CandidatureOverlap in
            let sorted = cs.sorted()
            return .init(
                a: ids[0], b: ids[1], areaKm2: sorted.reduce(0) { $0 + (communes[$1]?.0.areaKm2 ?? .nan) },
                communes: sorted)
        }.sorted { ($0.a, $0.b) < ($1.a, $1.b) }
        #expect(audit.overlaps.count == expected.count)
        for (got, want) in zip(audit.overlaps, expected) {
            #expect(got.a == want.a && got.b == want.b)
            #expect(got.communes == want.communes, "\(want.a) × \(want.b)")
            #expect(got.areaKm2 == want.areaKm2, "\(want.a) × \(want.b): \(got.areaKm2) ≠ \(want.areaKm2)")
        }
    }

    @Test(
        "Shared communes' areas: from the communes the data holds (EPCI read, national scan) or looked up by code, the same bits"
    )
    func areasBothWays() throws {
        let data = try geoData()
        let epci = Array(data.epci.keys.sorted().prefix(300))
        var codes = try data.session().communesByEPCI(epci).values.flatMap { $0.map(\.code) }.sorted()
        // Île-de-Sein is in no EPCI (not in the scan), 99999 is no commune, Ajaccio is Corsican.
        codes += ["29083", "99999", "2A004"]
        // The 300 EPCI are now in the data's cache; the scan adds the rest of France.
        #expect(data.cachedCommunesByEPCI().count >= 300)
        let cached = try Audit.sharedAreas(codes, data: data, scanFrom: 0)
        data.prefetchCommunesOfEveryEPCI()
        let scanned = try Audit.sharedAreas(codes, data: data, scanFrom: 0)
        let looked = try Audit.sharedAreas(codes, data: data, scanFrom: .max)
        #expect(cached == looked)
        #expect(codes.count > 3000)
        #expect(scanned == looked)
        let n = codes.count
        #expect(scanned[n - 3] > 0.3 && scanned[n - 2] == 0 && scanned[n - 1] > 80)
        #expect(scanned.dropLast(3).allSatisfy { $0 > 0 })
    }

    @Test(
        "an audit's claims-only resolution gives the members and EPCI of the full one: 1,000 generated options, the TI of 2023-2027 and of 2019-2022",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func claimsAsFullResolution() throws {
        let data = try geoData()
        let session = try data.session()
        let tables = try compositionTables()
        var perimeters = try RandomGroupings.make(data, count: 1_000, seed: 11).map {
            $0.map { MemberInput(code: $0, origin: "généré") }
        }
        for path in [TestPaths.tiMembers2023, TestPaths.tiMembers2019] {
            perimeters += try TerritoryLayer.load(path).territories.map(\.members)
        }
        // Two more where communes are reached twice: an EPCI listed twice, and with one of its communes.
        perimeters.append(["241700624", "241700624", "200041762"].map { MemberInput(code: $0, origin: "test") })
        perimeters.append(["241700624", "17093"].map { MemberInput(code: $0, origin: "test") })
        var keptInFull = 0
        for members in perimeters {
            let full = try Resolution.resolve(members, data: data, session: session, compositions: tables)
            let claims = try Resolution.resolve(
                members, data: data, session: session, compositions: tables, keepCommunes: false)
            #expect(claims.members == full.members, "\(members.map(\.code))")
            #expect(claims.epciOfCommunes == Set(full.communes.values.compactMap(\.epci)).sorted())
            #expect(claims.unresolved == full.unresolved && claims.duplicates == full.duplicates)
            if !claims.communes.isEmpty { keptInFull += 1 }
        }
        // The real lists hold communes and old EPCI (kept in full); the generated options do not.
        #expect(keptInFull > 0 && keptInFull < perimeters.count - 1_000)
    }
}
