import Foundation
public import PerimetreGeometry

/// Projects lon/lat onto the frames of a ``PosterLayout`` and writes compact SVG paths.
///
/// Points go through the frame's CRS (PROJ), then onto the page in millimetres; lines are
/// simplified on the page (Douglas-Peucker, `tolerance` mm: below what a printer draws) and
/// written in hundredths of a millimetre, relative moves after the first point. An arc is
/// projected once and reused by every ring that walks it, so neighbours drawn from one arc
/// topology keep exactly the same border on the page. One canvas per task (PROJ objects).
public final class PosterCanvas {
    /// The layout projected onto.
    public let layout: PosterLayout
    /// Simplification tolerance on the page (mm).
    public let tolerance: Double
    private let transformers: [CoordinateTransformer]
    /// Each frame's lon/lat box (its land's envelope, widened), to send a point to its frame.
    private let boxes: [Envelope]

    /// A canvas on a layout.
    ///
    /// - Parameters:
    ///   - layout: The frames and their scales.
    ///   - tolerance: Simplification tolerance on the page (mm).
    /// - Throws: `GeometryError` when PROJ cannot make a frame's transformation.
    public init(layout: PosterLayout, tolerance: Double = 0.06) throws {
        self.layout = layout
        self.tolerance = tolerance
        transformers = try layout.frames.map { try CoordinateTransformer(from: "EPSG:4326", to: $0.spec.crs.code) }
        boxes = layout.frames.map { $0.spec.land.envelope.expanded(by: 0.5) }
    }

    /// The frame a lon/lat point belongs to (metropolitan France first), nil outside every frame.
    public func frame(of c: Coordinate) -> Int? { boxes.firstIndex { $0.contains(c) } }

    /// Page points (mm) of lon/lat coordinates in frame `f`, unsimplified.
    public func project(_ cs: [Coordinate], frame f: Int) throws -> [Coordinate] {
        var p = cs
        try transformers[f].transform(&p)
        let fr = layout.frames[f]
        let s = fr.mmPerMetre
        let cx = fr.rect.x + fr.rect.width / 2
        let cy = fr.rect.y + fr.rect.height / 2
        return p.map { Coordinate(cx + ($0.x - fr.center.x) * s, cy - ($0.y - fr.center.y) * s) }
    }

    /// A polyline in hundredths of a millimetre, simplified on the page, consecutive repeats removed.
    public func pagePolyline(_ cs: [Coordinate], frame f: Int) throws -> [SIMD2<Int32>] {
        let pts = Self.douglasPeucker(try project(cs, frame: f), tolerance: tolerance)
        var out: [SIMD2<Int32>] = []
        out.reserveCapacity(pts.count)
        for p in pts {
            let q = SIMD2(Int32((p.x * 100).rounded()), Int32((p.y * 100).rounded()))
            if out.last != q { out.append(q) }
        }
        return out
    }

    /// Douglas-Peucker on page points (endpoints kept; closed lines keep their farthest point too).
    static func douglasPeucker(_ pts: [Coordinate], tolerance: Double) -> [Coordinate] {
        guard pts.count > 2 else { return pts }
        var keep = [Bool](repeating: false, count: pts.count)
        keep[0] = true
        keep[pts.count - 1] = true
        var stack: [(Int, Int)] = []
        if pts[0] == pts[pts.count - 1] {
            // A closed line: split at the point farthest from its start.
            var far = 1
            var best = -1.0
            for i in 1..<(pts.count - 1) {
                let d = (pts[i].x - pts[0].x) * (pts[i].x - pts[0].x) + (pts[i].y - pts[0].y) * (pts[i].y - pts[0].y)
                if d > best {
                    best = d
                    far = i
                }
            }
            keep[far] = true
            stack = [(0, far), (far, pts.count - 1)]
        } else {
            stack = [(0, pts.count - 1)]
        }
        let t2 = tolerance * tolerance
        while let (a, b) = stack.popLast() {
            guard b > a + 1 else { continue }
            let p = pts[a]
            let q = pts[b]
            let dx = q.x - p.x
            let dy = q.y - p.y
            let len2 = dx * dx + dy * dy
            var far = -1
            var best = t2
            for i in (a + 1)..<b {
                let r = pts[i]
                let d: Double
                if len2 == 0 {
                    d = (r.x - p.x) * (r.x - p.x) + (r.y - p.y) * (r.y - p.y)
                } else {
                    let cross = (r.x - p.x) * dy - (r.y - p.y) * dx
                    d = cross * cross / len2
                }
                if d > best {
                    best = d
                    far = i
                }
            }
            if far >= 0 {
                keep[far] = true
                stack.append((a, far))
                stack.append((far, b))
            }
        }
        return pts.indices.filter { keep[$0] }.map { pts[$0] }
    }

    // MARK: - Path text

    /// Hundredths of a millimetre as a decimal number of millimetres (`1234` → `12.34`).
    public static func mm(_ v: Int32) -> String {
        let n = Int(v)
        let a = abs(n)
        let i = a / 100
        let f = a % 100
        let sign = n < 0 ? "-" : ""
        if f == 0 { return sign + String(i) }
        return sign + String(i) + (f % 10 == 0 ? "." + String(f / 10) : (f < 10 ? ".0" : ".") + String(f))
    }

    /// A millimetre value for attributes (two decimals at most).
    public static func mm(_ d: Double) -> String { mm(Int32((d * 100).rounded())) }

    /// `M x y l dx dy …` (and `z` when closed) for one polyline.
    public static func pathData(_ pts: [SIMD2<Int32>], close: Bool, into out: inout String) {
        guard let first = pts.first else { return }
        out += "M" + mm(first.x) + " " + mm(first.y)
        var last = first
        if pts.count > 1 { out += "l" }
        for (i, p) in pts.enumerated() where i > 0 {
            let d = p &- last
            if i > 1 { out += d.x < 0 ? "" : " " }
            out += mm(d.x) + (d.y < 0 ? "" : " ") + mm(d.y)
            last = p
        }
        if close { out += "z" }
    }

    /// Path data of lon/lat polygons (each ring simplified on its own) in frame `f`; rings
    /// outside `clip` (page mm) are left out.
    public func polygonPath(_ polygons: [[[Coordinate]]], frame f: Int, clip: PageRect? = nil) throws -> String {
        var d = ""
        for p in polygons {
            for r in p {
                let pts = try pagePolyline(r, frame: f)
                guard pts.count > 3 else { continue }
                if let clip {
                    var minX = Int32.max
                    var minY = Int32.max
                    var maxX = Int32.min
                    var maxY = Int32.min
                    for q in pts {
                        minX = min(minX, q.x)
                        maxX = max(maxX, q.x)
                        minY = min(minY, q.y)
                        maxY = max(maxY, q.y)
                    }
                    let box = PageRect(
                        x: Double(minX) / 100, y: Double(minY) / 100, width: Double(maxX - minX) / 100,
                        height: Double(maxY - minY) / 100)
                    if !box.intersects(clip) { continue }
                }
                Self.pathData(Array(pts.dropLast()), close: true, into: &d)
            }
        }
        return d
    }
}

extension Envelope {
    func contains(_ c: Coordinate) -> Bool { c.x >= minX && c.x <= maxX && c.y >= minY && c.y <= maxY }
}
