import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport
import PerimetreTestSupport
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// What an SVG poster contains, read back with Foundation's XMLParser.
final class PosterSVGReader: NSObject, XMLParserDelegate {
    struct Frame {
        var code: String
        var rect: [Double]
        var scale: String
        var crs: String
    }
    var territoryPaths: [String] = []
    var frames: [Frame] = []
    var pathsWithoutData = 0
    var root: [String: String] = [:]
    var error: (any Error)?

    init(_ svg: String) {
        super.init()
        let p = XMLParser(data: Data(svg.utf8))
        p.delegate = self
        if !p.parse() { error = p.parserError ?? NSError(domain: "xml", code: 1) }
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if name == "svg" { root = attributes }
        if name == "path", attributes["class"] == "territory" {
            territoryPaths.append(attributes["data-id"] ?? "")
            if (attributes["d"] ?? "").isEmpty { pathsWithoutData += 1 }
            #expect(attributes["id"] == "territory-" + (attributes["data-id"] ?? ""))
        }
        if name == "g", attributes["class"] == "frame" {
            frames.append(
                Frame(
                    code: String((attributes["id"] ?? "").dropFirst("frame-".count)),
                    rect: (attributes["data-rect"] ?? "").split(separator: " ").compactMap { Double($0) },
                    scale: attributes["data-scale"] ?? "", crs: attributes["data-crs"] ?? ""))
        }
    }
}

/// The SVG poster of the 183 TI (skipped without ../shared/data).
@Suite("SVG poster of the 183 TI", .serialized)
struct PosterTests {
    static let poster:
        Result<(svg: String, again: String, report: NationalPoster.Report, features: [String]), any Error> = Result {
            let audit = try realAudit.get()
            var options = MapOptions()
            options.roundFeatures = false
            let map = try NationalMap.build(audit, options: options)
            let data = try GeoData(path: TestPaths.geoDataPath)
            var o = NationalPoster.Options()
            o.labels = .id
            o.sources = NationalPoster.sourcesLine(data, territoriesFile: TestPaths.tiMembers2023)
            let bg = try NationalPoster.background(data, simplifyMetres: nil)
            let a = try NationalPoster.render(map: map, audit: audit, background: bg, options: o)
            // A second rendering from a fresh background: same bytes.
            let b = try NationalPoster.render(
                map: map, audit: audit, background: try NationalPoster.background(data, simplifyMetres: nil), options: o
            )
            return (a.svg, b.svg, a.report, map.features.map { $0.id?.stringValue ?? "" })
        }

    @Test(
        "valid XML, one path per territory with its id, five insets in the documented places, same bytes twice",
        .enabled(if: MapEnv.hasRealData, Comment(rawValue: MapEnv.noRealData)))
    func structure() throws {
        let p = try Self.poster.get()
        #expect(p.svg == p.again)
        let r = PosterSVGReader(p.svg)
        #expect(r.error == nil, "XML: \(String(describing: r.error))")
        #expect(r.root["viewBox"] == "0 0 297 210")
        #expect(r.root["width"] == "297mm")
        #expect(r.territoryPaths.count == 183)
        #expect(r.territoryPaths.sorted() == p.features.sorted())
        #expect(r.pathsWithoutData == 0)
        #expect(p.report.outsideFrames.isEmpty)
        // Frames: metropolitan France and the five DROM, in their official CRS.
        #expect(r.frames.map(\.code) == ["FXX", "971", "972", "973", "974", "976"])
        #expect(r.frames.map(\.crs) == ["EPSG:2154", "EPSG:5490", "EPSG:5490", "EPSG:2972", "EPSG:2975", "EPSG:4471"])
        #expect(r.frames.allSatisfy { $0.scale.hasPrefix("1:") && $0.rect.count == 4 })
        // Landscape layout: the insets stacked on the left of metropolitan France, inside the page, disjoint.
        let main = r.frames[0].rect
        for f in r.frames.dropFirst() {
            #expect(f.rect[0] + f.rect[2] < main[0], "\(f.code) is not left of metropolitan France")
            #expect(f.rect[0] >= 0 && f.rect[1] >= 0 && f.rect[1] + f.rect[3] <= 210)
        }
        let ys = r.frames.dropFirst().map { $0.rect[1] }
        #expect(ys == ys.sorted())
        for (a, b) in zip(r.frames.dropFirst(), r.frames.dropFirst(2)) { #expect(a.rect[1] + a.rect[3] < b.rect[1]) }
        // The scale stated is the one drawn: metropolitan France (about 1 000 km east-west) fits at 1:5-10 M.
        let denominator = Int(r.frames[0].scale.dropFirst(2).replacingOccurrences(of: " ", with: ""))!
        #expect((5_000_000...10_000_000).contains(denominator))
        #expect(p.svg.contains("IGN ADMIN EXPRESS"))
        #expect(p.svg.contains("Natural Earth"))
        #expect(p.svg.utf8.count <= 3_000_000, "\(p.svg.utf8.count) bytes")
        // Labels: most placed, none twice.
        #expect(p.report.labelsPlaced + p.report.labelsSkipped.count == 183)
        #expect(p.report.labelsPlaced >= 150)
    }

    @Test(
        "colour by verdict, by a numeric property, by a categorical one; an unknown property lists the known ones",
        .enabled(if: MapEnv.hasRealData, Comment(rawValue: MapEnv.noRealData)))
    func colouring() throws {
        let audit = try realAudit.get()
        var options = MapOptions()
        options.roundFeatures = false
        let map = try NationalMap.build(audit, options: options)
        let items = NationalPoster.items(map, audit: audit)
        let props = items.map(\.properties)
        let verdicts = items.map(\.verdict)
        let v = try PosterPalette.colors(
            by: .verdict, properties: props, verdicts: verdicts, regionNames: [:], regionColors: [:])
        // Each territory gets the colour of its own audit verdict.
        let byVerdict = Dictionary(uniqueKeysWithValues: PosterPalette.verdicts.map { ($0.verdict, $0.color) })
        for (i, t) in items.enumerated() { #expect(v.colors[i] == byVerdict[try #require(t.verdict)]) }
        let pop = try PosterPalette.colors(
            by: .property("population"), properties: props, verdicts: verdicts, regionNames: [:], regionColors: [:])
        #expect(pop.legend.count == 5)
        // Quantile classes: the most populated territory is in the darkest class, the least in the lightest.
        let populations = props.map { $0["population"]!.doubleValue! }
        #expect(pop.colors[populations.firstIndex(of: populations.max()!)!] == PosterPalette.sequential.last)
        #expect(pop.colors[populations.firstIndex(of: populations.min()!)!] == PosterPalette.sequential.first)
        let contiguous = try PosterPalette.colors(
            by: .property("contiguous"), properties: props, verdicts: verdicts, regionNames: [:], regionColors: [:])
        #expect(Set(contiguous.legend.map(\.label)).isSubset(of: ["oui", "non"]))
        #expect(throws: PosterError.self) {
            try PosterPalette.colors(
                by: .property("couleur"), properties: props, verdicts: verdicts, regionNames: [:], regionColors: [:])
        }
        do {
            _ = try PosterPalette.colors(
                by: .property("couleur"), properties: props, verdicts: verdicts, regionNames: [:], regionColors: [:])
        } catch {
            #expect("\(error)".contains("population"))
            #expect("\(error)".contains("region"))
        }
    }

    @Test("neighbouring régions get different colours")
    func regionColouring() {
        // Five régions around a sixth (a wheel): the hub differs from all, consecutive rim régions differ.
        let rim = ["11", "24", "27", "28", "32"]
        var n: [String: Set<String>] = ["44": Set(rim)]
        for (i, r) in rim.enumerated() {
            n[r, default: []].formUnion(["44", rim[(i + 1) % rim.count], rim[(i + 4) % rim.count]])
        }
        let c = PosterPalette.regionColors(codes: ["44"] + rim, neighbours: n)
        for (r, ns) in n { for x in ns { #expect(c[r] != c[x], "\(r) and \(x)") } }
        #expect(Set(c.values).count >= 4)
    }

    /// Chromium (Debian's; .ci/install-browser installs it), or `$CHROMIUM`.
    static let chromium: String? = {
        if let p = ProcessInfo.processInfo.environment["CHROMIUM"], FileManager.default.isExecutableFile(atPath: p) {
            return p
        }
        return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    @Test(
        "Chromium draws it: not blank, each frame's box where the layout says (border dark, inside coloured, outside white)",
        .enabled(if: MapEnv.hasRealData, Comment(rawValue: MapEnv.noRealData)),
        .enabled(if: chromium != nil, "chromium not found (run .ci/install-browser): rendering test skipped"))
    func chromiumRendering() throws {
        let p = try Self.poster.get()
        let frames = PosterSVGReader(p.svg).frames
        try #require(frames.count == 6)
        // 4 px per millimetre. Probes per frame: 1.2 mm inside its top-right corner (sea or land,
        // not paper), 1.2 mm outside its right edge (paper), and a strip across its left edge (the border).
        var probes: [String] = []
        for f in frames {
            let (x, y, w) = (f.rect[0], f.rect[1], f.rect[2])
            probes.append("['\(f.code)-inside', \(x + w - 1.2), \(y + 1.2)]")
            probes.append("['\(f.code)-outside', \(x + w + 1.2), \(y + 10)]")
            probes.append("['\(f.code)-border', \(x), \(y + 10)]")
        }
        let html = """
            <!doctype html><html><body style="margin:0"><canvas id="c" width="1188" height="840"></canvas><pre id="out">pending</pre>
            <script>
            const img = new Image();
            img.onload = () => {
              const g = document.getElementById('c').getContext('2d');
              g.fillStyle = '#ffffff'; g.fillRect(0, 0, 1188, 840);
              g.drawImage(img, 0, 0, 1188, 840);
              const out = {};
              for (const [name, x, y] of [\(probes.joined(separator: ","))]) {
                // darkest pixel of a 5x1 strip (a 0.3 mm border is about one pixel wide)
                const d = g.getImageData(Math.round(x * 4) - 2, Math.round(y * 4), 5, 1).data;
                let best = 765, px = null;
                for (let i = 0; i < d.length; i += 4) { const s = d[i] + d[i + 1] + d[i + 2]; if (s < best) { best = s; px = [d[i], d[i + 1], d[i + 2]]; } }
                out[name] = name.endsWith('border') ? px : Array.from(g.getImageData(Math.round(x * 4), Math.round(y * 4), 1, 1).data.slice(0, 3));
              }
              const all = g.getImageData(0, 0, 1188, 840).data;
              let nonWhite = 0, total = 0, colours = new Set();
              for (let i = 0; i < all.length; i += 4 * 13) { total++; if (all[i] + all[i + 1] + all[i + 2] < 735) nonWhite++; colours.add(all[i] >> 4 << 8 | all[i + 1] >> 4 << 4 | all[i + 2] >> 4); }
              out.nonWhite = nonWhite / total; out.colours = colours.size;
              document.getElementById('out').textContent = JSON.stringify(out);
            };
            img.onerror = () => { document.getElementById('out').textContent = 'image error'; };
            img.src = 'data:image/svg+xml;base64,\(Data(p.svg.utf8).base64EncodedString())';
            </script></body></html>
            """
        let out = try Self.chromiumOutput(html)
        let nonWhite = try #require(out["nonWhite"] as? Double)
        #expect(nonWhite > 0.3, "only \(nonWhite) of the page is drawn")
        #expect((out["colours"] as? Int ?? 0) > 20)
        func rgb(_ k: String) throws -> [Int] { try #require(out[k] as? [Int], "\(k) missing") }
        for f in frames {
            let inside = try rgb("\(f.code)-inside")
            let outside = try rgb("\(f.code)-outside")
            let border = try rgb("\(f.code)-border")
            #expect(inside.reduce(0, +) < 735 && inside.reduce(0, +) > 300, "\(f.code) inside: \(inside)")
            #expect(outside.allSatisfy { $0 >= 245 }, "\(f.code) outside: \(outside)")
            // The 0.3 mm border (#33414D) is about one pixel here, antialiased: well darker than the
            // paper (765) and the sea (676) on either side.
            #expect(border.reduce(0, +) < 450, "\(f.code) border: \(border)")
        }
    }

    /// Loads `html` in headless Chromium and returns the JSON its script writes into `<pre id="out">`.
    static func chromiumOutput(_ html: String, arguments: [String] = []) throws -> [String: Any] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perimetre-poster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("poster.html")
        try Data(html.utf8).write(to: page)
        let proc = Process()
        proc.executableURL = URL(fileURLWithPath: Self.chromium!)
        proc.arguments =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=\(dir.appendingPathComponent("profile").path)", "--virtual-time-budget=20000",
            ]
            + arguments + ["--dump-dom", page.absoluteString]
        let pipe = Pipe()
        proc.standardOutput = pipe
        proc.standardError = FileHandle.nullDevice
        try proc.run()
        let dom = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        proc.waitUntilExit()
        let start = try #require(dom.range(of: "<pre id=\"out\">"), "no output in \(dom.prefix(300))")
        let json = String(dom[start.upperBound...].prefix { $0 != "<" })
        return try #require(
            try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any], "chromium: \(json)")
    }

    /// Corsica's two territories (250 and 270 km², coastal) used to be mostly hidden: a white
    /// outline round every territory, the région border along the coast and a label centred on
    /// them left 24 % and 4 % of their fill visible.
    @Test(
        "Chromium shows each territory's colour over most of its area, Corsica's small coastal ones included",
        .enabled(if: MapEnv.hasRealData, Comment(rawValue: MapEnv.noRealData)),
        .enabled(if: chromium != nil, "chromium not found (run .ci/install-browser): rendering test skipped"))
    func territoriesVisible() throws {
        let p = try Self.poster.get()
        // Each territory's path, read back from the SVG: id, fill, d.
        var territories: [[String]] = []
        for part in p.svg.components(separatedBy: "<path id=\"territory-").dropFirst() {
            func attribute(_ name: String) -> String? {
                guard let r = part.range(of: " \(name)=\"") else { return nil }
                return String(part[r.upperBound...].prefix { $0 != "\"" })
            }
            guard let id = attribute("data-id"), let fill = attribute("fill"), let d = attribute("d") else { continue }
            territories.append([id, fill, d])
        }
        try #require(territories.count == 183)
        let list = String(decoding: try JSONSerialization.data(withJSONObject: territories), as: UTF8.self)
        // 8 px per millimetre. Each territory's own path is filled alone on a mask; its visible
        // share is the part of the mask where the rendered poster shows its fill colour.
        let html = """
            <!doctype html><html><body style="margin:0"><canvas id="c" width="2376" height="1680"></canvas><canvas id="m" width="2376" height="1680"></canvas><pre id="out">pending</pre>
            <script>
            const T = \(list);
            const img = new Image();
            img.onload = () => {
              const g = document.getElementById('c').getContext('2d');
              g.fillStyle = '#ffffff'; g.fillRect(0, 0, 2376, 1680);
              g.drawImage(img, 0, 0, 2376, 1680);
              const all = g.getImageData(0, 0, 2376, 1680).data;
              const m = document.getElementById('m').getContext('2d', { willReadFrequently: true });
              const out = {};
              for (const [id, fill, d] of T) {
                m.setTransform(1, 0, 0, 1, 0, 0); m.clearRect(0, 0, 2376, 1680); m.setTransform(8, 0, 0, 8, 0, 0);
                m.fillStyle = '#000000'; m.fill(new Path2D(d), 'evenodd');
                const md = m.getImageData(0, 0, 2376, 1680).data;
                const r = parseInt(fill.slice(1, 3), 16), gr = parseInt(fill.slice(3, 5), 16), b = parseInt(fill.slice(5, 7), 16);
                let n = 0, v = 0;
                for (let i = 3; i < md.length; i += 4) {
                  if (md[i] > 200) { n++; if (Math.abs(all[i - 3] - r) + Math.abs(all[i - 2] - gr) + Math.abs(all[i - 1] - b) < 40) v++; }
                }
                out[id] = n > 0 ? v / n : 0;
              }
              document.getElementById('out').textContent = JSON.stringify(out);
            };
            img.onerror = () => { document.getElementById('out').textContent = 'image error'; };
            img.src = 'data:image/svg+xml;base64,\(Data(p.svg.utf8).base64EncodedString())';
            </script></body></html>
            """
        let out = try Self.chromiumOutput(html)
        let visible = try territories.map { t in (t[0], try #require(out[t[0]] as? Double, "\(t[0]) missing")) }
        for id in ["ti-9401", "ti-9402"] {
            let share = try #require(visible.first { $0.0 == id }).1
            #expect(share >= 0.6, "\(id): \(share) of its area shows its colour")
        }
        // Labels still cover part of the smallest territories (Île-de-France), none entirely.
        let hidden = visible.filter { $0.1 < 0.1 }
        #expect(hidden.isEmpty, "hidden: \(hidden)")
        let shares = visible.map(\.1).sorted()
        #expect(shares[shares.count / 2] >= 0.6, "median visible share \(shares[shares.count / 2])")
    }

    @Test("page sizes: named, portrait, millimetres; absurd ones refused in French")
    func pageSizes() throws {
        #expect(try PosterPage.parse("a4") == PosterPage(width: 297, height: 210))
        #expect(try PosterPage.parse("A3-portrait") == PosterPage(width: 297, height: 420))
        #expect(try PosterPage.parse("400x300") == PosterPage(width: 400, height: 300))
        for bad in ["0x0", "10x10", "100000x100000", "a9", "abc", "nanxnan", "300x-200", "1000x120"] {
            #expect(throws: PosterError.self, "\(bad)") { try PosterPage.parse(bad) }
        }
    }
}
