import Foundation
import PerimetreTestSupport
import Testing

/// The workbench's remedies: /api/analyse lists them with the shapes of what they add, and the
/// option the "Appliquer" button builds (members + add − remove) answers with the promised result.
@Suite("perimetre serve remedies")
struct RemedyAPITests {
    @Test("Albert – Amiens: a connect remedy, its EPCI drawn, and applying it makes the option contiguous")
    func connectAndApply() async throws {
        // CA Amiens Métropole and CC du Pays du Coquelicot: 5.6 km apart.
        let members = ["248000531", "248000747"]
        let a = try await RawHTTP.post("/api/analyse", json: #"{"members": ["248000531", "248000747"]}"#)
        #expect(a.status == 200)
        let o = try a.json()
        let report = try #require(o["report"] as? [String: Any])
        let remedies = try #require(report["remedies"] as? [[String: Any]])
        let connect = try #require(remedies.first { $0["goal"] as? String == "connect" })
        let add = try #require(connect["add"] as? [String])
        #expect(!add.isEmpty && connect["feasible"] as? Bool == true)
        let features = try #require((o["map"] as? [String: Any])?["features"] as? [[String: Any]])
        let drawn = features.compactMap { f -> String? in
            let p = f["properties"] as? [String: Any]
            return p?["role"] as? String == "remedy_add" ? p?["code"] as? String : nil
        }
        #expect(Set(drawn) == Set(add))
        // What the button sends.
        let applied = (members + add).map { "\"\($0)\"" }.joined(separator: ",")
        let b = try await RawHTTP.post("/api/check", json: "{\"members\": [\(applied)]}")
        let c = try #require(try b.json()["contiguity"] as? [String: Any])
        #expect(c["contiguous"] as? Bool == true)
        #expect(((try b.json()["remedies"] as? [Any]) ?? [1]).isEmpty)
    }

    @Test("The page has the remedies list and the apply button's code")
    func page() async throws {
        let a = try await RawHTTP.get("/")
        #expect(a.text.contains("id=\"remedies\""))
        let js = try await RawHTTP.get("/app.js")
        #expect(js.text.contains("function applyRemedy") && js.text.contains("remedy_add"))
    }
}
