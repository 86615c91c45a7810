import Foundation
public import PerimetreGeometry

/// A rectangle on the page, in millimetres from the top-left corner.
public struct PageRect: Sendable, Hashable {
    /// Left edge (mm).
    public var x: Double
    /// Top edge (mm).
    public var y: Double
    /// Width (mm).
    public var width: Double
    /// Height (mm).
    public var height: Double
    /// A rectangle of the given position and size (mm).
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
    /// Right edge (mm).
    public var maxX: Double { x + width }
    /// Bottom edge (mm).
    public var maxY: Double { y + height }
    /// Whether the two rectangles overlap (touching does not count).
    public func intersects(_ o: PageRect) -> Bool { x < o.maxX && o.x < maxX && y < o.maxY && o.y < maxY }
    /// Whether `o` lies wholly inside this rectangle.
    public func contains(_ o: PageRect) -> Bool { o.x >= x && o.maxX <= maxX && o.y >= y && o.maxY <= maxY }
}

/// The page of a poster, in millimetres.
public struct PosterPage: Sendable, Hashable {
    /// Width (mm).
    public var width: Double
    /// Height (mm).
    public var height: Double
    /// A page of the given size (mm).
    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A4 landscape: 297 × 210 mm.
    public static let a4Landscape = PosterPage(width: 297, height: 210)
    /// Smallest and largest side accepted (a business card is too small for France and its DROM;
    /// beyond A0's long side the SVG is still fine but nobody prints it).
    public static let sides: ClosedRange<Double> = 100...2000

    static let named: [String: (Double, Double)] = [
        "a4": (297, 210), "a3": (420, 297), "a2": (594, 420),
        "a1": (841, 594), "a0": (1189, 841),
    ]

    /// `a4` … `a0` (landscape), `a4-portrait` …, or `WIDTHxHEIGHT` in millimetres (`400x300`).
    /// Errors are French and name the value.
    public static func parse(_ text: String) throws -> PosterPage {
        let s = text.lowercased().trimmingCharacters(in: .whitespaces)
        var page: PosterPage?
        if let (w, h) = named[s] {
            page = PosterPage(width: w, height: h)
        } else if s.hasSuffix("-portrait"), let (w, h) = named[String(s.dropLast(9))] {
            page = PosterPage(width: h, height: w)
        } else {
            let parts = s.split(separator: "x", omittingEmptySubsequences: false)
            if parts.count == 2, let w = Double(parts[0]), let h = Double(parts[1]), w.isFinite, h.isFinite {
                page = PosterPage(width: w, height: h)
            }
        }
        guard let page else {
            throw PosterError(
                "--size \(text) : format inconnu (attendu a4, a3, a2, a1, a0, a4-portrait…, ou LARGEURxHAUTEUR en mm, par exemple 400x300)"
            )
        }
        guard sides.contains(page.width), sides.contains(page.height) else {
            throw PosterError(
                "--size \(text) : chaque côté doit mesurer entre \(Int(sides.lowerBound)) et \(Int(sides.upperBound)) mm"
            )
        }
        guard max(page.width, page.height) / min(page.width, page.height) <= 3 else {
            throw PosterError("--size \(text) : page trop allongée (rapport des côtés supérieur à 3)")
        }
        return page
    }
}

/// A refusal of a poster option (French, for exit code 2).
public struct PosterError: Error, CustomStringConvertible, Sendable {
    /// The French message, naming the value.
    public var description: String
    /// A refusal with its French message.
    public init(_ d: String) { description = d }
}

/// What one map frame shows: metropolitan France or one DROM, in its own CRS.
public struct PosterFrameSpec: Sendable {
    /// `FXX`, `971`, `972`, `973`, `974`, `976`.
    public var code: String
    /// The frame's caption name.
    public var name: String
    /// The CRS the frame is drawn in.
    public var crs: LocalCRS
    /// The land (lon/lat), drawn as background; its envelope decides the frame's extent.
    public var land: Shape
    /// A lon/lat box to show instead of all the land (a région and its surroundings, for the
    /// audit of a selection): it decides the frame's scale and centre; what reaches beyond is clipped.
    public var window: Envelope? = nil

    /// A frame of the given land, drawn in `crs`.
    public init(code: String, name: String, crs: LocalCRS, land: Shape) {
        self.code = code
        self.name = name
        self.crs = crs
        self.land = land
    }

    /// The frames of a national map of France, in drawing order.
    public static let order: [(code: String, name: String, crs: LocalCRS)] = [
        ("FXX", "France métropolitaine", .lambert93),
        ("971", "Guadeloupe", .antilles),
        ("972", "Martinique", .antilles),
        ("973", "Guyane", .guyane),
        ("974", "La Réunion", .reunion),
        ("976", "Mayotte", .mayotte),
    ]
}

/// The documented poster layout (docs/poster.md). All sizes scale with the page's short side
/// (`unit` = short side / 210 mm, 1 on A4).
///
/// Landscape: title band on top; the five DROM stacked in a column on the left (Guadeloupe,
/// Martinique, Guyane, La Réunion, Mayotte, top to bottom); metropolitan France in the middle;
/// the legend in a column on the right; the sources line at the bottom. Portrait: metropolitan
/// France on top, the five DROM in a row under it, the legend under them in columns.
///
/// Each frame's scale is the smallest round scale (denominator a multiple of 50 000, or of
/// 100 000 beyond 1:1 000 000) at which its land, with a 4 % margin, fits the frame; it is
/// printed in the frame's caption and drawn as a scale bar.
public struct PosterLayout: Sendable {
    /// One frame placed on the page, at its scale.
    public struct Frame: Sendable {
        /// What the frame shows.
        public var spec: PosterFrameSpec
        /// Where the frame is on the page.
        public var rect: PageRect
        /// The scale's denominator (1:denominator).
        public var denominator: Int
        /// The frame's centre in its CRS (metres), drawn at the rect's centre.
        public var center: Coordinate
        /// Millimetres on the page per metre on the ground.
        public var mmPerMetre: Double { 1000 / Double(denominator) }
    }

    /// The page.
    public var page: PosterPage
    /// Short side / 210 mm: every size scales with it (1 on A4).
    public var unit: Double
    /// The title band.
    public var title: PageRect
    /// The map frames, metropolitan France first.
    public var frames: [Frame]
    /// The legend's area.
    public var legend: PageRect
    /// The sources line's area.
    public var sources: PageRect

    /// Lays out frames for `specs` (metropolitan France first, then the DROM), given each
    /// spec's land extent in its own CRS.
    public init(page: PosterPage, specs: [PosterFrameSpec], extents: [Envelope]) {
        precondition(specs.count == extents.count && !specs.isEmpty)
        self.page = page
        let u = min(page.width, page.height) / 210
        unit = u
        let m = 8 * u
        let gap = 3 * u
        title = PageRect(x: m, y: m, width: page.width - 2 * m, height: 14 * u)
        sources = PageRect(x: m, y: page.height - m - 7 * u, width: page.width - 2 * m, height: 7 * u)
        let top = title.maxY + gap
        let bottom = sources.y - gap
        let insets = specs.count - 1
        var rects: [PageRect] = []
        if page.width >= page.height {
            let h = (bottom - top - gap * Double(max(insets - 1, 0))) / Double(max(insets, 1))
            let w = insets > 0 ? h * 1.25 : 0
            let legendW = 64 * u
            legend = PageRect(x: page.width - m - legendW, y: top, width: legendW, height: bottom - top)
            let mainX = m + (insets > 0 ? w + 2 * gap : 0)
            rects.append(PageRect(x: mainX, y: top, width: legend.x - 2 * gap - mainX, height: bottom - top))
            for k in 0..<insets { rects.append(PageRect(x: m, y: top + Double(k) * (h + gap), width: w, height: h)) }
        } else {
            let w = (page.width - 2 * m - gap * Double(max(insets - 1, 0))) / Double(max(insets, 1))
            let h = insets > 0 ? w * 1.1 : 0
            let legendH = 48 * u
            legend = PageRect(x: m, y: bottom - legendH, width: page.width - 2 * m, height: legendH)
            let insetY = legend.y - gap - h
            rects.append(PageRect(x: m, y: top, width: page.width - 2 * m, height: insetY - 2 * gap - top))
            for k in 0..<insets { rects.append(PageRect(x: m + Double(k) * (w + gap), y: insetY, width: w, height: h)) }
        }
        frames = zip(specs, zip(rects, extents)).map { spec, re in
            let (rect, e) = re
            let needed = max(e.width * 1.08 / (rect.width / 1000), e.height * 1.08 / (rect.height / 1000), 1)
            let step = needed > 1_000_000 ? 100_000.0 : 50_000.0
            let denominator = Int((needed / step).rounded(.up) * step)
            return Frame(spec: spec, rect: rect, denominator: denominator, center: e.center)
        }
    }

    /// A scale denominator written the French way: `1:2 500 000`.
    public static func scaleText(_ denominator: Int) -> String {
        "1:" + MapReport.group(denominator).replacingOccurrences(of: "\u{202F}", with: " ")
    }
}
