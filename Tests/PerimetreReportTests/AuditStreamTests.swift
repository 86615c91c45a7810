import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport
import PerimetreTestSupport
import Testing

/// The national JSON report streamed while the candidatures are analysed
/// (``Audit/stream(_:data:compositions:against:region:options:progress:render:emit:)`` and
/// ``AuditReport/JSONStream``) is byte for byte the report made whole from ``Audit/run``.
@Suite("Audit, streamed JSON")
struct AuditStreamTests {
    /// The report made whole, as `perimetre audit --format json` writes it to standard output.
    static func whole(
        _ cands: TerritoryLayer, data: GeoData, tables: CompositionTables, against: [ResolvedLayer]
    )
        throws -> [UInt8]
    {
        let audit = try Audit.run(cands, data: data, compositions: tables, against: against)
        let (shown, scope) = try AuditSelection(regions: [], departements: [], data: data).apply(to: audit, data: data)
        return Array(try AuditReport.jsonPieces(shown, scope: scope).joined())
    }

    /// The report streamed, and how many candidatures were done when the first one was handed over.
    static func streamed(
        _ cands: TerritoryLayer, data: GeoData, tables: CompositionTables, against: [ResolvedLayer]
    ) throws -> (bytes: [UInt8], doneAtFirst: Int) {
        let json = try AuditReport.JSONStream(layers: against.map(\.resolution))
        let out = Locked<(bytes: [UInt8], gists: [AuditReport.TerritoryGist])>(([], []))
        let done = Locked(0)
        let doneAtFirst = Locked(-1)
        let audit = try Audit.stream(
            cands, data: data, compositions: tables, against: against,
            progress: { n, _ in done.withLock { $0 = max($0, n) } },
            render: { o, scratch in try AuditReport.JSONStream.territory(o, scratch: &scratch) }
        ) { piece in
            out.withLock { o in
                if o.gists.isEmpty { doneAtFirst.withLock { $0 = done.withLock { $0 } } }
                o.bytes += o.gists.isEmpty ? json.head : json.separator
                o.bytes += piece.json
                o.gists.append(piece.gist)
            }
        }
        #expect(audit.territories.isEmpty, "the outcomes went to the report, not into the result")
        let (bytes, gists) = out.withLock { $0 }
        return (bytes + Array(try json.tail(audit, gists: gists).joined()), doneAtFirst.withLock { $0 })
    }

    @Test("300 generated options and one of unknown codes: streamed = whole, the first handed over early")
    func generated() throws {
        let data = try GeoData(path: try TestPaths.requireGeoDataPath())
        let groups = try RandomGroupings.make(data, count: 300, seed: 33)
        var csv = "id_ti,lib_ti,siren_membre\n"
        for (k, g) in groups.enumerated() { for code in g { csv += "opt-\(k + 1),Option \(k + 1),\(code)\n" } }
        // A candidature in error: no member resolved.
        csv += "opt-bad,Codes inconnus,999999999\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("perimetre-stream-\(UUID()).csv")
        try Data(csv.utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let cands = try TerritoryLayer.load(path.path)
        let whole = try Self.whole(cands, data: data, tables: .init(), against: [])
        let (bytes, doneAtFirst) = try Self.streamed(cands, data: data, tables: .init(), against: [])
        #expect(bytes == whole, "streamed \(bytes.count) bytes, whole \(whole.count)")
        // Started in windows of 64 near input order: the first candidature reaches the report
        // once at most its window and the work in hand are done, not at the end.
        #expect(doneAtFirst >= 1 && doneAtFirst <= 70, "\(doneAtFirst) of \(cands.territories.count) done")
        // The report is a real one: conflicts between the options, the error, all territories.
        let doc = try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let territories = try #require(doc["territories"] as? [[String: Any]])
        #expect(territories.count == 301)
        #expect(territories.map { $0["id"] as? String } == cands.territories.map(\.id))
        #expect(territories.contains { $0["error_code"] as? String == "no_member_resolved" })
        #expect((doc["conflicts"] as? [Any])?.isEmpty == false)
        #expect((doc["overlaps"] as? [Any])?.isEmpty == false)
    }

    @Test(
        "The 183 TI of 2023-2027 with the CRTE 2022 layer and the composition tables: streamed = whole",
        .enabled(
            if: TestPaths.allExist([TestPaths.tiMembers2023, TestPaths.crte2022] + TestPaths.compositionPaths),
            "\(TestPaths.noSharedData)"))
    func real() throws {
        let data = try GeoData(path: try TestPaths.requireGeoDataPath())
        var tables = CompositionTables()
        for p in TestPaths.compositionPaths { try tables.load(p) }
        let crte = try ResolvedLayer.resolve(
            try TerritoryLayer.load(TestPaths.crte2022), data: data, compositions: tables)
        let cands = try TerritoryLayer.load(TestPaths.tiMembers2023)
        let whole = try Self.whole(cands, data: data, tables: tables, against: [crte])
        let (bytes, _) = try Self.streamed(cands, data: data, tables: tables, against: [crte])
        #expect(bytes == whole)
        let doc = try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect((doc["territories"] as? [Any])?.count == 183)
        #expect((doc["crte"] as? [Any])?.isEmpty == false)
    }
}
