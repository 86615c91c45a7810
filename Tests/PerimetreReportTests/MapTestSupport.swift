import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport
import PerimetreTestSupport
import Testing

// Helpers of the `perimetre map` tests: skip conditions, the real 2023-2027 audit (computed once), the
// hand-made fixtures, and independent checks written with GEOS (validity, overlaps, gaps).

enum MapEnv {
    /// The real data a national map needs: the 2023-2027 list, the composition tables and the GeoPackage.
    static let hasRealData: Bool = TestPaths.allExist(
        [TestPaths.tiMembers2023, TestPaths.geoDataPath] + TestPaths.compositionPaths)
    static let noRealData =
        "../shared/data (TI 2023-2027 and composition tables) or GeoData/france-2026.gpkg absent: real-data map test skipped"

    /// ogrinfo from GDAL (Debian gdal-bin; .ci/install-gdal installs it).
    static let ogrinfo: String? = ["/usr/bin/ogrinfo", "/usr/local/bin/ogrinfo"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static let noOgrinfo = "ogrinfo (gdal-bin) not found: independent-reader test skipped (run .ci/install-gdal)"
}

/// The audit of the 183 TI of 2023-2027, computed once for all tests.
let realAudit: Result<AuditResult, any Error> = Result {
    let data = try GeoData(path: TestPaths.geoDataPath)
    var tables = CompositionTables()
    for p in TestPaths.compositionPaths { try tables.load(p) }
    let layer = try TerritoryLayer.load(TestPaths.tiMembers2023)
    return try Audit.run(layer, data: data, compositions: tables, options: AnalysisOptions(mapContext: false))
}

// MARK: - Fixtures

/// Hand-made coverage: four squares of 0.1° with wiggly shared borders (2×2, meeting at a
/// 4-way node), a square with a hole filled by an enclave, one feature with an island and a
/// tiny islet. Wiggles of ~200 m every ~200 m, so 100 m and 500 m simplifications both bite.
enum Fixture {
    static func wiggly(
        _ a: Coordinate, _ b: Coordinate, seed: Int, n: Int = 60, amplitude: Double = 0.002
    ) -> [Coordinate] {
        let dx = b.x - a.x
        let dy = b.y - a.y
        let len = (dx * dx + dy * dy).squareRoot()
        let (nx, ny) = (-dy / len, dx / len)
        return (0...n).map { k in
            if k == 0 { return a }
            if k == n { return b }
            let t = Double(k) / Double(n)
            let w =
                amplitude * (sin(Double(k) * 1.7 + Double(seed)) + 0.5 * sin(Double(k * k % 13) + Double(seed) * 0.3))
            return Coordinate(a.x + t * dx + w * nx, a.y + t * dy + w * ny)
        }
    }

    /// Edges shared between cells: the same coordinates whatever the direction asked.
    final class Edges {
        var cache: [String: [Coordinate]] = [:]
        var seed = 0
        func edge(_ a: Coordinate, _ b: Coordinate) -> [Coordinate] {
            let fwd = "\(a.x),\(a.y)-\(b.x),\(b.y)"
            let back = "\(b.x),\(b.y)-\(a.x),\(a.y)"
            if let e = cache[fwd] { return e }
            if let e = cache[back] { return e.reversed() }
            seed += 1
            let e = Fixture.wiggly(a, b, seed: seed)
            cache[fwd] = e
            return e
        }
        func ring(_ corners: [Coordinate]) -> [Coordinate] {
            var out: [Coordinate] = []
            for i in 0..<corners.count {
                let e = edge(corners[i], corners[(i + 1) % corners.count])
                out += out.isEmpty ? e : Array(e.dropFirst())
            }
            return out
        }
    }

    static func circle(_ c: Coordinate, _ r: Double, _ n: Int) -> [Coordinate] {
        var out = (0..<n).map { k -> Coordinate in
            let t = Double(k) / Double(n) * 2 * Double.pi
            return Coordinate(c.x + r * cos(t) * (1 + 0.2 * sin(5 * t)), c.y + r * sin(t) * (1 + 0.2 * sin(5 * t)))
        }
        out.append(out[0])
        return out
    }

    /// Seven features: A B C D (2×2), E (with a hole), F (the enclave in E's hole).
    /// A also has an island and a tiny islet.
    static func shapes() -> [Shape] {
        let e = Edges()
        func p(_ x: Double, _ y: Double) -> Coordinate { Coordinate(2 + x / 10, 46 + y / 10) }
        func cell(_ i: Int, _ j: Int) -> [Coordinate] {
            e.ring([
                p(Double(i), Double(j)), p(Double(i + 1), Double(j)), p(Double(i + 1), Double(j + 1)),
                p(Double(i), Double(j + 1)),
            ])
        }
        let island = circle(Coordinate(1.85, 45.95), 0.01, 40)
        let islet = circle(Coordinate(1.9, 45.9), 0.0003, 8)
        let a = Shape.multiPolygon([[cell(0, 0)], [island], [islet]])
        let b = Shape.multiPolygon([[cell(1, 0)]])
        let c = Shape.multiPolygon([[cell(0, 1)]])
        let d = Shape.multiPolygon([[cell(1, 1)]])
        let outer = e.ring([p(3, 0), p(5, 0), p(5, 2), p(3, 2)])
        let hole = e.ring([p(3.6, 0.6), p(3.6, 1.4), p(4.4, 1.4), p(4.4, 0.6)])
        let eShape = Shape.multiPolygon([[outer, hole]])
        let fShape = Shape.multiPolygon([[Array(hole.reversed())]])
        return [a, b, c, d, eShape, fShape]
    }
}

// MARK: - Independent checks (GEOS)

struct CoverageFigures {
    var sumOfAreas: Double
    var unionArea: Double
    var unionHoles: Int
    var unionHoleArea: Double
    var unionParts: Int
    /// Parts of the union grouped when they touch (rounding may pinch a neck into a point contact).
    var unionComponents: Int
}

/// Area sums and the union's holes and parts, in squared degrees (planar: only compared).
func coverageFigures(_ shapes: [Shape]) throws -> CoverageFigures {
    let ctx = GeosContext()
    let gs = try shapes.map { try ctx.geometry($0) }
    let sum = try gs.reduce(0.0) { $0 + (try $1.area()) }
    let u = try ctx.unaryUnion(gs)
    let holes = try u.holes()
    let parts = try u.polygons()
    let tree = try STRtree(ctx, parts)
    var parent = Array(parts.indices)
    func find(_ i: Int) -> Int {
        var i = i
        while parent[i] != i {
            parent[i] = parent[parent[i]]
            i = parent[i]
        }
        return i
    }
    for (i, p) in parts.enumerated() {
        for j in tree.query(p) where j > i && find(i) != find(j) {
            if try p.intersects(parts[j]) { parent[find(i)] = find(j) }
        }
    }
    let components = Set(parts.indices.map(find)).count
    return CoverageFigures(
        sumOfAreas: sum, unionArea: try u.area(), unionHoles: holes.count,
        unionHoleArea: try holes.reduce(0.0) { $0 + (try $1.area()) }, unionParts: parts.count,
        unionComponents: components)
}

/// Holes of the union of `after` that are not holes of the union of `before` (their interior
/// point in no hole of `before`), each widened by 1e-5° to meet what surrounds it.
func newHoles(_ before: [Shape], _ after: [Shape], _ ctx: GeosContext) throws -> [Geometry] {
    let old = try ctx.unaryUnion(try before.map { try ctx.geometry($0) }).holes()
    return try ctx.unaryUnion(try after.map { try ctx.geometry($0) }).holes().filter { h in
        let p = try ctx.geometry(.point(try h.interiorPoint()))
        return try !old.contains { try $0.intersects(p) }
    }.map { try ctx.geometry($0.shape()).buffer(1e-5) }
}

/// The areas where two of `shapes` overlap (with a positive area).
func overlapAreas(_ shapes: [Shape], _ ctx: GeosContext) throws -> [Geometry] {
    let gs = try shapes.map { try ctx.geometry($0) }
    let tree = try STRtree(ctx, gs)
    var out: [Geometry] = []
    for (i, g) in gs.enumerated() {
        for j in tree.query(g) where j > i {
            guard try g.intersects(gs[j]) else { continue }
            let x = try g.intersection(gs[j])
            if try x.area() > 0 { out.append(x) }
        }
    }
    return out
}

/// Pairs of shapes overlapping by more than `sliver` (squared degrees), with their overlap.
func overlaps(_ shapes: [Shape], sliver: Double) throws -> [(Int, Int, Double)] {
    let ctx = GeosContext()
    let gs = try shapes.map { try ctx.geometry($0) }
    let tree = try STRtree(ctx, gs)
    var out: [(Int, Int, Double)] = []
    for (i, g) in gs.enumerated() {
        for j in tree.query(g) where j > i {
            guard try g.intersects(gs[j]) else { continue }
            let a = try g.intersection(gs[j]).area()
            if a > sliver { out.append((i, j, a)) }
        }
    }
    return out
}

/// Invalid shapes with GEOS's reason.
func invalidShapes(_ shapes: [Shape]) throws -> [(Int, String)] {
    let ctx = GeosContext()
    var out: [(Int, String)] = []
    for (i, s) in shapes.enumerated() {
        let g = try ctx.geometry(s)
        if !(try g.isValid()) { out.append((i, try g.validityReason())) }
    }
    return out
}

/// Rings whose winding is not RFC 7946's (exterior counter-clockwise, holes clockwise), read
/// back from written GeoJSON text with Foundation's parser.
func windingErrors(geojson: String) throws -> Int {
    let obj = try JSONSerialization.jsonObject(with: Data(geojson.utf8)) as! [String: Any]
    var bad = 0
    for f in obj["features"] as! [[String: Any]] {
        guard let g = f["geometry"] as? [String: Any] else { continue }
        let polys: [[[[Double]]]]
        if g["type"] as? String == "MultiPolygon" {
            polys = g["coordinates"] as! [[[[Double]]]]
        } else {
            polys = [g["coordinates"] as! [[[Double]]]]
        }
        for p in polys {
            for (k, r) in p.enumerated() {
                let a = signedRingArea(r.map { Coordinate($0[0], $0[1]) })
                if (k == 0) != (a > 0) { bad += 1 }
            }
        }
    }
    return bad
}

/// Whether every coordinate has at most `decimals` decimals.
func onGrid(_ s: Shape, decimals: Int) -> Bool {
    let scale = pow(10.0, Double(decimals))
    var ok = true
    s.forEachCoordinate { c in
        if abs(c.x * scale - (c.x * scale).rounded()) > 1e-6 || abs(c.y * scale - (c.y * scale).rounded()) > 1e-6 {
            ok = false
        }
    }
    return ok
}

/// Length (degrees) of the border shared by each pair of shapes that share one.
func sharedBorders(_ shapes: [Shape]) throws -> [[Int]: Double] {
    let ctx = GeosContext()
    let gs = try shapes.map { try ctx.geometry($0) }
    let tree = try STRtree(ctx, gs)
    var out: [[Int]: Double] = [:]
    for (i, g) in gs.enumerated() {
        for j in tree.query(g) where j > i {
            let l = try g.sharedBoundaryLength(gs[j])
            if l > 0 { out[[i, j]] = l }
        }
    }
    return out
}
