import Foundation
import PerimetreTestSupport
import Testing

/// The page's assets and the HTML report's style sheet are real files compiled into the binary
/// (`.embedInCode`): what is served and written is those files, byte for byte.
@Suite("Assets compiled from their files")
struct AssetTests {
    static func file(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: TestPaths.packageRoot + "/" + path)))
    }

    @Test(
        "GET /, /app.js and /app.css answer the files under Sources/PerimetreServer/Assets, byte for byte",
        arguments: [
            ("/", "index.html"), ("/index.html", "index.html"), ("/app.js", "app.js"), ("/app.css", "app.css"),
        ])
    func servedAsFiles(_ route: String, _ name: String) async throws {
        let a = try await RawHTTP.get(route)
        #expect(a.status == 200)
        let expected = try Self.file("Sources/PerimetreServer/Assets/" + name)
        #expect(!expected.isEmpty)
        #expect(a.body == expected, "\(route): \(a.body.count) bytes served, the file has \(expected.count)")
    }

    @Test("HEAD on a page route: its headers, no body; HEAD on a POST route: 405")
    func head() async throws {
        let a = try await RawHTTP.request("HEAD", "/app.js")
        #expect(a.status == 200)
        #expect(a.headers["content-type"]?.hasPrefix("text/javascript") == true)
        #expect(a.body.isEmpty)
        let b = try await RawHTTP.request("HEAD", "/api/check")
        #expect(b.status == 405)
        #expect(b.headers["allow"] == "POST")
    }

    @Test("The exported HTML report carries Sources/PerimetreReport/Assets/report.css as its style, unchanged")
    func reportStyle() async throws {
        let a = try await RawHTTP.post("/api/export?format=html", json: #"{"members": ["200065647", "200069052"]}"#)
        #expect(a.status == 200)
        let css = String(decoding: try Self.file("Sources/PerimetreReport/Assets/report.css"), as: UTF8.self)
        #expect(css.contains("body{") && css.hasSuffix("}\n"))
        #expect(a.text.contains("<style>\n" + css + "</style></head><body>"))
    }
}
