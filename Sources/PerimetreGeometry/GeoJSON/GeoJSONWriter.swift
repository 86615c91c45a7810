/// Writes RFC 7946 GeoJSON: lon/lat, exterior rings counter-clockwise and holes clockwise,
/// `precision` decimals (default 6), properties in their given order, numbers never strings,
/// no NaN. Same input, same bytes.
///
/// ```swift
/// let text = try GeoJSONWriter(precision: 6).featureCollection([feature])
/// ```
public struct GeoJSONWriter: Sendable {
    /// Decimals of the coordinates written (0…15).
    public var precision: Int
    /// Whether to write a `bbox` member on each feature.
    public var bbox: Bool

    /// A writer; `precision` must be 0…15.
    public init(precision: Int = 6, bbox: Bool = false) {
        precondition((0...15).contains(precision), "precision must be 0...15")
        self.precision = precision
        self.bbox = bbox
    }

    /// A complete FeatureCollection, one feature per line for readable diffs.
    public func featureCollection(_ features: [Feature], members: JSONObject = [:]) throws -> String {
        var out = "{\"type\":\"FeatureCollection\""
        for e in members.entries {
            out += ","
            JSONWriter.escape(e.key, into: &out)
            out += ":" + (try JSONWriter().string(e.value))
        }
        out += ",\"features\":["
        for (i, f) in features.enumerated() {
            out += i == 0 ? "\n" : ",\n"
            try write(f, into: &out)
        }
        out += "\n]}\n"
        return out
    }

    /// One feature as a JSON object.
    public func feature(_ f: Feature) throws -> String {
        var out = ""
        try write(f, into: &out)
        return out
    }

    func write(_ f: Feature, into out: inout String) throws {
        out += "{\"type\":\"Feature\""
        if let id = f.id { out += ",\"id\":" + (try JSONWriter().string(id)) }
        if bbox, let g = f.geometry, case let e = g.envelope, !e.isEmpty {
            out += ",\"bbox\":["
            for (i, v) in [e.minX, e.minY, e.maxX, e.maxY].enumerated() {
                if i > 0 { out += "," }
                JSONWriter.fixed(v, decimals: precision, into: &out)
            }
            out += "]"
        }
        out += ",\"properties\":" + (try JSONWriter().string(.object(f.properties)))
        out += ",\"geometry\":"
        if let g = f.geometry { try geometry(g, into: &out) } else { out += "null" }
        out += "}"
    }

    /// One geometry object, oriented and rounded.
    public func geometry(_ shape: Shape) throws -> String {
        var out = ""
        try geometry(shape, into: &out)
        return out
    }

    func geometry(_ shape: Shape, into out: inout String) throws {
        var bad: Coordinate?
        shape.forEachCoordinate { c in if bad == nil, !(c.x.isFinite && c.y.isFinite) { bad = c } }
        if let bad {
            throw GeometryError(
                library: "GeoJSON", operation: "write", message: "non-finite coordinate (\(bad.x), \(bad.y))")
        }
        let s = shape.orientedForGeoJSON()
        out += "{\"type\":\"\(s.typeName)\","
        if case .collection(let gs) = s {
            out += "\"geometries\":["
            for (i, g) in gs.enumerated() {
                if i > 0 { out += "," }
                try geometry(g, into: &out)
            }
            out += "]}"
            return
        }
        out += "\"coordinates\":"
        switch s {
        case .point(let c): position(c, &out)
        case .lineString(let cs), .multiPoint(let cs): line(cs, &out)
        case .polygon(let rs), .multiLineString(let rs): lines(rs, &out)
        case .multiPolygon(let ps):
            out += "["
            for (i, p) in ps.enumerated() {
                if i > 0 { out += "," }
                lines(p, &out)
            }
            out += "]"
        case .collection: break
        }
        out += "}"
    }

    func position(_ c: Coordinate, _ out: inout String) {
        out += "["
        JSONWriter.fixed(c.x, decimals: precision, into: &out)
        out += ","
        JSONWriter.fixed(c.y, decimals: precision, into: &out)
        out += "]"
    }
    func line(_ cs: [Coordinate], _ out: inout String) {
        out += "["
        for (i, c) in cs.enumerated() {
            if i > 0 { out += "," }
            position(c, &out)
        }
        out += "]"
    }
    func lines(_ rs: [[Coordinate]], _ out: inout String) {
        out += "["
        for (i, r) in rs.enumerated() {
            if i > 0 { out += "," }
            line(r, &out)
        }
        out += "]"
    }
}
