import Foundation
import PerimetreGeometry

/// Draws lon/lat shapes into an SVG in an equirectangular projection scaled by cos(latitude)
/// at the centre: close to conformal at the scale of a perimeter, and needs no library.
struct SVGMap {
    let width: Double
    let height: Double
    let frame: Envelope
    let kx: Double
    let scale: Double
    var layers: [String] = []
    /// `<defs>` content (patterns) written before the layers.
    var defs: [String] = []

    init(frame f: Envelope, width: Double = 900, height: Double = 640, margin: Double = 0.04) {
        let kx = cos(f.center.y * .pi / 180)
        let w = max(f.width * kx, 1e-9)
        let h = max(f.height, 1e-9)
        let s = min(width / (w * (1 + 2 * margin)), height / (h * (1 + 2 * margin)))
        self.kx = kx
        self.scale = s
        self.width = width
        self.height = height
        self.frame = f
    }

    func point(_ c: Coordinate) -> (Double, Double) {
        let x = (c.x - frame.center.x) * kx * scale + width / 2
        let y = height / 2 - (c.y - frame.center.y) * scale
        return (x, y)
    }

    /// An SVG path for a shape's polygons (even-odd filled) or lines.
    func path(_ s: Shape) -> String {
        var d = ""
        func ring(_ r: [Coordinate], close: Bool) {
            var last: (Int, Int)? = nil
            for (i, c) in r.enumerated() {
                let (x, y) = point(c)
                let q = (Int((x * 10).rounded()), Int((y * 10).rounded()))
                if let l = last, l == q { continue }
                last = q
                d += (i == 0 ? "M" : "L") + fmt(Double(q.0) / 10) + " " + fmt(Double(q.1) / 10)
            }
            if close { d += "Z" }
        }
        switch s {
        case .lineString(let cs): ring(cs, close: false)
        case .multiLineString(let ls): for l in ls { ring(l, close: false) }
        case .collection(let gs): return gs.map(path).joined()
        default: for p in s.polygons { for r in p { ring(r, close: true) } }
        }
        return d
    }

    func fmt(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }

    mutating func add(_ s: Shape, _ attributes: String, title: String? = nil) {
        let p = path(s)
        if p.isEmpty { return }
        let t = title.map { "<title>\(HTMLReport.escape($0))</title>" } ?? ""
        layers.append("<path d=\"\(p)\" \(attributes)>\(t)</path>")
    }

    func svg() -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" role=\"img\" aria-label=\"Carte du périmètre\">\n"
            + defs.map { $0 + "\n" }.joined()
            + "<rect width=\"100%\" height=\"100%\" fill=\"#eef3f7\"/>\n" + layers.joined(separator: "\n") + "\n</svg>"
    }
}
