import Foundation
import Testing

/// The workbench's "Comparer" in a real browser: the comparison shows perimetre diff's verdict.
@Suite(
    "perimetre serve: Comparer in a browser",
    .enabled(
        if: Chromium.available,
        "Chromium is not installed: run .ci/install-browser (Debian package chromium) to enable the browser test"))
struct DiffBrowserTests {
    @Test("Comparing Montbéliard + Belfort with Montbéliard alone: Grand Belfort added, not a marginal change")
    func compare() async throws {
        let port = try await TestServer.port.value
        // The saved option (Montbéliard alone) is the labelled one; the clicked option adds Grand Belfort,
        // about 100 000 inhabitants against Montbéliard's 140 000: far over 10 %.
        let dom = try await Chromium.dumpDOM(
            "http://127.0.0.1:\(port)/?departement=25,90&click=200065647,200069052&compare=200065647")
        #expect(dom.contains("id=\"diff-summary\""), "no diff summary in the page: \(dom.prefix(600))")
        #expect(dom.contains("data-verdict=\"not_marginal\""))
        #expect(dom.contains("Pas une modification à la marge"))
        #expect(dom.contains("EPCI ajoutés") && dom.contains("Régions (avis du conseil régional)"))
    }
}
