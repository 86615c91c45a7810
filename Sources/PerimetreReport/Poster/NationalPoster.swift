import Foundation
public import PerimetreGeometry

/// A print-ready national map of territories as one self-contained, deterministic SVG: the
/// frames of a ``PosterLayout`` (metropolitan France, the five DROM in insets), land and
/// neighbouring countries, territories filled by colour (``PosterColorBy``), département then
/// région outlines on top, optional labels placed without overlap, a legend, a scale bar and
/// caption (name, scale, CRS) per frame, title and sources.
///
/// The territories are drawn from one arc topology, so neighbours share their border exactly.
public enum NationalPoster {
    /// What labels the territories.
    public enum Labels: String, Sendable, CaseIterable {
        /// The territory's id.
        case id
        /// The territory's name.
        case name
    }

    /// How to draw the poster (the `perimetre map --format svg` options).
    public struct Options: Sendable {
        /// The page size.
        public var page: PosterPage = .a4Landscape
        /// The title.
        public var title: String = "Territoires d'industrie"
        /// A line under the title.
        public var subtitle: String?
        /// What colours the territories.
        public var colorBy: PosterColorBy = .region
        /// What labels the territories; nil for none.
        public var labels: Labels?
        /// The sources line (attribution).
        public var sources: String = ""
        /// Lon/lat areas outlined in bold over everything (the régions an audit selects).
        public var emphasis: [Shape] = []
        /// Lon/lat areas outlined thinly over the territories (the EPCI of an audit's window).
        public var outlines: [Shape] = []
        /// The default options: A4 landscape, coloured by région, no labels.
        public init() {}
    }

    /// A territory: its id, name, properties (the GeoJSON feature's) and verdict when known.
    public struct Item: Sendable {
        /// The territory's identifier.
        public var id: String
        /// Its name.
        public var name: String
        /// Its properties (for `colorBy: .property`).
        public var properties: JSONObject
        /// Its audit verdict, when known.
        public var verdict: String?
        /// An item.
        public init(id: String, name: String, properties: JSONObject, verdict: String?) {
            self.id = id
            self.name = name
            self.properties = properties
            self.verdict = verdict
        }
    }

    /// What the poster could not draw as asked.
    public struct Report: Sendable {
        /// Labels drawn.
        public var labelsPlaced = 0
        /// Labels left out because every candidate position overlapped another label.
        public var labelsSkipped: [String] = []
        /// Items with parts outside every frame (not drawn).
        public var outsideFrames: [String] = []
    }

    /// Everything drawn besides the territories.
    public struct Background: Sendable {
        /// The frames to draw.
        public var frames: [PosterFrameSpec]
        /// The départements and régions outlined.
        public var admin: AdminLayers
        /// The départements-then-régions topology of `admin` (``AdminLayers/topology(simplifyMetres:)``).
        public var adminTopology: ArcTopology
        /// Neighbouring countries (lon/lat) of each frame (same order as `frames`), drawn in grey.
        public var countries: [[Shape]]
        /// A background.
        public init(frames: [PosterFrameSpec], admin: AdminLayers, adminTopology: ArcTopology, countries: [[Shape]]) {
            self.frames = frames
            self.admin = admin
            self.adminTopology = adminTopology
            self.countries = countries
        }
    }

    static let font = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"

    /// Renders the poster. `territories` has one feature per item, in the same order.
    public static func render(
        territories: ArcTopology, items: [Item], background bg: Background,
        options: Options
    ) throws -> (svg: String, report: Report) {
        precondition(territories.features.count == items.count)
        var report = Report()
        // Colours first: an unknown property is refused before any drawing.
        let regionNames = Dictionary(uniqueKeysWithValues: bg.admin.regions.map { ($0.code, $0.name) })
        let regionColors = PosterPalette.regionColors(
            codes: bg.admin.regions.map(\.code), neighbours: regionNeighbours(bg))
        let (colors, legendEntries) = try PosterPalette.colors(
            by: options.colorBy, properties: items.map(\.properties),
            verdicts: items.map(\.verdict), regionNames: regionNames,
            regionColors: regionColors)
        let layout = try layout(bg.frames, page: options.page)
        let canvas = try PosterCanvas(layout: layout)
        let arcs = try PageArcs(territories, canvas: canvas)
        let features = arcs.features(territories)
        for (k, f) in features.enumerated() where f.outside { report.outsideFrames.append(items[k].id) }
        let admin = try adminPaths(bg, canvas: canvas)
        let windowed = bg.frames.contains { $0.window != nil }
        var svg = try head(options, layout: layout, windowed: windowed)
        try frames(layout, countries: bg.countries, canvas: canvas, into: &svg)
        // Territories, unstroked: a white line separates neighbours (arcs with a territory on each
        // side) but is not drawn along a territory's other edges, where it only ate into the fill
        // (half of a small coastal territory such as Corsica's was white line and région border).
        if windowed { svg += "<g id=\"windowed\" clip-path=\"url(#clip-frames)\">\n" }
        svg += "<g id=\"territories\" stroke=\"none\" fill-rule=\"evenodd\">\n"
        for (k, item) in items.enumerated() where !features[k].path.isEmpty {
            svg +=
                "<path id=\"territory-\(esc(item.id))\" class=\"territory\" data-id=\"\(esc(item.id))\" fill=\"\(colors[k])\" d=\"\(features[k].path)\"><title>\(esc(item.id)) \(esc(item.name))</title></path>\n"
        }
        svg += "</g>\n"
        svg +=
            "<path id=\"territory-borders\" d=\"\(arcs.sharedPath(territories))\" fill=\"none\" stroke=\"#FFFFFF\" stroke-width=\"\(PosterCanvas.mm(Stroke.territoryBorder * layout.unit))\" stroke-linejoin=\"round\"/>\n"
        try outlines(admin, options: options, layout: layout, canvas: canvas, into: &svg)
        if windowed { svg += "</g>\n" }
        // Frame borders, captions, scale bars.
        for fr in layout.frames {
            svg +=
                rect(
                    fr.rect,
                    "class=\"frame-border\" fill=\"none\" stroke=\"#33414D\" stroke-width=\"\(PosterCanvas.mm(Stroke.frame * layout.unit))\""
                ) + "\n"
            svg += caption(fr, unit: layout.unit) + scaleBar(fr, unit: layout.unit)
        }
        if let kind = options.labels {
            let (text, placed, skipped) = try labels(
                kind, items: items, shapes: features.map(\.labelShape), layout: layout)
            svg += text
            report.labelsPlaced = placed
            report.labelsSkipped = skipped
        }
        svg += legend(
            layout, colorBy: options.colorBy, entries: legendEntries, count: items.count, report: report,
            labels: options.labels, lines: legendLines(options))
        titleAndSources(options, layout: layout, into: &svg)
        svg += "</svg>\n"
        return (svg, report)
    }

    /// Stroke widths, in mm at the layout's unit (multiplied by ``PosterLayout/unit``).
    enum Stroke {
        /// Land and neighbouring countries.
        static let land = 0.15
        /// The white line between neighbouring territories.
        static let territoryBorder = 0.12
        /// EPCI outlines (``Options/outlines``).
        static let epci = 0.1
        /// Département borders.
        static let departement = 0.12
        /// Région borders.
        static let region = 0.35
        /// The selection's outline (``Options/emphasis``).
        static let emphasis = 0.9
        /// A frame's border.
        static let frame = 0.3
    }

    /// A line symbol of the legend.
    struct LegendLine {
        var label: String
        var color: String
        /// Stroke width, in mm at the layout's unit.
        var width: Double
    }

    /// The outlines the legend explains, as drawn.
    static func legendLines(_ options: Options) -> [LegendLine] {
        var lines = [
            LegendLine(label: "Limite de région", color: "#1F1F1F", width: Stroke.region),
            LegendLine(label: "Limite de département", color: "#6E6E6E", width: Stroke.departement),
        ]
        if !options.emphasis.isEmpty {
            lines.insert(LegendLine(label: "Sélection", color: "#1F1F1F", width: Stroke.emphasis), at: 0)
        }
        if !options.outlines.isEmpty {
            lines.append(LegendLine(label: "Limite d'EPCI", color: "#7A8691", width: Stroke.epci))
        }
        return lines
    }

    /// Layout from each frame's land in its CRS.
    private static func layout(_ frames: [PosterFrameSpec], page: PosterPage) throws -> PosterLayout {
        var extents: [Envelope] = []
        for spec in frames {
            let t = try CoordinateTransformer(from: "EPSG:4326", to: spec.crs.code)
            // A window (a région and its surroundings) decides the scale instead of the whole land.
            extents.append(try t.transform(spec.window.map(Self.densifiedBox) ?? spec.land).envelope)
        }
        return PosterLayout(page: page, specs: frames, extents: extents)
    }

    /// The territory arcs on the page, once each: the frame of each arc (nil when outside every
    /// frame or unused) and its page polyline.
    struct PageArcs {
        var frame: [Int?]
        var page: [[SIMD2<Int32>]]

        init(_ territories: ArcTopology, canvas: PosterCanvas) throws {
            let used = territories.usedArcs
            frame = [Int?](repeating: nil, count: territories.arcs.count)
            page = [[SIMD2<Int32>]](repeating: [], count: territories.arcs.count)
            for (i, a) in territories.arcs.enumerated() where used[i] && !a.coordinates.isEmpty {
                guard let f = canvas.frame(of: a.coordinates[0]) else { continue }
                frame[i] = f
                page[i] = try canvas.pagePolyline(a.coordinates, frame: f)
            }
        }

        /// A territory as drawn: its path data, the largest exterior ring of its parts for its
        /// label (page coordinates), and whether some of it lies outside every frame.
        struct Feature {
            var path: String
            var labelShape: Shape?
            var outside: Bool
        }

        /// Each feature's path, from the arcs on the page.
        func features(_ territories: ArcTopology) -> [Feature] {
            territories.features.map { polys in
                var d = ""
                var largest: (area: Double, ring: [Coordinate])? = nil
                var outside = false
                for p in polys {
                    for (ri, r) in p.enumerated() {
                        if r.contains(where: { frame[$0.arc] == nil }) {
                            outside = true
                            continue
                        }
                        let pts = ring(r)
                        guard pts.count > 2 else { continue }
                        PosterCanvas.pathData(pts, close: true, into: &d)
                        if ri == 0 {
                            // Page hundredths of a millimetre back to millimetres.
                            let ring = (pts + [pts[0]]).map { Coordinate(Double($0.x) / 100, Double($0.y) / 100) }
                            let a = abs(signedArea(ring))
                            if a > (largest?.area ?? 0) { largest = (a, ring) }
                        }
                    }
                }
                return Feature(path: d, labelShape: largest.map { .polygon([$0.ring]) }, outside: outside)
            }
        }

        /// A ring's points on the page, without repeated points or the closing one.
        private func ring(_ r: ArcTopology.Ring) -> [SIMD2<Int32>] {
            var pts: [SIMD2<Int32>] = []
            for ref in r {
                let cs = ref.reversed ? Array(page[ref.arc].reversed()) : page[ref.arc]
                for c in cs where pts.last != c { pts.append(c) }
            }
            if pts.count > 1 && pts.first == pts.last { pts.removeLast() }
            return pts
        }

        /// The arcs with a territory on each side, drawn as one path.
        func sharedPath(_ territories: ArcTopology) -> String {
            var d = ""
            for (i, a) in territories.arcs.enumerated() where frame[i] != nil && !a.isOuter && page[i].count > 1 {
                PosterCanvas.pathData(page[i], close: false, into: &d)
            }
            return d
        }
    }

    /// The département and région borders: an arc is a région border when the régions on its two
    /// sides differ.
    private static func adminPaths(
        _ bg: Background, canvas: PosterCanvas
    ) throws -> (departements: String, regions: String) {
        let nd = bg.admin.departements.count
        let adminUsed = bg.adminTopology.usedArcs
        var depPath = ""
        var regPath = ""
        for (i, a) in bg.adminTopology.arcs.enumerated() where adminUsed[i] && !a.coordinates.isEmpty {
            guard let f = canvas.frame(of: a.coordinates[0]) else { continue }
            // In a window, the outlines far outside it are left out (they would be clipped anyway).
            if let w = bg.frames[f].window,
                !Self.envelope(a.coordinates).intersects(w.expanded(by: max(w.width, w.height)))
            {
                continue
            }
            let pts = try canvas.pagePolyline(a.coordinates, frame: f)
            guard pts.count > 1 else { continue }
            let l = Set(a.left.filter { $0 < nd }.compactMap { bg.admin.departements[$0].region })
            let r = Set(a.right.filter { $0 < nd }.compactMap { bg.admin.departements[$0].region })
            if l != r {
                PosterCanvas.pathData(pts, close: false, into: &regPath)
            } else {
                PosterCanvas.pathData(pts, close: false, into: &depPath)
            }
        }
        return (depPath, regPath)
    }

    /// The XML declaration, the `svg` element, the page and the clip paths of the frames.
    private static func head(_ options: Options, layout: PosterLayout, windowed: Bool) throws -> String {
        let pageW = PosterCanvas.mm(options.page.width)
        let pageH = PosterCanvas.mm(options.page.height)
        var svg = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(pageW)mm" height="\(pageH)mm" viewBox="0 0 \(pageW) \(pageH)" font-family="\(font)" role="img" aria-label="\(esc(options.title))">
            <title>\(esc(options.title))</title>
            <rect width="\(pageW)" height="\(pageH)" fill="#ffffff"/>

            """
        svg += "<defs>\n"
        for fr in layout.frames {
            svg += "<clipPath id=\"clip-\(fr.spec.code)\">\(rect(fr.rect))</clipPath>\n"
        }
        if windowed {
            // Drawn at a window's scale, territories and outlines reach beyond the frames: clip them.
            svg += "<clipPath id=\"clip-frames\">" + layout.frames.map { rect($0.rect) }.joined() + "</clipPath>\n"
        }
        svg += "</defs>\n"
        return svg
    }

    /// How far around a frame's land (degrees) the neighbouring countries are drawn.
    private static let countriesMarginDegrees = 8.0

    /// Each frame: sea, neighbouring countries, land (clipped to the frame).
    private static func frames(
        _ layout: PosterLayout, countries: [[Shape]], canvas: PosterCanvas, into svg: inout String
    ) throws {
        let u = layout.unit
        for (f, fr) in layout.frames.enumerated() {
            svg +=
                "<g id=\"frame-\(fr.spec.code)\" class=\"frame\" data-name=\"\(esc(fr.spec.name))\" data-crs=\"\(fr.spec.crs.code)\" "
                + "data-scale=\"\(PosterLayout.scaleText(fr.denominator))\" data-rect=\"\(PosterCanvas.mm(fr.rect.x)) \(PosterCanvas.mm(fr.rect.y)) \(PosterCanvas.mm(fr.rect.width)) \(PosterCanvas.mm(fr.rect.height))\" clip-path=\"url(#clip-\(fr.spec.code))\">\n"
            svg += rect(fr.rect, "fill=\"#CFE3F2\"") + "\n"
            var cd = ""
            // Only the parts of a country near the frame (PROJ is asked nothing about the antipodes).
            let near = fr.spec.land.envelope.expanded(by: countriesMarginDegrees)
            for c in f < countries.count ? countries[f] : [] {
                let polys = c.polygons.filter { p in Shape.polygon(p).envelope.intersects(near) }
                cd += try canvas.polygonPath(polys, frame: f, clip: fr.rect)
            }
            if !cd.isEmpty {
                svg +=
                    "<path d=\"\(cd)\" fill=\"#E6E6E3\" stroke=\"#B5B5B5\" stroke-width=\"\(PosterCanvas.mm(Stroke.land * u))\" fill-rule=\"evenodd\"/>\n"
            }
            let ld = try canvas.polygonPath(fr.spec.land.polygons, frame: f, clip: fr.rect)
            svg +=
                "<path class=\"land\" d=\"\(ld)\" fill=\"#F7F4EC\" stroke=\"#8C9BA8\" stroke-width=\"\(PosterCanvas.mm(Stroke.land * u))\" fill-rule=\"evenodd\"/>\n"
            svg += "</g>\n"
        }
    }

    /// Over the territories: the EPCI outlines, the département and région borders, the selection.
    private static func outlines(
        _ admin: (departements: String, regions: String), options: Options, layout: PosterLayout,
        canvas: PosterCanvas, into svg: inout String
    ) throws {
        let u = layout.unit
        // Each polygon drawn in the frame holding its first vertex, optionally clipped to that frame.
        func framedPath(_ shapes: [Shape], clipped: Bool) throws -> String {
            var d = ""
            for shape in shapes {
                for p in shape.polygons {
                    guard let c = p.first?.first, let f = canvas.frame(of: c) else { continue }
                    d += try canvas.polygonPath([p], frame: f, clip: clipped ? layout.frames[f].rect : nil)
                }
            }
            return d
        }
        if !options.outlines.isEmpty {
            let d = try framedPath(options.outlines, clipped: true)
            svg +=
                "<path id=\"outlines\" d=\"\(d)\" fill=\"none\" stroke=\"#7A8691\" stroke-width=\"\(PosterCanvas.mm(Stroke.epci * u))\" stroke-linejoin=\"round\"/>\n"
        }
        svg +=
            "<path id=\"departements\" d=\"\(admin.departements)\" fill=\"none\" stroke=\"#6E6E6E\" stroke-width=\"\(PosterCanvas.mm(Stroke.departement * u))\" stroke-linejoin=\"round\"/>\n"
        svg +=
            "<path id=\"regions\" d=\"\(admin.regions)\" fill=\"none\" stroke=\"#1F1F1F\" stroke-width=\"\(PosterCanvas.mm(Stroke.region * u))\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n"
        if !options.emphasis.isEmpty {
            let d = try framedPath(options.emphasis, clipped: false)
            svg +=
                "<path id=\"emphasis\" d=\"\(d)\" fill=\"none\" stroke=\"#1F1F1F\" stroke-width=\"\(PosterCanvas.mm(Stroke.emphasis * u))\" stroke-linejoin=\"round\" fill-rule=\"evenodd\"/>\n"
        }
    }

    /// Font size of the sources line, in mm at the layout's unit.
    private static let sourcesFontSize = 2.2

    /// The title, the subtitle, and the sources on up to two lines, cut at a sentence (". ")
    /// when too long for the page.
    private static func titleAndSources(_ options: Options, layout: PosterLayout, into svg: inout String) {
        let u = layout.unit
        svg +=
            "<text x=\"\(PosterCanvas.mm(layout.title.x))\" y=\"\(PosterCanvas.mm(layout.title.y + 6 * u))\" font-size=\"\(PosterCanvas.mm(6.5 * u))\" font-weight=\"bold\" fill=\"#1F2A33\">\(esc(options.title))</text>\n"
        if let sub = options.subtitle {
            svg +=
                "<text x=\"\(PosterCanvas.mm(layout.title.x))\" y=\"\(PosterCanvas.mm(layout.title.y + 11.5 * u))\" font-size=\"\(PosterCanvas.mm(3.4 * u))\" fill=\"#44525E\">\(esc(sub))</text>\n"
        }
        // Characters per line: an average glyph is 0.62 of the font size wide.
        let perLine = Int(layout.sources.width / (sourcesFontSize * u * 0.62))
        var lines = [options.sources]
        if options.sources.count > perLine,
            let cut = options.sources.range(
                of: ". ", options: .backwards,
                range: options.sources.startIndex..<options.sources.index(options.sources.startIndex, offsetBy: perLine)
            )
        {
            lines = [String(options.sources[..<cut.lowerBound]) + ".", String(options.sources[cut.upperBound...])]
        }
        svg += "<text id=\"sources\" font-size=\"\(PosterCanvas.mm(sourcesFontSize * u))\" fill=\"#55616B\">"
        for (i, l) in lines.enumerated() {
            svg +=
                "<tspan x=\"\(PosterCanvas.mm(layout.sources.x))\" y=\"\(PosterCanvas.mm(layout.sources.y + (2.6 + 2.9 * Double(i)) * u))\">\(esc(l))</tspan>"
        }
        svg += "</text>\n"
    }

    // MARK: - Pieces

    static func esc(_ s: String) -> String { HTMLReport.escape(s) }

    static func rect(_ r: PageRect, _ attributes: String = "") -> String {
        "<rect x=\"\(PosterCanvas.mm(r.x))\" y=\"\(PosterCanvas.mm(r.y))\" width=\"\(PosterCanvas.mm(r.width))\" height=\"\(PosterCanvas.mm(r.height))\"\(attributes.isEmpty ? "" : " " + attributes)/>"
    }

    static func signedArea(_ r: [Coordinate]) -> Double {
        var s = 0.0
        for i in 0..<(r.count - 1) { s += r[i].x * r[i + 1].y - r[i + 1].x * r[i].y }
        return s / 2
    }

    /// A lon/lat box as a polygon with points along its sides (its projection bends them).
    static func densifiedBox(_ e: Envelope) -> Shape {
        let n = 16
        var ring: [Coordinate] = []
        for k in 0..<n { ring.append(Coordinate(e.minX + e.width * Double(k) / Double(n), e.minY)) }
        for k in 0..<n { ring.append(Coordinate(e.maxX, e.minY + e.height * Double(k) / Double(n))) }
        for k in 0..<n { ring.append(Coordinate(e.maxX - e.width * Double(k) / Double(n), e.maxY)) }
        for k in 0..<n { ring.append(Coordinate(e.minX, e.maxY - e.height * Double(k) / Double(n))) }
        return .polygon([ring + [ring[0]]])
    }

    static func envelope(_ cs: [Coordinate]) -> Envelope {
        var e = Envelope(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
        for c in cs {
            e = Envelope(minX: min(e.minX, c.x), minY: min(e.minY, c.y), maxX: max(e.maxX, c.x), maxY: max(e.maxY, c.y))
        }
        return e
    }

    /// Régions sharing a border, from the département arcs.
    static func regionNeighbours(_ bg: Background) -> [String: Set<String>] {
        let nd = bg.admin.departements.count
        var out: [String: Set<String>] = [:]
        for a in bg.adminTopology.arcs {
            let l = Set(a.left.filter { $0 < nd }.compactMap { bg.admin.departements[$0].region })
            let r = Set(a.right.filter { $0 < nd }.compactMap { bg.admin.departements[$0].region })
            for x in l {
                for y in r where x != y {
                    out[x, default: []].insert(y)
                    out[y, default: []].insert(x)
                }
            }
        }
        return out
    }

    /// Name, scale and CRS in the frame's top-left corner, on a white band.
    static func caption(_ fr: PosterLayout.Frame, unit u: Double) -> String {
        let size = captionSize(fr, unit: u)
        let text = "\(fr.spec.name) · \(PosterLayout.scaleText(fr.denominator))"
        let crs = fr.spec.crs.code + " " + fr.spec.crs.name
        var s = rect(captionBox(fr, unit: u), "fill=\"#FFFFFF\" fill-opacity=\"0.85\"")
        s +=
            "<text class=\"caption\" x=\"\(PosterCanvas.mm(fr.rect.x + 1 * u))\" y=\"\(PosterCanvas.mm(fr.rect.y + size * 1.1))\" font-size=\"\(PosterCanvas.mm(size))\" font-weight=\"bold\" fill=\"#1F2A33\">\(esc(text))</text>"
        s +=
            "<text x=\"\(PosterCanvas.mm(fr.rect.x + 1 * u))\" y=\"\(PosterCanvas.mm(fr.rect.y + size * 2.3))\" font-size=\"\(PosterCanvas.mm(size * 0.8))\" fill=\"#55616B\">\(esc(crs))</text>\n"
        return s
    }

    static func captionSize(_ fr: PosterLayout.Frame, unit u: Double) -> Double {
        (fr.spec.code == "FXX" ? 2.6 : 2.1) * u
    }

    /// The white band under a frame's caption (labels keep out of it).
    static func captionBox(_ fr: PosterLayout.Frame, unit u: Double) -> PageRect {
        let size = captionSize(fr, unit: u)
        let text = "\(fr.spec.name) · \(PosterLayout.scaleText(fr.denominator))"
        let crs = fr.spec.crs.code + " " + fr.spec.crs.name
        let w = min(
            fr.rect.width - 0.3 * u, max(Double(text.count) * size * 0.62, Double(crs.count) * size * 0.8 * 0.6) + 2 * u
        )
        return PageRect(x: fr.rect.x + 0.15 * u, y: fr.rect.y + 0.15 * u, width: w, height: size * 2.5 + 0.6 * u)
    }

    /// A bar of a round length (1, 2 or 5 × 10^k km) at most a third of the frame's width, bottom left.
    static func scaleBar(_ fr: PosterLayout.Frame, unit u: Double) -> String {
        let (km, box) = scaleBarGeometry(fr, unit: u)
        let len = km * 1000 * fr.mmPerMetre
        let x = fr.rect.x + 2 * u
        let y = fr.rect.maxY - 2.5 * u
        let h = 0.9 * u
        let label = km < 1 ? "\(Int(km * 1000)) m" : "\(Int(km)) km"
        var s = "<g class=\"scale-bar\" data-km=\"\(label)\">"
        s += rect(box, "fill=\"#FFFFFF\" fill-opacity=\"0.85\"")
        s += rect(PageRect(x: x, y: y - h, width: len / 2, height: h), "fill=\"#1F2A33\"")
        s += rect(
            PageRect(x: x + len / 2, y: y - h, width: len / 2, height: h),
            "fill=\"#FFFFFF\" stroke=\"#1F2A33\" stroke-width=\"\(PosterCanvas.mm(0.15 * u))\"")
        s +=
            "<text x=\"\(PosterCanvas.mm(x))\" y=\"\(PosterCanvas.mm(y - h - 0.6 * u))\" font-size=\"\(PosterCanvas.mm(1.8 * u))\" fill=\"#1F2A33\" text-anchor=\"middle\">0</text>"
        s +=
            "<text x=\"\(PosterCanvas.mm(x + len))\" y=\"\(PosterCanvas.mm(y - h - 0.6 * u))\" font-size=\"\(PosterCanvas.mm(1.8 * u))\" fill=\"#1F2A33\" text-anchor=\"middle\">\(label)</text>"
        return s + "</g>\n"
    }

    /// The bar's length (km) and its white box.
    static func scaleBarGeometry(_ fr: PosterLayout.Frame, unit u: Double) -> (km: Double, box: PageRect) {
        let maxKm = fr.rect.width / 3 / fr.mmPerMetre / 1000
        // The longest of 1, 2, 5, 10, 20, 50… km that fits (1 km at least).
        let km =
            (0...5).flatMap { k in [1.0, 2.0, 5.0].map { $0 * pow(10, Double(k)) } }.filter { $0 <= maxKm }.max() ?? 1
        let len = km * 1000 * fr.mmPerMetre
        let x = fr.rect.x + 2 * u
        let y = fr.rect.maxY - 2.5 * u
        let label = km < 1 ? "\(Int(km * 1000)) m" : "\(Int(km)) km"
        return (
            km,
            PageRect(
                x: x - 1.5 * u, y: y - 3.6 * u, width: len + 3 * u + Double(label.count) * 0.6 * u, height: 4.8 * u)
        )
    }

    /// Labels at each territory's pole of inaccessibility (GEOS maximum inscribed circle of its
    /// largest part on the page); largest territories first; a label is moved to the nearest
    /// free candidate position, or left out when all overlap a placed label or leave the frame.
    /// A territory too small for its label (inscribed circle narrower than the text's height)
    /// is labelled beside its largest part first — right, left, above, below — so that the label
    /// and its halo do not hide it.
    static func labels(
        _ kind: Labels, items: [Item], shapes: [Shape?], layout: PosterLayout
    ) throws
        -> (text: String, placed: Int, skipped: [String])
    {
        let u = layout.unit
        let size = (kind == .id ? 1.7 : 1.5) * u
        let ctx = GeosContext()
        var anchors: [(k: Int, c: Coordinate, r: Double, box: Envelope)] = []
        for (k, s) in shapes.enumerated() {
            guard let s else { continue }
            let (c, r) = try ctx.geometry(s).maximumInscribedCircle(tolerance: 0.1 * u)
            anchors.append((k, c, r, s.envelope))
        }
        anchors.sort { ($1.r, items[$0.k].id) < ($0.r, items[$1.k].id) }
        // Captions and scale bars are taken.
        var placed: [PageRect] = layout.frames.flatMap { [captionBox($0, unit: u), scaleBarGeometry($0, unit: u).box] }
        var out =
            "<g id=\"labels\" font-size=\"\(PosterCanvas.mm(size))\" fill=\"#111111\" stroke=\"#FFFFFF\" stroke-width=\"\(PosterCanvas.mm(0.5 * u))\" paint-order=\"stroke\" stroke-linejoin=\"round\" text-anchor=\"middle\">\n"
        var skipped: [String] = []
        for a in anchors {
            let text = kind == .id ? items[a.k].id : items[a.k].name
            let w = Double(text.count) * size * 0.58
            let h = size * 1.1
            let frame = layout.frames.first { $0.rect.contains(PageRect(x: a.c.x, y: a.c.y, width: 0, height: 0)) }?
                .rect
            var offsets: [(Double, Double)] = [
                (0, 0), (0, -h), (0, h), (-w / 2, 0), (w / 2, 0), (0, -2 * h), (0, 2 * h),
            ]
            if 2 * a.r < size {
                let gap = 0.4 * u
                let b = a.box
                offsets.insert(
                    contentsOf: [
                        (b.maxX + gap + w / 2 - a.c.x, 0), (b.minX - gap - w / 2 - a.c.x, 0),
                        (0, b.minY - gap - h / 2 - a.c.y), (0, b.maxY + gap + h / 2 - a.c.y),
                    ], at: 0)
            }
            var done = false
            for (dx, dy) in offsets {
                let box = PageRect(x: a.c.x + dx - w / 2, y: a.c.y + dy - h / 2, width: w, height: h)
                if let frame, !frame.contains(box) { continue }
                if placed.contains(where: { $0.intersects(box) }) { continue }
                placed.append(box)
                out +=
                    "<text x=\"\(PosterCanvas.mm(a.c.x + dx))\" y=\"\(PosterCanvas.mm(a.c.y + dy + size * 0.35))\">\(esc(text))</text>\n"
                done = true
                break
            }
            if !done { skipped.append(items[a.k].id) }
        }
        skipped.sort()
        return (out + "</g>\n", anchors.count - skipped.count, skipped)
    }

    /// Swatches, outline symbols and counts, flowing into columns when the box is too short.
    static func legend(
        _ layout: PosterLayout, colorBy: PosterColorBy, entries: [PosterPalette.Entry], count: Int,
        report: Report, labels: Labels?, lines: [LegendLine]
    ) -> String {
        let u = layout.unit
        let box = layout.legend
        let line = 4.2 * u
        let size = 2.4 * u
        var s = "<g id=\"legend\">\n"
        var x = box.x
        var y = box.y + 4 * u
        let colW = min(box.width, 64 * u)
        func next() {
            y += line
            if y > box.maxY - line {
                y = box.y + 4 * u + line
                x += colW
            }
        }
        s +=
            "<text x=\"\(PosterCanvas.mm(x))\" y=\"\(PosterCanvas.mm(y))\" font-size=\"\(PosterCanvas.mm(3.2 * u))\" font-weight=\"bold\" fill=\"#1F2A33\">\(esc(colorBy.label))</text>\n"
        next()
        for e in entries {
            s += rect(
                PageRect(x: x, y: y - 2.6 * u, width: 5 * u, height: 3.2 * u),
                "fill=\"\(e.color)\" stroke=\"#8C9BA8\" stroke-width=\"\(PosterCanvas.mm(0.1 * u))\"")
            s +=
                "<text x=\"\(PosterCanvas.mm(x + 6.5 * u))\" y=\"\(PosterCanvas.mm(y))\" font-size=\"\(PosterCanvas.mm(size))\" fill=\"#1F2A33\">\(esc(e.label))</text>\n"
            next()
        }
        next()
        for l in lines {
            s +=
                "<line x1=\"\(PosterCanvas.mm(x))\" y1=\"\(PosterCanvas.mm(y - 1 * u))\" x2=\"\(PosterCanvas.mm(x + 5 * u))\" y2=\"\(PosterCanvas.mm(y - 1 * u))\" stroke=\"\(l.color)\" stroke-width=\"\(PosterCanvas.mm(l.width * u))\"/>"
            s +=
                "<text x=\"\(PosterCanvas.mm(x + 6.5 * u))\" y=\"\(PosterCanvas.mm(y))\" font-size=\"\(PosterCanvas.mm(size))\" fill=\"#1F2A33\">\(l.label)</text>\n"
            next()
        }
        next()
        var notes = ["\(count) territoires"]
        if labels != nil {
            notes.append(
                "\(report.labelsPlaced) étiquettes placées"
                    + (report.labelsSkipped.isEmpty ? "" : ", \(report.labelsSkipped.count) omises faute de place"))
        }
        for n in notes {
            s +=
                "<text x=\"\(PosterCanvas.mm(x))\" y=\"\(PosterCanvas.mm(y))\" font-size=\"\(PosterCanvas.mm(size * 0.9))\" fill=\"#55616B\">\(esc(n))</text>\n"
            next()
        }
        return s + "</g>\n"
    }
}
