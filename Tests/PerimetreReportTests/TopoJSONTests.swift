import Foundation
import PerimetreAnalysis
import PerimetreData
import PerimetreGeometry
import PerimetreReport
import PerimetreTestSupport
import Testing

/// A TopoJSON decoder written from the specification (https://github.com/topojson/topojson-specification),
/// sharing no code with the writer: Foundation's JSON parser, the transform, delta decoding, arc
/// reversal with `~i`, and the stitching of arcs into rings (each arc after the first drops its
/// first position, which repeats the previous arc's last).
struct TopoJSONDecoder {
    let arcs: [[Coordinate]]
    let objects: [String: [[String: Any]]]
    /// The transform: a grid point (i, j) stands for translate + (i, j) * scale.
    let scale: Coordinate, translate: Coordinate

    init(_ text: String) throws {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        try #require(root["type"] as? String == "Topology")
        let transform = try #require(root["transform"] as? [String: Any])
        let scale = try #require(transform["scale"] as? [Double])
        let translate = try #require(transform["translate"] as? [Double])
        self.scale = Coordinate(scale[0], scale[1])
        self.translate = Coordinate(translate[0], translate[1])
        var decoded: [[Coordinate]] = []
        for arc in try #require(root["arcs"] as? [[[Int]]]) {
            var x = 0
            var y = 0
            decoded.append(
                arc.map { p in
                    x += p[0]
                    y += p[1]
                    return Coordinate(Double(x) * scale[0] + translate[0], Double(y) * scale[1] + translate[1])
                })
        }
        arcs = decoded
        var objs: [String: [[String: Any]]] = [:]
        for (name, o) in try #require(root["objects"] as? [String: [String: Any]]) {
            try #require(o["type"] as? String == "GeometryCollection")
            objs[name] = try #require(o["geometries"] as? [[String: Any]])
        }
        objects = objs
    }

    func ring(_ refs: [Int]) -> [Coordinate] {
        var out: [Coordinate] = []
        for (k, i) in refs.enumerated() {
            let a = i >= 0 ? arcs[i] : Array(arcs[~i].reversed())
            out += k == 0 ? a : Array(a.dropFirst())
        }
        return out
    }

    /// A geometry object as a shape (Polygon or MultiPolygon; nil for a null geometry).
    func shape(_ g: [String: Any]) -> Shape? {
        switch g["type"] as? String {
        case "Polygon": return .polygon((g["arcs"] as! [[Int]]).map(ring))
        case "MultiPolygon": return .multiPolygon((g["arcs"] as! [[[Int]]]).map { $0.map(ring) })
        default: return nil
        }
    }

    /// The arc indexes a geometry uses, signed as written.
    static func refs(_ g: [String: Any]) -> [Int] {
        switch g["type"] as? String {
        case "Polygon": return (g["arcs"] as! [[Int]]).flatMap { $0 }
        case "MultiPolygon": return (g["arcs"] as! [[[Int]]]).flatMap { $0.flatMap { $0 } }
        default: return []
        }
    }
}

/// `perimetre map --format topojson` on the 183 TI of 2023-2027 (skipped without ../shared/data).
@Suite("TopoJSON of the 183 TI", .serialized)
struct TopoJSONTests {
    /// The GeoJSON map (unsimplified, simplified at 100 m), its areas read back from the written
    /// text, and its neighbours by GEOS: computed once for the parametrized test.
    static let reference = Result { try geojsonReference(simplify: nil) }
    static let simplified = Result { try geojsonReference(simplify: 100) }
    static func geojsonReference(simplify: Double?) throws -> (NationalMap, [String: Double], [[Int]: Double]) {
        let geo = try NationalMap.build(try realAudit.get(), options: MapOptions(simplifyMetres: simplify))
        return (
            geo, try geojsonAreas(try MapWriter.geojson(geo)), try sharedBorders(geo.features.compactMap(\.geometry))
        )
    }

    /// Geodesic areas (km²) of the features of written GeoJSON, read back with Foundation's parser.
    static func geojsonAreas(_ text: String) throws -> [String: Double] {
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var out: [String: Double] = [:]
        for f in try #require(obj["features"] as? [[String: Any]]) {
            let id = try #require(f["id"] as? String)
            guard let g = f["geometry"] as? [String: Any] else { continue }
            let polys: [[[[Double]]]] =
                g["type"] as? String == "MultiPolygon"
                ? g["coordinates"] as! [[[[Double]]]] : [g["coordinates"] as! [[[Double]]]]
            out[id] =
                GeodesicMeasure.area(of: .multiPolygon(polys.map { $0.map { $0.map { Coordinate($0[0], $0[1]) } } }))
                / 1e6
        }
        return out
    }

    @Test(
        "decoded areas equal the GeoJSON's; neighbours walk the same arcs in opposite directions; properties kept",
        .enabled(if: MapEnv.hasRealData, Comment(rawValue: MapEnv.noRealData)),
        arguments: [(1_000_000, nil, 1e-3), (100_000, nil, 5e-3), (100_000, 100.0, 5e-3)] as [(Int, Double?, Double)])
    func decode(quantize: Int, simplify: Double?, tolerance: Double) throws {
        let audit = try realAudit.get()
        let (geo, expected, borders) = try (simplify == nil ? Self.reference : Self.simplified).get()
        var options = MapOptions(simplifyMetres: simplify)
        options.roundFeatures = false
        let map = try NationalMap.build(audit, options: options)
        let topo = try TopoJSONWriter.write(map, quantize: quantize)
        let d = try TopoJSONDecoder(topo.text)
        let geoms = try #require(d.objects["territories"])
        #expect(geoms.count == geo.features.count)
        #expect(geoms.count == 183 - geo.failures.count)
        var worst = (id: "", error: 0.0)
        for (g, f) in zip(geoms, geo.features) {
            let id = try #require(g["id"] as? String)
            #expect(id == f.id?.stringValue)
            // Same properties as the GeoJSON feature (values compared as JSON).
            let props = try #require(g["properties"] as? [String: Any])
            #expect(props.keys.sorted() == f.properties.keys.sorted())
            #expect(props["name"] as? String == f.properties["name"]?.stringValue)
            #expect(
                props["population"] as? Int
                    == f.properties["population"].flatMap { if case .int(let i) = $0 { i } else { nil } })
            let shape = try #require(d.shape(g), "\(id) has no geometry")
            let area = GeodesicMeasure.area(of: shape) / 1e6
            let ref = try #require(expected[id])
            let error = abs(area - ref) / ref
            if error > worst.error { worst = (id, error) }
        }
        #expect(
            worst.error <= tolerance, "worst relative area error \(worst.error) for \(worst.id) at quantize \(quantize)"
        )
        // Every arc used by two territories is walked forward by one and backward by the other.
        var users: [Int: [(territory: Int, reversed: Bool)]] = [:]
        for (t, g) in geoms.enumerated() {
            for r in TopoJSONDecoder.refs(g) { users[r >= 0 ? r : ~r, default: []].append((t, r < 0)) }
        }
        var sharedPairs = Set<[Int]>()
        for (_, u) in users where u.count == 2 && u[0].territory != u[1].territory {
            #expect(u[0].reversed != u[1].reversed)
            sharedPairs.insert([u[0].territory, u[1].territory].sorted())
        }
        // Neighbours found by GEOS on the GeoJSON output share at least one arc in the TopoJSON.
        let neighbours = borders.filter { $0.value > 0.01 }.keys
        #expect(neighbours.count > 100)
        let missing = neighbours.filter { !sharedPairs.contains($0) }
        #expect(missing.isEmpty, "neighbours without a shared arc: \(missing.prefix(5))")
        #expect(topo.stats.rounding.unresolvedConflicts == 0)
    }

    @Test(
        "default quantization: at least 3x smaller than the GeoJSON; same bytes twice; admin objects",
        .enabled(if: MapEnv.hasRealData, Comment(rawValue: MapEnv.noRealData)))
    func sizeAndAdmin() throws {
        let audit = try realAudit.get()
        let geojson = try MapWriter.geojson(try Self.reference.get().0)
        var options = MapOptions()
        options.roundFeatures = false
        let map = try NationalMap.build(audit, options: options)
        let a = try TopoJSONWriter.write(map)
        let b = try TopoJSONWriter.write(map)
        #expect(a.text == b.text)
        #expect(
            a.text.utf8.count * 3 <= geojson.utf8.count,
            "TopoJSON \(a.text.utf8.count) bytes, GeoJSON \(geojson.utf8.count)")
        // The target: at most 600 kB at the default quantization.
        #expect(a.text.utf8.count <= 600_000, "TopoJSON \(a.text.utf8.count) bytes")

        let data = try GeoData(path: TestPaths.geoDataPath)
        let admin = try AdminLayers.load(data)
        let withAdmin = try TopoJSONWriter.write(
            map, admin: (admin, try admin.topology(simplifyMetres: nil)), quantize: 1_000_000)
        let d = try TopoJSONDecoder(withAdmin.text)
        let deps = try #require(d.objects["departements"])
        let regs = try #require(d.objects["regions"])
        #expect(deps.count == data.departements.count)
        #expect(regs.count == data.regions.count)
        // A région's decoded area is the sum of its départements' (both decoded from shared arcs).
        var byRegion: [String: Double] = [:]
        for g in deps {
            let p = try #require(g["properties"] as? [String: Any])
            byRegion[try #require(p["region"] as? String), default: 0] += GeodesicMeasure.area(
                of: try #require(d.shape(g)))
        }
        for g in regs {
            let code = try #require(g["id"] as? String)
            let area = GeodesicMeasure.area(of: try #require(d.shape(g)))
            let sum = try #require(byRegion[code])
            #expect(abs(area - sum) <= 1e-6 * sum, "région \(code): \(area) vs départements \(sum)")
        }
        // Each decoded département has the area of the reference data's (1e6 grid: ~10 m), and
        // metropolitan France adds up to the reference's 549 111 km² (ADMIN EXPRESS outlines, which
        // count lakes and estuaries that IGN's often quoted 543 940 km² leaves out).
        var metro = (decoded: 0.0, reference: 0.0)
        for (g, u) in zip(deps, admin.departements) {
            #expect(g["id"] as? String == u.code)
            let area = GeodesicMeasure.area(of: try #require(d.shape(g)))
            let ref = GeodesicMeasure.area(of: u.shape)
            #expect(
                abs(area - ref) <= 1e-3 * ref,
                "département \(u.code): \(area / 1e6) km² decoded, \(ref / 1e6) km² in the data")
            if u.code.count == 2 {
                metro.decoded += area / 1e6
                metro.reference += ref / 1e6
            }
        }
        #expect(abs(metro.decoded - metro.reference) <= 1e-4 * metro.reference, "metropolitan départements: \(metro)")
        #expect((540_000...555_000).contains(metro.decoded), "metropolitan départements: \(metro.decoded) km²")
    }

    @Test("fixture coverage: holes, enclaves and islands survive the round trip")
    func fixture() throws {
        let shapes = Fixture.shapes()
        var options = MapOptions()
        options.roundFeatures = false
        let topology = ArcTopology(shapes: shapes)
        var map = NationalMap(
            options: options,
            features: shapes.indices.map {
                Feature(id: .string("t\($0)"), properties: ["id": .string("t\($0)")], geometry: nil)
            })
        map.topology = topology
        let topo = try TopoJSONWriter.write(map, quantize: 1_000_000)
        let d = try TopoJSONDecoder(topo.text)
        let geoms = try #require(d.objects["territories"])
        #expect(geoms.count == shapes.count)
        for (g, s) in zip(geoms, shapes) {
            let back = try #require(d.shape(g))
            #expect(back.polygons.count == s.polygons.count)
            #expect(back.polygons.map(\.count) == s.polygons.map(\.count))
            let a0 = GeodesicMeasure.area(of: s)
            let a1 = GeodesicMeasure.area(of: back)
            #expect(abs(a1 - a0) <= 1e-3 * a0)
        }
    }

    @Test(
        "on a coarse grid, the vertices left out are within half a step of what is written; those kept are grid vertices",
        arguments: [2_000, 10_000])
    func subGridVertices(quantize: Int) throws {
        let shapes = Fixture.shapes()
        var options = MapOptions()
        options.roundFeatures = false
        let topology = ArcTopology(shapes: shapes)
        var map = NationalMap(
            options: options,
            features: shapes.indices.map {
                Feature(id: .string("t\($0)"), properties: [:], geometry: nil)
            })
        map.topology = topology
        let topo = try TopoJSONWriter.write(map, quantize: quantize)
        #expect(topo.stats.subGridVertices > 0)
        let d = try TopoJSONDecoder(topo.text)
        let geoms = try #require(d.objects["territories"])
        // The rounding alone (no vertex left out), on the same grid, in grid units.
        let grid = QuantizationGrid(extent: topology.envelope, n: quantize)
        for (a, b) in [
            (grid.scale.x, d.scale.x), (grid.scale.y, d.scale.y), (grid.translate.x, d.translate.x),
            (grid.translate.y, d.translate.y),
        ] {
            #expect(abs(a - b) <= 1e-12 * abs(a), "transform \(b) written, \(a) expected")
        }
        let rounded = topology.quantized(on: grid).0
        func toGrid(_ c: Coordinate) -> Coordinate {
            Coordinate(((c.x - d.translate.x) / d.scale.x).rounded(), ((c.y - d.translate.y) / d.scale.y).rounded())
        }
        for (f, g) in geoms.enumerated() {
            let written = try #require(d.shape(g)).polygons.flatMap { $0 }.map { $0.map(toGrid) }
            // Rings the grid collapsed (fewer than 4 positions) are not written, by design.
            let full = rounded.shape(feature: f).polygons.filter { $0[0].count >= 4 }.flatMap {
                $0.filter { $0.count >= 4 }
            }
            let fullVertices = Set(full.flatMap { $0 })
            var far = 0
            var foreign = 0
            for ring in written { for c in ring where !fullVertices.contains(c) { foreign += 1 } }
            for c in fullVertices {
                var best = Double.infinity
                for ring in written where ring.count > 1 {
                    for k in 1..<ring.count { best = min(best, distance(c, ring[k - 1], ring[k])) }
                }
                if best > 0.5 + 1e-9 { far += 1 }
            }
            #expect(far == 0, "t\(f): \(far) vertices more than half a step from the written rings")
            #expect(foreign == 0, "t\(f): \(foreign) written positions are not vertices of the rounded rings")
        }
    }

    /// Planar distance from p to the segment a-b.
    func distance(_ p: Coordinate, _ a: Coordinate, _ b: Coordinate) -> Double {
        let dx = b.x - a.x
        let dy = b.y - a.y
        let l2 = dx * dx + dy * dy
        let t = l2 > 0 ? max(0, min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2)) : 0
        let ex = a.x + t * dx - p.x
        let ey = a.y + t * dy - p.y
        return (ex * ex + ey * ey).squareRoot()
    }
}
