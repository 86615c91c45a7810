import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport
import PerimetreTestSupport
import Testing

/// The audit's HTML report in headless Chromium: the tables fit the page at 1,280 px and at the
/// printable width of A4 landscape, and the map and the table answer each other.
@Suite(
    "Audit HTML report in Chromium", .serialized,
    .enabled(if: MapEnv.hasRealData && TestPaths.allExist([TestPaths.crte2022]), Comment(rawValue: MapEnv.noRealData)),
    .enabled(if: PosterTests.chromium != nil, "chromium not found (run .ci/install-browser): rendering test skipped"))
struct AuditHTMLBrowserTests {
    /// The 183 TI against the 2022 CRTE list (so that the CRTE table is there too).
    static let audit: Result<(AuditResult, GeoData), any Error> = Result {
        let data = try GeoData(path: TestPaths.geoDataPath)
        var tables = CompositionTables()
        for p in TestPaths.compositionPaths { try tables.load(p) }
        let crte = try ResolvedLayer.resolve(
            try TerritoryLayer.load(TestPaths.crte2022), data: data, compositions: tables)
        return (
            try Audit.run(
                try TerritoryLayer.load(TestPaths.tiMembers2023), data: data, compositions: tables, against: [crte],
                options: AnalysisOptions(mapContext: false)), data
        )
    }

    static func report(regions: [String]) throws -> (html: String, scope: AuditScope) {
        let (audit, data) = try audit.get()
        let (shown, scope) = try AuditSelection(regions: regions, departements: [], data: data).apply(
            to: audit, data: data)
        let map = try AuditMap.svg(shown, scope: scope, data: data, sources: "Sources : test")
        return (AuditReport.html(shown, scope: scope, map: map.svg), scope)
    }

    /// Measures every cell of the three tables (a cell is clipped when its content is wider than
    /// it or when it ends beyond the viewport), then clicks a row, hovers and clicks a territory.
    static let probe = """
        <pre id="out">pending</pre><script>
        (() => {
          const vw = document.documentElement.clientWidth, out = {vw, pageWidth: document.documentElement.scrollWidth, tables: {}};
          for (const id of ['t', 'region-table', 'crte']) {
            const t = document.getElementById(id); if (!t) continue;
            const clipped = [];
            t.querySelectorAll('th,td').forEach(c => { const r = c.getBoundingClientRect();
              if (r.right > vw + 0.5 || c.scrollWidth > c.clientWidth + 1) clipped.push(c.cellIndex + ' ' + c.textContent.slice(0, 40) + ' ' + c.scrollWidth + '>' + c.clientWidth); });
            out.tables[id] = {cells: t.querySelectorAll('th,td').length, right: t.getBoundingClientRect().right, clipped: clipped.slice(0, 20)};
          }
          const svg = document.querySelector('#map svg'); out.mapRight = svg.getBoundingClientRect().right; out.mapWidth = svg.getBoundingClientRect().width;
          out.paths = document.querySelectorAll('#map path.territory').length;
          const row = document.querySelector('#t tbody tr[data-id]'); out.row = row.dataset.id;
          row.click(); out.rowToMap = [...document.querySelectorAll('#map path.territory.sel')].map(p => p.dataset.id);
          const p = [...document.querySelectorAll('#map path.territory')].find(x => x.dataset.id !== row.dataset.id); out.path = p.dataset.id;
          p.dispatchEvent(new MouseEvent('mouseenter')); out.tip = document.getElementById('tip').textContent;
          out.hoverRow = [...document.querySelectorAll('#t tbody tr.hl')].map(r => r.dataset.id);
          p.dispatchEvent(new MouseEvent('mouseleave')); p.dispatchEvent(new MouseEvent('click', {bubbles: true}));
          out.mapToRow = [...document.querySelectorAll('#t tbody tr.sel')].map(r => r.dataset.id);
          document.getElementById('out').textContent = JSON.stringify(out);
        })();
        </script>
        """

    /// Loads the report at `width` px; `print`: with its print styles applied to the screen.
    static func measure(_ html: String, width: Int, print: Bool) throws -> [String: Any] {
        var page = html.replacingOccurrences(of: "</body>", with: probe + "</body>")
        if print { page = page.replacingOccurrences(of: "@media print{", with: "@media all{") }
        return try PosterTests.chromiumOutput(page, arguments: ["--window-size=\(width),1000", "--hide-scrollbars"])
    }

    func check(_ out: [String: Any], width: Int, expectedRows: Int, national: Bool) throws {
        let vw = try #require(out["vw"] as? Int, "\(out)")
        #expect(vw == width, "viewport \(vw)")
        #expect(
            (out["pageWidth"] as? Int ?? .max) <= vw, "the page scrolls sideways: \(out["pageWidth"] ?? "?") > \(vw)")
        let tables = try #require(out["tables"] as? [String: [String: Any]])
        let t = try #require(tables["t"])
        // 8 columns: a header row, the rows, in a national report one région heading per group.
        #expect((t["cells"] as? Int ?? 0) >= 8 * (expectedRows + 1))
        for (id, v) in tables {
            #expect((v["clipped"] as? [String])?.isEmpty == true, "\(id) at \(width) px: \(v["clipped"] ?? "")")
            #expect((v["right"] as? Double ?? .infinity) <= Double(vw) + 0.5, "\(id) ends at \(v["right"] ?? "")")
        }
        #expect(tables["crte"] != nil)
        #expect((tables["region-table"] != nil) == national)
        #expect((out["mapRight"] as? Double ?? .infinity) <= Double(vw) + 0.5)
        #expect((out["mapWidth"] as? Double ?? 0) > Double(width) * 0.45, "map too small: \(out["mapWidth"] ?? "")")
    }

    @Test("régional report (--region 27): no column clipped at 1,280 px nor at A4 landscape print width; row ⇄ map")
    func regional() throws {
        let (html, scope) = try Self.report(regions: ["27"])
        #expect(html.contains("<title>\(scope.title)</title>"))
        let wide = try Self.measure(html, width: 1280, print: false)
        try check(wide, width: 1280, expectedRows: scope.selected.count, national: false)
        // Clicking a row selects its candidature on the map; hovering another names it and
        // highlights its row; clicking it selects its row.
        let row = try #require(wide["row"] as? String)
        #expect(wide["rowToMap"] as? [String] == [row])
        let path = try #require(wide["path"] as? String)
        #expect((wide["tip"] as? String)?.hasPrefix(path + " ") == true, "tip: \(wide["tip"] ?? "")")
        #expect(wide["hoverRow"] as? [String] == [path])
        #expect(wide["mapToRow"] as? [String] == [path])
        #expect(wide["paths"] as? Int == scope.selected.count + scope.related.count)
        // A4 landscape, 10 mm margins: 277 mm = 1,047 CSS px.
        try check(
            try Self.measure(html, width: 1047, print: true), width: 1047, expectedRows: scope.selected.count,
            national: false)
    }

    @Test("national report: grouped by région, no column clipped at 1,280 px nor at A4 landscape print width")
    func national() throws {
        let (html, scope) = try Self.report(regions: [])
        #expect(scope.isNational)
        let wide = try Self.measure(html, width: 1280, print: false)
        try check(wide, width: 1280, expectedRows: 183, national: true)
        #expect(wide["paths"] as? Int == 183)
        try check(try Self.measure(html, width: 1047, print: true), width: 1047, expectedRows: 183, national: true)
    }
}
