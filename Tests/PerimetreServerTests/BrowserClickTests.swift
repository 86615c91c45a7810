import Foundation
import Testing

/// A click shows its analysis from `POST /api/check` (the report alone, from the reference
/// topology); the exact shapes follow from `/api/analyse` once the clicks pause. In a real
/// browser: 10 neighbouring EPCI clicked one after the other on the map of 25, 70 and 90.
@Suite(
    "perimetre serve: analysis on click, shapes afterwards",
    .enabled(
        if: Chromium.available,
        "Chromium is not installed: run .ci/install-browser (Debian package chromium) to enable the browser test"))
struct BrowserClickTests {
    /// 10 neighbouring EPCI grown from the Pays de Montbéliard by shared borders (as `perimetre benchmark`).
    static let ten = [
        "200065647", "200023075", "200068294", "200069052", "242504371",
        "247000722", "249000241", "242504355", "200041853", "242504447",
    ]

    @Test("Ten clicks: the option of 10 EPCI analysed (contiguous, 3 départements), then its exact outline drawn")
    func tenClicks() async throws {
        let port = try await TestServer.port.value
        let dom = try await Chromium.dumpDOM(
            "http://127.0.0.1:\(port)/?departement=25,70,90&click=" + Self.ten.joined(separator: ","))
        #expect(dom.contains("data-analysis=\"done\""), "no analysis: \(BrowserMapTests.text(dom, id: "status"))")
        #expect(Set(BrowserMapTests.members(dom)) == Set(Self.ten))
        #expect(BrowserMapTests.tags(dom, "path", classPrefix: "epci member").count == 10)
        #expect(dom.contains("data-contiguous=\"true\""))
        #expect(dom.contains("data-rule=\"interdepartemental\""))
        // Only the last click's analysis is drawn: the ones it overtook were dropped, none failed.
        #expect(!dom.contains("data-analysis=\"error\""))
        // The exact shapes arrived after the analysis and replaced the outline drawn from the EPCI.
        #expect(dom.contains("data-shapes=\"done\""), "shapes: \(BrowserMapTests.text(dom, id: "status"))")
        #expect(BrowserMapTests.tags(dom, "path", classPrefix: "outline").count == 1)
        #expect(BrowserMapTests.tags(dom, "path", classPrefix: "outline draft").isEmpty)
        // What the page measured from the last click to the analysis on screen (virtual time under
        // --virtual-time-budget: reported, not judged; scripts/bench-serve measures in real time).
        let body = try #require(dom.range(of: "<body").map { String(dom[$0.lowerBound...].prefix { $0 != ">" }) })
        let ms = try #require(BrowserMapTests.attribute(body, "data-analysis-ms").flatMap { Int($0) })
        print("browser: last click → analysis on screen, \(ms) ms (Chromium virtual time)")
    }

    @Test(
        "Before the exact shapes arrive, the option is drawn from the EPCI on the map: an outline clipped to outside the members"
    )
    func draftOutline() async throws {
        let port = try await TestServer.port.value
        // ?shapes=off: the page does not fetch the exact shapes, so the DOM shows the first drawing.
        let dom = try await Chromium.dumpDOM(
            "http://127.0.0.1:\(port)/?departement=25,90&shapes=off&click=200065647,200069052")
        #expect(dom.contains("data-analysis=\"done\""), "no analysis: \(BrowserMapTests.text(dom, id: "status"))")
        #expect(dom.contains("data-shapes=\"pending\""))
        let outline = try #require(BrowserMapTests.tags(dom, "path", classPrefix: "outline draft").first)
        #expect(BrowserMapTests.attribute(outline, "clip-path") == "url(#draft-clip)")
        // The outline is the two members' own path data, as drawn on the base map.
        let members = BrowserMapTests.tags(dom, "path", classPrefix: "epci member").compactMap {
            BrowserMapTests.attribute($0, "d")
        }
        #expect(members.count == 2)
        let d = try #require(BrowserMapTests.attribute(outline, "d"))
        #expect(d == members.joined() || d == members.reversed().joined())
        // The clip is a frame (one rectangle, even-odd) followed by the same two members.
        let start = try #require(dom.range(of: "<clipPath id=\"draft-clip\">"))
        let end = try #require(dom[start.upperBound...].range(of: "</clipPath>"))
        let clip = String(dom[start.upperBound..<end.lowerBound])
        #expect(clip.contains("clip-rule=\"evenodd\""))
        #expect(clip.contains("Z" + d + "\""))
    }
}
