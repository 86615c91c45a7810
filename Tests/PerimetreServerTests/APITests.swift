import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport
import PerimetreServer
import PerimetreTestSupport
import Testing

/// The workbench API over real HTTP on loopback (an in-process server on an ephemeral port).
@Suite("perimetre serve API")
struct APITests {
    /// Pays de Montbéliard Agglomération (Doubs) and Grand Belfort (Territoire de Belfort): they share a border.
    static let pair = ["200065647", "200069052"]

    @Test("POST /api/check answers exactly `perimetre check --format json` for a contiguous pair")
    func checkContiguousPair() async throws {
        let a = try await RawHTTP.post(
            "/api/check",
            json: #"{"members": ["200065647", "200069052"], "against": [], "name": "Nord Franche-Comté", "id": "nfc"}"#)
        #expect(a.status == 200)
        #expect(a.headers["content-type"]?.hasPrefix("application/json") == true)
        let o = try a.json()
        for key in [
            "schema", "id", "name", "members", "unresolved", "duplicates", "epci_cut", "area_km2", "perimeter_km",
            "population",
            "commune_count", "epci_count", "polsby_popper", "bbox", "contiguity", "enclaves", "slivers", "departements",
            "regions", "interdepartemental", "interregional", "border", "findings", "metric_crs",
        ] {
            #expect(o[key] != nil, "missing key \(key)")
        }
        #expect(o["schema"] as? String == "perimetre/check/\(JSONReport.schemaVersion)")
        #expect(o["name"] as? String == "Nord Franche-Comté")
        let contiguity = try #require(o["contiguity"] as? [String: Any])
        #expect(contiguity["contiguous"] as? Bool == true)
        #expect((o["members"] as? [Any])?.count == 2)
        #expect(o["interdepartemental"] as? Bool == true)
        #expect((o["population"] as? Int ?? 0) > 200_000)

        // Byte for byte what the library gives for the same request.
        let data = try GeoData(path: TestPaths.geoDataPath)
        let req = PerimeterRequest(
            id: "nfc", name: "Nord Franche-Comté",
            members: Self.pair.enumerated().map { MemberInput(code: $1, origin: "members[\($0)]") })
        let expected = try JSONWriter(pretty: false).string(JSONReport.value(try PerimeterCheck.run(req, data: data)))
        #expect(a.text == expected)
    }

    @Test("Unknown codes beside known ones are listed in unresolved; the check still answers")
    func unknownCodesAreUnresolved() async throws {
        let a = try await RawHTTP.post("/api/check", json: #"{"members": ["200065647", "999999999"]}"#)
        #expect(a.status == 200)
        let unresolved = try #require(try a.json()["unresolved"] as? [[String: Any]])
        #expect(unresolved.map { $0["code"] as? String } == ["999999999"])
    }

    @Test("Optional fields: tolerance_m is used, a known layer id is accepted")
    func optionalFields() async throws {
        let a = try await RawHTTP.post(
            "/api/check", json: #"{"members": ["200065647", "200069052"], "tolerance_m": 250, "against": ["ti-test"]}"#)
        #expect(a.status == 200)
        let c = try #require(try a.json()["contiguity"] as? [String: Any])
        #expect(c["tolerance_m"] as? Int == 250)
        // The layer's only territory is Pays de Montbéliard Agglomération: wholly inside the perimeter.
        let overlaps = try #require(try a.json()["overlaps"] as? [[String: Any]])
        #expect(overlaps.count == 1)
        #expect(overlaps.first?["id"] as? String == "ti-test" && overlaps.first?["relation"] as? String == "contains")
        #expect(overlaps.first?["shared_members"] as? [String] == ["200065647"])
    }

    @Test(
        "422 when every member is unknown, or there is none",
        arguments: [
            #"{"members": ["999999999", "000000000"]}"#, #"{"members": []}"#, #"{"members": ["", "  "]}"#,
        ])
    func unprocessable(_ body: String) async throws {
        let a = try await RawHTTP.post("/api/check", json: body)
        #expect(a.status == 422)
        #expect((try a.json()["error"] as? String)?.isEmpty == false)
    }

    @Test(
        "400 with a JSON error for malformed or ill-typed bodies and unknown layers",
        arguments: [
            #"{"members": ["200065647""#, "not json", "", #"["200065647"]"#, #"{"codes": ["200065647"]}"#,
            #"{"members": "200065647"}"#, #"{"members": [200065647]}"#,
            #"{"members": ["200065647"], "against": ["nope"]}"#,
            #"{"members": ["200065647"], "against": "ti-test"}"#, #"{"members": ["200065647"], "tolerance_m": -5}"#,
            #"{"members": ["200065647"], "tolerance_m": "100"}"#, #"{"members": ["200065647"], "name": 12}"#,
        ])
    func badRequest(_ body: String) async throws {
        let a = try await RawHTTP.post("/api/check", json: body)
        #expect(a.status == 400, "\(body) → \(a.status) \(a.text)")
        #expect(a.headers["content-type"]?.hasPrefix("application/json") == true)
        let message = try #require(try a.json()["error"] as? String)
        #expect(!message.isEmpty)
    }

    @Test("Unknown layer: the error names the loaded layers")
    func unknownLayer() async throws {
        let a = try await RawHTTP.post("/api/check", json: #"{"members": ["200065647"], "against": ["zones-2019"]}"#)
        #expect(a.status == 400)
        let message = try #require(try a.json()["error"] as? String)
        #expect(message.contains("zones-2019") && message.contains("ti-test"))
    }

    @Test("413 for a body over 1 MB (declared or not)")
    func tooLarge() async throws {
        let big = "{\"members\": [" + Array(repeating: "\"200065647\"", count: 100_000).joined(separator: ",") + "]}"
        #expect(big.utf8.count > 1 << 20)
        let a = try await RawHTTP.post("/api/check", json: big)
        #expect(a.status == 413)
        #expect((try a.json()["error"] as? String)?.contains("trop gros") == true)
        // A lying Content-Length is caught before reading.
        let b = try await RawHTTP.request("POST", "/api/check", body: Array("{}".utf8), declaredLength: 5 << 20)
        #expect(b.status == 413)
        let c = try await RawHTTP.request(
            "POST", "/api/members", body: Array(repeating: UInt8(ascii: "1"), count: (1 << 20) + 10))
        #expect(c.status == 413)
    }

    @Test(
        "404 JSON for unknown routes and for every path traversal attempt",
        arguments: [
            "/nope", "/api", "/api/", "/api/checks", "/index.htm", "/app.js/", "/favicon.ico",
            "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
            "/..%2f..%2fetc%2fpasswd",
            "/app.js/../../../etc/passwd", "//etc/passwd", "/api/../../etc/passwd", "/%252e%252e/%252e%252e/etc/passwd",
            "/..\\..\\etc\\passwd", "/etc/passwd", "/.%2e/.%2e/etc/passwd", "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
            "/Package.swift", "/Sources/PerimetreServer/Routes.swift", "/GeoData/france-2026.gpkg",
        ])
    func notFound(_ path: String) async throws {
        let a = try await RawHTTP.get(path)
        #expect(a.status == 404 || a.status == 400, "\(path) → \(a.status)")
        #expect(!a.text.contains("root:"))
        if a.status == 404 {
            #expect(a.headers["content-type"]?.hasPrefix("application/json") == true)
            #expect((try a.json()["error"] as? String) != nil)
        }
    }

    @Test("421 for a request addressed to another host name (DNS rebinding)")
    func foreignHost() async throws {
        let a = try await RawHTTP.request("GET", "/api/regions", headers: ["Host": "evil.example:80"])
        #expect(a.status == 421)
        #expect(try await RawHTTP.request("GET", "/api/regions", headers: ["Host": "localhost"]).status == 200)
    }

    @Test("405 for a wrong method on a known route")
    func wrongMethod() async throws {
        let a = try await RawHTTP.get("/api/check")
        #expect(a.status == 405)
        #expect(a.headers["allow"] == "POST")
        let b = try await RawHTTP.post("/api/departements", json: "{}")
        #expect(b.status == 405)
    }

    @Test("The server keeps answering after bad requests")
    func survivesBadRequests() async throws {
        for body in ["{", "null", #"{"members": []}"#, #"{"members": ["x"]}"#, String(repeating: "[", count: 10_000)] {
            let a = try await RawHTTP.post("/api/check", json: body)
            #expect([400, 422].contains(a.status), "\(body.prefix(20)) → \(a.status)")
        }
        _ = try await RawHTTP.get("/../../etc/passwd")
        _ = try await RawHTTP.request("POST", "/api/check", body: Array(repeating: 0xFF, count: 2 << 20))
        _ = try await RawHTTP.request("BREW", "/")
        let ok = try await RawHTTP.post("/api/check", json: #"{"members": ["200065647", "200069052"]}"#)
        #expect(ok.status == 200)
        #expect(try await RawHTTP.get("/api/departements").status == 200)
    }

    @Test("The page and its two assets, with a strict content security policy")
    func page() async throws {
        let html = try await RawHTTP.get("/")
        #expect(html.status == 200)
        #expect(html.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(html.text.contains("<script src=\"/app.js\">") && html.text.contains("/app.css"))
        #expect(html.headers["content-security-policy"]?.contains("default-src 'self'") == true)
        // No external asset: no http(s) URL in the page, its script or its style.
        let js = try await RawHTTP.get("/app.js")
        let css = try await RawHTTP.get("/app.css")
        #expect(js.status == 200 && js.headers["content-type"]?.hasPrefix("text/javascript") == true)
        #expect(css.status == 200 && css.headers["content-type"]?.hasPrefix("text/css") == true)
        for t in [html.text, js.text, css.text] {
            // The one URL allowed is the SVG namespace name, an identifier that is never fetched.
            let t = t.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
            #expect(
                !t.contains("https://") && !t.contains("http://") && !t.contains("//cdn") && !t.contains("@import")
                    && !t.contains("@font-face"))
        }
    }

    @Test("GET /api/epci: the EPCI of a département or a région, with simplified outlines")
    func epciLayer() async throws {
        let a = try await RawHTTP.get("/api/epci?departement=25")
        #expect(a.status == 200)
        let o = try a.json()
        #expect(o["type"] as? String == "FeatureCollection")
        let fs = try #require(o["features"] as? [[String: Any]])
        let codes = fs.compactMap { ($0["properties"] as? [String: Any])?["code"] as? String }
        #expect(codes.contains("200065647"))
        #expect(a.body.count < 600_000, "payload \(a.body.count) bytes")
        let two = try await RawHTTP.get("/api/epci?departement=25,90")
        #expect(try #require(try two.json()["features"] as? [Any]).count > fs.count)
        let region = try await RawHTTP.get("/api/epci?region=27")
        #expect(region.status == 200)
        #expect(try #require(try region.json()["features"] as? [Any]).count > fs.count)
        #expect(try await RawHTTP.get("/api/epci?departement=99").status == 400)
        #expect(try await RawHTTP.get("/api/epci?region=xx").status == 400)
        #expect(try await RawHTTP.get("/api/epci").status == 400)
    }

    @Test("GET /api/search finds EPCI and communes by name, accents ignored")
    func search() async throws {
        let a = try await RawHTTP.get("/api/search?q=besancon")
        #expect(a.status == 200)
        let o = try a.json()
        let communes = try #require(o["communes"] as? [[String: Any]])
        #expect(communes.first?["code"] as? String == "25056")
        #expect(communes.first?["epci"] as? String != nil)
        let b = try await RawHTTP.get("/api/search?q=200069052")
        #expect((try b.json()["epci"] as? [[String: Any]])?.first?["code"] as? String == "200069052")
        let empty = try await RawHTTP.get("/api/search?q=")
        #expect(empty.status == 200)
    }

    @Test("GET /api/departements, /api/regions, /api/layers")
    func lists() async throws {
        let d =
            try JSONSerialization.jsonObject(with: Data(try await RawHTTP.get("/api/departements").body))
            as? [[String: Any]]
        #expect(d?.count == 101)
        let r =
            try JSONSerialization.jsonObject(with: Data(try await RawHTTP.get("/api/regions").body)) as? [[String: Any]]
        #expect(r?.count == 18)
        let l =
            try JSONSerialization.jsonObject(with: Data(try await RawHTTP.get("/api/layers").body)) as? [[String: Any]]
        #expect(l?.compactMap { $0["id"] as? String } == ["ti-test"])
    }

    @Test("POST /api/analyse: the report and the shapes to draw")
    func analyse() async throws {
        let a = try await RawHTTP.post("/api/analyse", json: #"{"members": ["200065647", "200069052"]}"#)
        #expect(a.status == 200)
        let o = try a.json()
        let report = try #require(o["report"] as? [String: Any])
        #expect((report["contiguity"] as? [String: Any])?["contiguous"] as? Bool == true)
        let features = try #require((o["map"] as? [String: Any])?["features"] as? [[String: Any]])
        let roles = Set(features.compactMap { ($0["properties"] as? [String: Any])?["role"] as? String })
        #expect(roles.isSuperset(of: ["perimeter", "component", "member"]))
    }

    @Test("POST /api/export: HTML, GeoJSON and JSON reports as downloads", arguments: ["html", "geojson", "json"])
    func export(_ format: String) async throws {
        let a = try await RawHTTP.post(
            "/api/export?format=\(format)", json: #"{"members": ["200065647", "200069052"], "id": "nfc/../x"}"#)
        #expect(a.status == 200)
        #expect(a.headers["content-disposition"] == "attachment; filename=\"nfc-x.\(format)\"")
        switch format {
        case "html": #expect(a.text.hasPrefix("<!DOCTYPE html>") && a.text.contains("<svg"))
        case "geojson": #expect(try a.json()["type"] as? String == "FeatureCollection")
        default: #expect(try a.json()["schema"] as? String == "perimetre/check/\(JSONReport.schemaVersion)")
        }
    }

    @Test("POST /api/export with an unknown format → 400")
    func exportUnknownFormat() async throws {
        let a = try await RawHTTP.post("/api/export?format=pdf", json: #"{"members": ["200065647"]}"#)
        #expect(a.status == 400)
    }

    @Test("POST /api/members reads a member file as perimetre check does (JSON and CSV)")
    func memberFile() async throws {
        let a = try await RawHTTP.post(
            "/api/members", json: #"{"id": "opt-1", "name": "Option 1", "members": ["200065647", "200069052"]}"#)
        #expect(a.status == 200)
        let o = try a.json()
        #expect(o["id"] as? String == "opt-1" && o["name"] as? String == "Option 1")
        #expect(o["members"] as? [String] == Self.pair)
        let csv = try await RawHTTP.request(
            "POST", "/api/members", body: Array("code,nom\n200065647,PMA\n200069052,Grand Belfort\n".utf8))
        #expect(try csv.json()["members"] as? [String] == Self.pair)
        let bad = try await RawHTTP.request("POST", "/api/members", body: Array("{\"nothing\": 1}".utf8))
        #expect(bad.status == 422)
        #expect((try bad.json()["error"] as? String)?.contains("/tmp") == false)
    }
}

@Suite("perimetre serve configuration")
struct ConfigurationTests {
    @Test("--against layer ids are the file base names")
    func layerIDs() throws {
        let ids = try WorkbenchConfigurationProbe.ids(["zones/ti-2023.geojson", "/data/zonages/acv.gpkg"])
        #expect(ids == ["acv", "ti-2023"])
        #expect(throws: (any Error).self) { try WorkbenchConfigurationProbe.ids(["a/x.geojson", "b/x.gpkg"]) }
    }
}

enum WorkbenchConfigurationProbe {
    static func ids(_ paths: [String]) throws -> [String] { try WorkbenchConfiguration.layerIDs(paths).keys.sorted() }
}
