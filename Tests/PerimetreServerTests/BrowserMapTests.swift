import Foundation
import PerimetreTestSupport
import Testing

/// The workbench's map in a real browser, from the start view down to an option: France drawn
/// at once, the région → EPCI click path, the option in the URL, undo and redo, "Partir de…"
/// with a Territoire d'industrie, and what a keyboard or screen-reader user needs. Each test
/// reads the DOM after the page's scripts ran; clicks are dispatched on the map's own elements
/// (`?click=`), as a person's would be.
@Suite(
    "perimetre serve: start view, drill-down, URL, undo, accessibility",
    .enabled(
        if: Chromium.available,
        "Chromium is not installed: run .ci/install-browser (Debian package chromium) to enable the browser test"))
struct BrowserMapTests {
    /// The opening tags of the elements with `class` (exactly, or starting with it).
    static func tags(_ dom: String, _ element: String, classPrefix: String) -> [String] {
        let re = try! NSRegularExpression(pattern: "<\(element)\\b[^>]*\\bclass=\"\(classPrefix)[^\"]*\"[^>]*>")
        return re.matches(in: dom, range: NSRange(dom.startIndex..., in: dom)).map {
            String(dom[Range($0.range, in: dom)!])
        }
    }

    /// An attribute of an opening tag.
    static func attribute(_ tag: String, _ name: String) -> String? {
        guard let r = tag.range(of: " \(name)=\"") else { return nil }
        return String(tag[r.upperBound...].prefix { $0 != "\"" })
    }

    /// The member codes listed in the option (`#member-list li[data-code]`).
    static func members(_ dom: String) -> [String] {
        guard let start = dom.range(of: "id=\"member-list\""), let end = dom[start.upperBound...].range(of: "</ul>")
        else { return [] }
        let list = String(dom[start.upperBound..<end.lowerBound])
        let re = try! NSRegularExpression(pattern: "<li data-code=\"([0-9A-Z]+)\"")
        return re.matches(in: list, range: NSRange(list.startIndex..., in: list)).map {
            String(list[Range($0.range(at: 1), in: list)!])
        }
    }

    static func text(_ dom: String, id: String) -> String {
        guard let start = dom.range(of: "id=\"\(id)\""), let gt = dom[start.upperBound...].firstIndex(of: ">") else {
            return ""
        }
        let rest = dom[dom.index(after: gt)...]
        return String(rest.prefix { $0 != "<" })
    }

    @Test("The start view is France: 13 metropolitan régions and the 5 DROM in insets, drawn at once")
    func startView() async throws {
        let port = try await TestServer.port.value
        let dom = try await Chromium.dumpDOM("http://127.0.0.1:\(port)/")
        #expect(dom.contains("data-map=\"france\""), "the France map was not drawn: \(dom.prefix(600))")
        let regions = Self.tags(dom, "path", classPrefix: "region")
        let codes = Set(regions.compactMap { Self.attribute($0, "data-region") })
        // The 18 régions of France: 01 Guadeloupe, 02 Martinique, 03 Guyane, 04 La Réunion, 06 Mayotte and 13 in the metropole.
        #expect(codes.count == 18)
        #expect(codes.isSuperset(of: ["01", "02", "03", "04", "06", "11", "27", "84", "94"]))
        // Each région is a real outline (not an empty path), and a named, keyboard-usable control.
        for r in regions {
            let d = Self.attribute(r, "d") ?? ""
            #expect(
                d.components(separatedBy: "L").count > 20,
                "région \(Self.attribute(r, "data-region") ?? "?") is not drawn: \(d.prefix(80))")
            #expect(Self.attribute(r, "tabindex") == "0" && Self.attribute(r, "role") == "button")
            #expect(Self.attribute(r, "aria-label")?.hasPrefix("Région ") == true)
        }
        #expect(Self.tags(dom, "rect", classPrefix: "inset").count == 5)
        #expect(!Self.tags(dom, "path", classPrefix: "dep-border").isEmpty)
        #expect(dom.contains(">Bourgogne-Franche-Comté</text>") && dom.contains(">Guyane</text>"))
        // The DROM are moved into their insets, left of the metropole: every inset lies west of Brittany's région path.
        let viewBox = try #require(
            dom.range(of: "viewBox=\"").map { String(dom[$0.upperBound...].prefix { $0 != "\"" }) })
        #expect(viewBox.split(separator: " ").count == 4)
        let body = try #require(dom.range(of: "<body").map { String(dom[$0.lowerBound...].prefix { $0 != ">" }) })
        #expect(Int(Self.attribute(body, "data-first-paint-ms") ?? "") != nil)
    }

    @Test("Click path: région on the France map → two EPCI → the findings of the analysis")
    func clickPath() async throws {
        let port = try await TestServer.port.value
        // Bourgogne-Franche-Comté, then Pays de Montbéliard Agglomération (Doubs) and Grand Belfort (Territoire de Belfort).
        let dom = try await Chromium.dumpDOM("http://127.0.0.1:\(port)/?click=region:27,200065647,200069052")
        #expect(dom.contains("data-map=\"region\""), "the région was not opened: \(Self.text(dom, id: "status"))")
        #expect(dom.contains("data-analysis=\"done\""), "no analysis: \(Self.text(dom, id: "status"))")
        #expect(Self.members(dom) == ["200065647", "200069052"])
        #expect(dom.contains("data-contiguous=\"true\""))
        #expect(dom.contains("data-rule=\"interdepartemental\""))
        // The form follows the map; the breadcrumb says where the map is; the région's départements are named on the map.
        #expect(
            dom.contains("<option value=\"27\" selected")
                || dom.contains("aria-current=\"location\">Bourgogne-Franche-Comté<"))
        let depLabels = Set(
            Self.tags(dom, "text", classPrefix: "dep-label").compactMap { Self.attribute($0, "data-departement") })
        #expect(depLabels == ["21", "25", "39", "58", "70", "71", "89", "90"])
        // Every EPCI of the région is a named toggle; the two members are pressed.
        let epci = Self.tags(dom, "path", classPrefix: "epci")
        #expect(epci.count > 50)
        #expect(
            epci.allSatisfy {
                Self.attribute($0, "tabindex") == "0" && Self.attribute($0, "role") == "button"
                    && Self.attribute($0, "aria-label") != nil
            })
        #expect(epci.filter { Self.attribute($0, "aria-pressed") == "true" }.count == 2)
    }

    @Test("A département label leads one level down; an EPCI is toggled with the keyboard (Enter)")
    func departementAndKeyboard() async throws {
        let port = try await TestServer.port.value
        let dom = try await Chromium.dumpDOM("http://127.0.0.1:\(port)/?click=region:27,departement:90,key:200069052")
        #expect(
            dom.contains("data-map=\"departements\""), "the département was not opened: \(Self.text(dom, id: "status"))"
        )
        #expect(dom.contains("<option value=\"90\" selected") || dom.contains(">Territoire de Belfort (90)<"))
        #expect(Self.members(dom) == ["200069052"])
        #expect(dom.contains("data-analysis=\"done\""))
    }

    @Test("A shared link (#members=…&name=…) reopens the option: members, name, analysis")
    func sharedURL() async throws {
        let port = try await TestServer.port.value
        let dom = try await Chromium.dumpDOM(
            "http://127.0.0.1:\(port)/#members=200065647,200069052&name=Nord%20Franche-Comt%C3%A9")
        #expect(dom.contains("data-analysis=\"done\""), "no analysis: \(Self.text(dom, id: "status"))")
        #expect(Self.members(dom) == ["200065647", "200069052"])
        #expect(dom.contains("<title>Nord Franche-Comté — Atelier de périmètre"))
        // The map shows the départements of the members (Doubs and Territoire de Belfort), members painted.
        #expect(dom.contains("data-map=\"departements\""))
        #expect(Self.tags(dom, "path", classPrefix: "epci member").count == 2)
        #expect(dom.contains("data-rule=\"cross_border\""))
    }

    @Test("Undo (Ctrl+Z) takes back the last click; redo (Ctrl+Y) puts it back")
    func undoRedo() async throws {
        let port = try await TestServer.port.value
        let undone = try await Chromium.dumpDOM("http://127.0.0.1:\(port)/?click=region:27,200065647,200069052,undo")
        #expect(Self.members(undone) == ["200065647"], "undo: \(Self.text(undone, id: "status"))")
        #expect(undone.contains("data-analysis=\"done\""))
        #expect(!undone.contains("data-rule=\"interdepartemental\""), "the analysis still shows the undone member")
        #expect(Self.tags(undone, "path", classPrefix: "epci member").count == 1)
        let redone = try await Chromium.dumpDOM(
            "http://127.0.0.1:\(port)/?click=region:27,200065647,200069052,undo,redo")
        #expect(Self.members(redone) == ["200065647", "200069052"])
        #expect(redone.contains("data-rule=\"interdepartemental\""))
        // Two undos past the start: the option is empty and nothing more to undo.
        let empty = try await Chromium.dumpDOM("http://127.0.0.1:\(port)/?click=region:27,200065647,undo,undo")
        #expect(Self.members(empty).isEmpty)
        #expect(empty.contains("data-undo=\"0\""))
        #expect(empty.contains("data-analysis=\"empty\""))
    }

    @Test("Screen readers: the findings are announced in a live region; every button has a name")
    func accessibility() async throws {
        let port = try await TestServer.port.value
        let dom = try await Chromium.dumpDOM("http://127.0.0.1:\(port)/?click=region:27,200065647,200069052")
        let live = try #require(
            dom.range(of: "<div id=\"announce\"").map { String(dom[$0.lowerBound...].prefix { $0 != ">" }) })
        #expect(live.contains("aria-live=\"polite\""))
        let said = Self.text(dom, id: "announce")
        #expect(said.hasPrefix("Analyse : 2 EPCI, périmètre contigu"), "announced: \(said)")
        #expect(said.contains("interdépartemental"))
        // Buttons: a visible text or an aria-label, never an unnamed icon.
        let re = try NSRegularExpression(pattern: "<button([^>]*)>(.*?)</button>", options: [.dotMatchesLineSeparators])
        let buttons = re.matches(in: dom, range: NSRange(dom.startIndex..., in: dom))
        #expect(buttons.count > 15)
        for b in buttons {
            let attrs = String(dom[Range(b.range(at: 1), in: dom)!])
            let inner = String(dom[Range(b.range(at: 2), in: dom)!])
            let visible = inner.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
                .trimmingCharacters(in: .whitespaces)
            let named = attrs.contains("aria-label=\"") || visible.count > 1
            #expect(named, "unnamed button: <button\(attrs)>\(inner)")
        }
        // The map is a named group; the icon buttons have labels.
        #expect(dom.contains("id=\"map\"") && dom.contains("role=\"group\""))
        #expect(dom.contains("aria-label=\"Zoomer\"") && dom.contains("aria-label=\"Recentrer la carte\""))
    }
}

/// "Partir de…" and the territory outlines, on a server started with `--territories` (the real
/// 2023-2027 TI list) and `--against` (the real 2022 CRTE list).
@Suite(
    "perimetre serve --territories in a browser",
    .enabled(
        if: Chromium.available && TestServer.hasTerritoryFiles,
        "Chromium or the shared TI/CRTE lists are missing: run .ci/install-browser; the lists are in ../shared/data"))
struct BrowserTerritoryTests {
    @Test("Partir de… a Territoire d'industrie loads its members as the option, and the TI outlines are drawn")
    func startFromTI() async throws {
        let port = try await TestServer.withTerritories.value
        let dom = try await Chromium.dumpDOM("http://127.0.0.1:\(port)/?from=ti-2708", budgetMs: 40_000)
        #expect(dom.contains("data-analysis=\"done\""), "no analysis: \(BrowserMapTests.text(dom, id: "status"))")
        // ti-2708 Nord Franche-Comté, as listed in ti_2023_2027_membres.csv.
        #expect(BrowserMapTests.members(dom) == ["200065647", "200069052", "200069060", "247000722", "249000241"])
        #expect(dom.contains("<title>Nord Franche-Comté — Atelier de périmètre"))
        #expect(dom.contains("data-contiguous=\"true\""))
        // The TI layer is drawn as labelled outlines over the map (shown by default), the CRTE on demand.
        #expect(dom.contains("data-layer=\"ti_2023_2027_membres\""))
        #expect(dom.contains("data-territory=\"ti-2708\""))
        #expect(dom.contains("id=\"outline-liste_crte_groupements_2022\""))
        // Undoable: the loaded territory is one step.
        #expect(dom.contains("data-undo=\"1\""))
    }

    @Test("Partir de… a CRTE: the CRTE's members become the option")
    func startFromCRTE() async throws {
        let port = try await TestServer.withTerritories.value
        let dom = try await Chromium.dumpDOM(
            "http://127.0.0.1:\(port)/?from=CRTE%20du%20Pays%20Beaunois", budgetMs: 40_000)
        #expect(dom.contains("data-analysis=\"done\""), "no analysis: \(BrowserMapTests.text(dom, id: "status"))")
        // crte-27-21-11, as listed in liste_crte_groupements_2022.csv: four groupements.
        #expect(Set(BrowserMapTests.members(dom)) == ["200006682", "200070894", "200071207", "242101509"])
        #expect(dom.contains("<title>CRTE du Pays Beaunois — Atelier de périmètre"))
    }
}
