import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport
import PerimetreTestSupport
import Testing

/// The DocC article "Use perimetre from a Swift script" (PerimetreAnalysis.docc/UsingFromAScript.md):
/// its code is run here on the real reference data, and the article's code blocks after the first
/// are checked to be this file's, line for line, so the article cannot drift from the API.
@Suite("docs: the Swift script article")
struct DocArticleTests {
    static let articlePath =
        TestPaths.packageRoot + "/Sources/PerimetreAnalysis/PerimetreAnalysis.docc/UsingFromAScript.md"

    /// The article's code, as a script would run it. The first block of the article (imports,
    /// `GeoData.open()` and the output file) is the only part written differently here: the
    /// tests open the GeoPackage they were given and write into a temporary folder.
    static func runArticle(data: GeoData, output: String) throws -> (CheckResult, Verdict, Bool) {
        // BEGIN ARTICLE
        let codes = ["200065647", "200069052"]
        let request = PerimeterRequest(
            id: "option-1", name: "Option 1",
            members: codes.map { MemberInput(code: $0, origin: "script") })
        let result = try PerimeterCheck.run(request, data: data)
        let contiguous = result.contiguity.contiguous
        let worst = result.findings.map(\.severity).max() ?? .info
        let verdict: Verdict = worst == .bloquant ? .bloquant : worst == .attention ? .attention : .conforme
        for finding in result.findings {
            print(finding.severity.rawValue, finding.rule.rawValue, finding.message)
        }
        print(verdict.rawValue, contiguous, result.figures.areaKm2, result.figures.population)
        let geojson = try GeoJSONReport.render(result)
        try AtomicFile.write(Data(geojson.utf8), to: output)
        // END ARTICLE
        return (result, verdict, contiguous)
    }

    @Test("the article's code blocks are the code this suite runs")
    func articleMatchesCode() throws {
        let article = try String(contentsOfFile: Self.articlePath, encoding: .utf8)
        var blocks: [[String]] = []
        var current: [String]? = nil
        for line in article.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```swift") {
                current = []
            } else if line.hasPrefix("```"), let c = current {
                blocks.append(c)
                current = nil
            } else if current != nil {
                current!.append(line.trimmingCharacters(in: .whitespaces))
            }
        }
        // The package dependency block and the imports/open block, then the article's steps.
        let opening = try #require(blocks.firstIndex { $0.contains("let data = try GeoData.open()") })
        let steps = blocks[(opening + 1)...].flatMap { $0 }.filter { !$0.isEmpty }
        #expect(steps.count >= 10, "the article lost its steps")

        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let begin = try #require(source.range(of: "// BEGIN ARTICLE"))
        let end = try #require(source.range(of: "// END ARTICLE"))
        let code = source[begin.upperBound..<end.lowerBound].split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        #expect(steps == code, "UsingFromAScript.md and DocArticleTests.runArticle differ")
    }

    @Test(
        "the article's script: two neighbouring EPCI, contiguous, written as GeoJSON with both members",
        .enabled(if: TestPaths.hasSharedData, "\(TestPaths.noSharedData)"))
    func articleRuns() throws {
        let data = try geoData()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("doc-article-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("option-1.geojson").path

        let (result, verdict, contiguous) = try Self.runArticle(data: data, output: output)

        // Independent expectation: Montbéliard and Grand Belfort share a border on the Etalab contours.
        let l = try Lambert93()
        let border = try l.sharedBorder(try l.metric(code: "200065647"), try l.metric(code: "200069052"))
        #expect(border > 1000, "the two EPCI share \(border) m of border on the Etalab contours")
        #expect(contiguous)
        #expect(result.contiguity.components.count == 1)
        #expect(!result.findings.contains { $0.rule == .nonContiguous || $0.rule == .unresolvedCode })
        #expect(verdict != .erreur)
        #expect(Set(result.members.map(\.code)) == ["200065647", "200069052"])

        // The file parses as GeoJSON (Foundation's parser, not ours) and holds the perimeter and both members.
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any]
        #expect(json?["type"] as? String == "FeatureCollection")
        let features = try #require(json?["features"] as? [[String: Any]])
        let properties = features.compactMap { $0["properties"] as? [String: Any] }
        #expect(properties.filter { $0["role"] as? String == "perimeter" }.count == 1)
        let memberCodes = properties.filter { $0["role"] as? String == "member" }.compactMap { $0["code"] as? String }
        #expect(Set(memberCodes) == ["200065647", "200069052"])
        #expect(features.allSatisfy { ($0["geometry"] as? [String: Any])?["coordinates"] != nil })
    }
}
