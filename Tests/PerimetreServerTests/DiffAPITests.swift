import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport
import PerimetreTestSupport
import Testing

/// `POST /api/diff`, behind the workbench's "Comparer": the same diff as `perimetre diff`.
@Suite("perimetre serve: diff")
struct DiffAPITests {
    @Test("POST /api/diff answers perimetre diff's JSON for the two options, byte for byte the library's")
    func diff() async throws {
        let a = try await RawHTTP.post(
            "/api/diff",
            json: #"{"before": {"members": ["200065647", "200069052"]}, "after": {"members": ["200065647"]}}"#)
        #expect(a.status == 200, "\(a.text)")
        let o = try a.json()
        #expect(o["schema"] as? String == "perimetre/diff/1")
        #expect(o["members_removed"] as? [String] == ["200069052"])
        #expect((o["epci_removed"] as? [[String: Any]])?.first?["whole"] as? Bool == true)
        let data = try GeoData(path: TestPaths.geoDataPath)
        func req(_ codes: [String]) -> PerimeterRequest {
            PerimeterRequest(
                id: "", name: "", members: codes.enumerated().map { MemberInput(code: $1, origin: "members[\($0)]") })
        }
        let d = try PerimeterDiff.compare(
            try PerimeterCheck.run(req(["200065647", "200069052"]), data: data),
            try PerimeterCheck.run(req(["200065647"]), data: data), data: data, shapes: false)
        #expect(a.text == (try JSONWriter(pretty: false).string(DiffReport.value(d))))
    }

    @Test("POST /api/diff: a missing side is a 400 naming it")
    func missingSide() async throws {
        let a = try await RawHTTP.post("/api/diff", json: #"{"before": {"members": ["200065647"]}}"#)
        #expect(a.status == 400)
        #expect((try a.json()["error"] as? String)?.contains("after") == true)
    }
}
