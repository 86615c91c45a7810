import Foundation
import Testing

/// End to end in a real browser: headless Chromium loads the page from the in-process server,
/// the page clicks EPCI on its own map (`?click=`, dispatched on the SVG paths as a person's
/// clicks would be), runs the analysis through the API, and the test reads the findings from
/// the DOM after the scripts ran. Skipped when Chromium is absent (install it with .ci/install-browser).
@Suite(
    "perimetre serve in a browser",
    .enabled(
        if: Chromium.available,
        "Chromium is not installed: run .ci/install-browser (Debian package chromium) to enable the browser test"))
struct BrowserTests {
    @Test("Clicking two neighbouring EPCI on the map shows a contiguous perimeter and its findings")
    func clickTwoEPCI() async throws {
        let port = try await TestServer.port.value
        let dom = try await Chromium.dumpDOM(
            "http://127.0.0.1:\(port)/?departement=25,90&click=200065647,200069052&name=Nord%20Franche-Comt%C3%A9")
        #expect(dom.contains("data-analysis=\"done\""), "the analysis did not finish in the page: \(dom.prefix(600))")
        #expect(dom.contains("data-contiguous=\"true\""))
        #expect(dom.contains("Périmètre contigu."))
        // Both members were selected through the map: listed, and painted as members.
        #expect(dom.contains("data-code=\"200065647\"") && dom.contains("data-code=\"200069052\""))
        #expect(dom.components(separatedBy: "class=\"epci member\"").count - 1 == 2)
        // The French findings with their FAQ references, as the check gives them.
        #expect(dom.contains("data-rule=\"interdepartemental\"") && dom.contains("Périmètre interdépartemental"))
        #expect(dom.contains("data-rule=\"cross_border\""))
        #expect(dom.contains("FAQ 2.5"))
        #expect(dom.contains("Suisse"))
        // Figures.
        #expect(dom.contains("km²") && dom.contains("habitants") && dom.contains("communes"))
    }

    @Test("Two EPCI far apart: the page reports a non-contiguous perimeter")
    func nonContiguous() async throws {
        let port = try await TestServer.port.value
        // Grand Belfort (90) and Grand Besançon Métropole (25) do not touch.
        let dom = try await Chromium.dumpDOM("http://127.0.0.1:\(port)/?departement=25,90&click=200069052,242500361")
        #expect(dom.contains("data-analysis=\"done\""), "the analysis did not finish in the page: \(dom.prefix(600))")
        #expect(dom.contains("data-contiguous=\"false\""))
        #expect(dom.contains("Périmètre non contigu"))
        #expect(dom.contains("data-rule=\"non_contiguous\"") && dom.contains("FAQ 2.1"))
    }
}
