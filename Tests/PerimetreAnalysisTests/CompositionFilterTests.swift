import PerimetreAnalysis
import PerimetreData
import PerimetreTestSupport
import Testing

/// A batch reads the composition tables keeping only the rows its members may look up
/// (`CompositionTables.load(_:only:)`): the same answers as with every row, on the real tables.
@Suite(
    "Composition tables filtered by the members of a batch",
    .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
struct CompositionFilterTests {
    @Test("The TI 2023-2027: the codes kept are the list's non-2026 SIREN, traced as with every row")
    func tiMembers() throws {
        let data = try geoData()
        let rows = try ResolutionTests.tiMembers()
        let inputs = rows.map { MemberInput(code: $0.siren, origin: $0.ti) }
        let wanted = Resolution.compositionCodes(inputs, data: data)
        // Worked out from the list: its 9-digit member codes that are not EPCI of 2026.
        let expected = Set(
            rows.map(\.siren).filter { $0.count == 9 && $0.allSatisfy(\.isNumber) && data.epci[$0] == nil })
        #expect(wanted == expected)
        #expect(!wanted.isEmpty, "the list has members of another vintage (COM, EPT, merged EPCI)")

        let full = try compositionTables()
        let filtered = try CompositionTables.load(TestPaths.compositionPaths, only: wanted)
        #expect(filtered.rowCount == full.rowCount && !filtered.isEmpty)
        #expect(
            Set(filtered.groupings.keys).isSubset(of: wanted) && Set(filtered.communeBySIREN.keys).isSubset(of: wanted))
        for code in wanted.sorted() {
            #expect(filtered.groupings[code]?.communes == full.groupings[code]?.communes, "\(code)")
            #expect(filtered.groupings[code]?.name == full.groupings[code]?.name, "\(code)")
            #expect(filtered.communeBySIREN[code]?.insee == full.communeBySIREN[code]?.insee, "\(code)")
        }
        // Every traced member resolves the same way with either.
        let traced = rows.filter { wanted.contains($0.siren) }.map { MemberInput(code: $0.siren, origin: $0.ti) }
        let session = try data.session()
        let a = try Resolution.resolve(traced, data: data, session: session, compositions: filtered)
        let b = try Resolution.resolve(traced, data: data, session: session, compositions: full)
        #expect(
            a.members.map(\.code) == b.members.map(\.code) && a.members.map(\.communes) == b.members.map(\.communes))
        #expect(
            a.unresolved.map(\.code) == b.unresolved.map(\.code)
                && a.unresolved.map(\.reason) == b.unresolved.map(\.reason))
    }

    @Test("Tables given but no code wanted: still read (their rows counted, a bad table still an error), nothing kept")
    func nothingWanted() throws {
        let t = try CompositionTables.load(TestPaths.compositionPaths, only: [])
        #expect(t.groupings.isEmpty && t.communeBySIREN.isEmpty)
        let all = try compositionTables()
        #expect(!t.isEmpty && t.rowCount == all.rowCount)
        #expect(throws: CSVError.self) {
            var bad = CompositionTables()
            try bad.load(bytes: Array("a,b,c\n1,2,3\n".utf8), source: "bad.csv", only: [])
        }
    }
}
