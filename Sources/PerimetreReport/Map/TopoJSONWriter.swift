public import PerimetreGeometry

/// TopoJSON 1.0 (https://github.com/topojson/topojson-specification) of a national map: the
/// arcs of the map's topology stored once, quantized on one grid (`transform`), delta-encoded;
/// object `territories` (or `members` at `--level member`) with the GeoJSON features'
/// properties, and `departements` and `regions` when the admin layers are given.
///
/// Quantization is snap rounding of the arc network on the integer grid (see
/// `ArcTopology.quantized(on:)`): neighbours keep referencing the same arcs and rounding
/// creates no crossing. Vertices the grid cannot tell from a straight line are then left out:
/// those within half a grid step of the chord that replaces them (Douglas-Peucker on the grid,
/// `ArcTopology.simplified(gridTolerance:)`, with the same guards against crossings), and
/// interior vertices exactly on a straight run. Rings that collapse (fewer than 4 positions) are dropped and counted;
/// features left invalid by the grid (zero-width parts) are listed, not repaired: a repair
/// would have to leave the arcs.
public enum TopoJSONWriter {
    /// Figures of a TopoJSON output.
    public struct Stats: Sendable {
        /// Grid points per axis (`--quantize`).
        public var quantize: Int
        /// The grid (TopoJSON's `transform`).
        public var grid: QuantizationGrid
        /// Arcs written.
        public var arcs = 0
        /// Positions written.
        public var positions = 0
        /// Rings dropped because they collapsed on the grid.
        public var droppedRings = 0
        /// Figures of the snap rounding.
        public var rounding: ArcRoundingStats
        /// Vertices left out after quantization (within half a grid step of a straight line).
        public var subGridVertices = 0
        /// Ids of the features invalid once quantized (GEOS validity), with GEOS's reason.
        public var invalid: [(id: String, reason: String)] = []
    }

    /// The TopoJSON text and its figures.
    public struct Output: Sendable {
        /// The TopoJSON text.
        public var text: String
        /// Its figures.
        public var stats: Stats
    }

    /// Encodes `map` (built with `roundFeatures: false` or not: only its topology is used).
    public static func write(
        _ map: NationalMap, admin: (layers: AdminLayers, topology: ArcTopology)? = nil,
        quantize: Int = 100_000
    ) throws -> Output {
        precondition(quantize >= 2)
        let topo = map.topology ?? ArcTopology(arcs: [], features: [])
        var extent = topo.envelope
        if let a = admin { extent = extent.union(a.topology.envelope) }
        if extent.isEmpty { extent = Envelope(minX: 0, minY: 0, maxX: 1, maxY: 1) }
        let grid = QuantizationGrid(extent: extent, n: quantize)
        var (qt, rst) = topo.quantized(on: grid)
        var stats = Stats(quantize: quantize, grid: grid, rounding: rst)
        stats.subGridVertices = onGrid(&qt)

        var encoder = ArcEncoder()
        var rebuilt: [(id: String, shape: Shape)] = []
        var objects = [
            try territories(map, qt, grid: grid, encoder: &encoder, rebuilt: &rebuilt, dropped: &stats.droppedRings)
        ]
        var qa = admin.map { $0.topology.quantized(on: grid).0 } ?? ArcTopology(arcs: [], features: [])
        stats.subGridVertices += onGrid(&qa)
        if let a = admin {
            objects += try adminLayers(a.layers, qa, encoder: &encoder, dropped: &stats.droppedRings)
        }

        // Arcs in order of first use.
        var arcsText: [String] = []
        for (layer, arc) in encoder.order {
            let cs = layer == 0 ? qt.arcs[arc].coordinates : qa.arcs[arc].coordinates
            stats.positions += cs.count
            arcsText.append(deltaEncoded(cs))
        }
        stats.arcs = arcsText.count

        // Validity of the quantized territories, as a client would rebuild them.
        let checks = try parallelMap(rebuilt.map(\.shape)) { ctx, s -> String? in
            let g = try ctx.geometry(s)
            return try g.isValid() ? nil : try g.validityReason()
        }
        for (i, reason) in checks.enumerated() { if let reason { stats.invalid.append((rebuilt[i].id, reason)) } }
        return Output(text: try text(extent: extent, grid: grid, objects: objects, arcs: arcsText), stats: stats)
    }

    /// A TopoJSON object: a named collection of geometry objects (already written).
    struct GeometryCollection {
        var name: String
        var geometries: [String]
    }

    /// The territories (or members) of the map; `rebuilt` gets each non-empty one as a client
    /// would rebuild it from the quantized arcs, for the validity check.
    private static func territories(
        _ map: NationalMap, _ qt: ArcTopology, grid: QuantizationGrid, encoder: inout ArcEncoder,
        rebuilt: inout [(id: String, shape: Shape)], dropped: inout Int
    ) throws -> GeometryCollection {
        var geoms: [String] = []
        for (f, feature) in map.features.enumerated() {
            let id = feature.id?.stringValue ?? ""
            let polys = f < qt.features.count ? encoder.polygons(qt, layer: 0, feature: f, dropped: &dropped) : []
            geoms.append(try geometry(polys, id: id, properties: feature.properties))
            if !polys.isEmpty { rebuilt.append((id, qt.shape(feature: f).mapCoordinates(grid.fromGrid))) }
        }
        return GeometryCollection(name: map.options.level == .territory ? "territories" : "members", geometries: geoms)
    }

    /// The départements and régions, from their quantized topology `qa` (départements first).
    private static func adminLayers(
        _ layers: AdminLayers, _ qa: ArcTopology, encoder: inout ArcEncoder, dropped: inout Int
    ) throws -> [GeometryCollection] {
        func layer(_ units: [AdminLayers.Unit], offset: Int) throws -> [String] {
            try units.enumerated().map { k, u in
                var props: JSONObject = ["code": .string(u.code), "name": .string(u.name)]
                if let r = u.region { props["region"] = .string(r) }
                let polys = encoder.polygons(qa, layer: 1, feature: offset + k, dropped: &dropped)
                return try geometry(polys, id: u.code, properties: props)
            }
        }
        return [
            GeometryCollection(name: "departements", geometries: try layer(layers.departements, offset: 0)),
            GeometryCollection(
                name: "regions", geometries: try layer(layers.regions, offset: layers.departements.count)),
        ]
    }

    /// The TopoJSON text: bbox, transform, objects, arcs.
    private static func text(
        extent: Envelope, grid: QuantizationGrid, objects: [GeometryCollection], arcs: [String]
    ) throws -> String {
        var out = "{\"type\":\"Topology\",\"bbox\":["
        out += try [extent.minX, extent.minY, extent.maxX, extent.maxY].map(JSONWriter.number).joined(separator: ",")
        out +=
            "],\"transform\":{\"scale\":[\(try JSONWriter.number(grid.scale.x)),\(try JSONWriter.number(grid.scale.y))],"
        out +=
            "\"translate\":[\(try JSONWriter.number(grid.translate.x)),\(try JSONWriter.number(grid.translate.y))]},\n\"objects\":{"
        for (i, o) in objects.enumerated() {
            if i > 0 { out += "," }
            out += "\n\"\(o.name)\":{\"type\":\"GeometryCollection\",\"geometries\":["
            out += o.geometries.map { "\n" + $0 }.joined(separator: ",")
            out += "\n]}"
        }
        out += "\n},\n\"arcs\":["
        out += arcs.map { "\n" + $0 }.joined(separator: ",")
        out += "\n]}\n"
        return out
    }

    /// One geometry object: a MultiPolygon of arc indexes (`~i` written as -i-1), or a null
    /// geometry when nothing is left.
    static func geometry(_ polys: [[[Int]]], id: String, properties: JSONObject) throws -> String {
        var out = "{\"type\":" + (polys.isEmpty ? "null" : "\"MultiPolygon\"")
        out += ",\"id\":" + (try JSONWriter().string(.string(id)))
        out += ",\"properties\":" + (try JSONWriter().string(.object(properties)))
        if !polys.isEmpty {
            out += ",\"arcs\":["
            out += polys.map { p in
                "[" + p.map { r in "[" + r.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",") + "]"
            }
            .joined(separator: ",")
            out += "]"
        }
        return out + "}"
    }

    /// What the grid cannot show: vertices within half a step of the chord replacing them, then
    /// interior vertices exactly on a straight run. Returns how many positions were left out.
    static func onGrid(_ t: inout ArcTopology) -> Int {
        let used = t.usedArcs
        func positions(_ t: ArcTopology) -> Int {
            t.arcs.indices.reduce(0) { used[$1] ? $0 + t.arcs[$1].coordinates.count : $0 }
        }
        let before = positions(t)
        t = t.simplified(gridTolerance: 0.5).0
        t.arcs = t.arcs.map { a in
            var a = a
            a.coordinates = withoutStraightVertices(a.coordinates)
            return a
        }
        return before - positions(t)
    }

    /// Interior vertices lying exactly on the segment between their kept neighbours (integer
    /// grid, exact test) add nothing once quantized: left out. Endpoints (nodes) stay.
    static func withoutStraightVertices(_ cs: [Coordinate]) -> [Coordinate] {
        guard cs.count > 2 else { return cs }
        var out: [Coordinate] = [cs[0]]
        out.reserveCapacity(cs.count)
        for i in 1..<(cs.count - 1) {
            let p = out[out.count - 1]
            let v = cs[i]
            let n = cs[i + 1]
            let cross = (v.x - p.x) * (n.y - p.y) - (v.y - p.y) * (n.x - p.x)
            let forward = (v.x - p.x) * (n.x - v.x) + (v.y - p.y) * (n.y - v.y) > 0
            if cross == 0 && forward { continue }
            out.append(v)
        }
        out.append(cs[cs.count - 1])
        return out
    }

    /// First position absolute, then differences (TopoJSON delta encoding).
    static func deltaEncoded(_ cs: [Coordinate]) -> String {
        var out = "["
        var px = 0
        var py = 0
        for (i, c) in cs.enumerated() {
            let x = Int(c.x)
            let y = Int(c.y)
            if i > 0 { out += "," }
            out += "[\(x - px),\(y - py)]"
            px = x
            py = y
        }
        return out + "]"
    }

    /// Numbers the arcs in order of first use over the layers.
    struct ArcEncoder {
        var index: [SIMD2<Int>: Int] = [:]
        var order: [(layer: Int, arc: Int)] = []

        mutating func ref(layer: Int, arc: Int, reversed: Bool) -> Int {
            let key = SIMD2(layer, arc)
            let i: Int
            if let e = index[key] {
                i = e
            } else {
                i = order.count
                index[key] = i
                order.append((layer, arc))
            }
            return reversed ? ~i : i
        }

        /// The polygons of a feature as arc indexes; rings left with fewer than 4 positions are
        /// dropped (with their polygon when it is the exterior), arcs collapsed to a point skipped.
        mutating func polygons(_ t: ArcTopology, layer: Int, feature f: Int, dropped: inout Int) -> [[[Int]]] {
            var out: [[[Int]]] = []
            for p in t.features[f] {
                var rings: [[Int]] = []
                for (k, r) in p.enumerated() {
                    if t.coordinates(of: r).count < 4 {
                        dropped += k == 0 ? p.count : 1
                        if k == 0 { break } else { continue }
                    }
                    rings.append(
                        r.filter { t.arcs[$0.arc].coordinates.count > 1 }
                            .map { ref(layer: layer, arc: $0.arc, reversed: $0.reversed) })
                }
                if !rings.isEmpty { out.append(rings) }
            }
            return out
        }
    }
}
