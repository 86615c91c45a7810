public import Foundation

/// Reads GeoJSON (RFC 7946) into ``Feature`` values, keeping every property.
///
/// Accepts a FeatureCollection, a single Feature or a bare geometry. Coordinates must be
/// lon/lat: a coordinate outside [-180, 180] × [-90, 90] (Lambert-93 metres, say) is refused
/// with a message naming the feature and the value, as is a `crs` member naming another CRS.
///
/// ```swift
/// let features = try GeoJSONReader.read(contentsOf: "Samples/bassin.geojson")
/// ```
public enum GeoJSONReader {
    /// Reads a GeoJSON file; one over `maxBytes` (256 MiB: a drawn perimeter or a layer of
    /// territories is a few MB) is refused before anything is loaded.
    public static func read(contentsOf path: String, maxBytes: Int = 256 << 20) throws -> [Feature] {
        let data: Data
        do { data = try InputFile.read(path, maxBytes: maxBytes, kind: "un GeoJSON") } catch {
            throw GeoJSONError(source: path, feature: nil, message: error.message)
        }
        return try read(data: data, source: path)
    }

    /// Reads GeoJSON bytes.
    ///
    /// - Parameters:
    ///   - data: The GeoJSON text, UTF-8.
    ///   - source: The file's name, for messages.
    /// - Returns: The features, in order (a bare geometry gives one feature without properties).
    /// - Throws: `GeoJSONError` naming the source, the feature and the value (not JSON, not GeoJSON, not lon/lat).
    public static func read(data: Data, source: String) throws -> [Feature] {
        if data.isEmpty { throw GeoJSONError(source: source, feature: nil, message: "le fichier est vide") }
        let json: JSONValue
        do { json = try JSONValue.parse(data) } catch {
            throw GeoJSONError(source: source, feature: nil, message: "JSON invalide (\(describe(error)))")
        }
        return try features(json, source: source)
    }

    static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let ctx) = error {
            let text = ctx.underlyingError.map { "\($0)" } ?? ctx.debugDescription
            // Foundation's generic sentence says nothing the French "JSON invalide" does not.
            return text == "The given data was not valid JSON." ? "syntaxe incorrecte" : text
        }
        return "\(error)"
    }

    /// Whether positions must be lon/lat; off only for reading a projected layer with its `crs`.
    @TaskLocal static var requireLonLat = true

    /// Reads GeoJSON in any CRS (legacy `crs` member honoured): returns the features as they are
    /// and the CRS name (nil for the RFC 7946 default, CRS84). For the projected commune layers
    /// a user may feed `perimetre data build`; analyses use ``read(data:source:)``.
    public static func readAnyCRS(data: Data, source: String) throws -> (features: [Feature], crs: String?) {
        if data.isEmpty { throw GeoJSONError(source: source, feature: nil, message: "le fichier est vide") }
        let json: JSONValue
        do { json = try JSONValue.parse(data) } catch {
            throw GeoJSONError(source: source, feature: nil, message: "JSON invalide (\(describe(error)))")
        }
        var crs: String? = nil
        if case .object(let root) = json, let name = root["crs"]?["properties"]?["name"]?.stringValue,
            !(name.hasSuffix("CRS84") || name.hasSuffix("4326"))
        {
            crs = name
        }
        guard crs != nil else { return (try features(json, source: source), nil) }
        var stripped = json
        if case .object(var root) = json {
            root["crs"] = nil
            stripped = .object(root)
        }
        let fs = try $requireLonLat.withValue(false) { try features(stripped, source: source) }
        return (fs, crs)
    }

    /// The features of parsed GeoJSON.
    ///
    /// - Parameters:
    ///   - json: A FeatureCollection, a Feature or a bare geometry.
    ///   - source: The file's name, for messages.
    /// - Returns: The features, in order.
    /// - Throws: `GeoJSONError` naming the source, the feature and the value.
    public static func features(_ json: JSONValue, source: String) throws -> [Feature] {
        guard case .object(let root) = json else {
            throw GeoJSONError(source: source, feature: nil, message: "un objet JSON est attendu au premier niveau")
        }
        if case .object(let crs)? = root["crs"], let name = crs["properties"]?["name"]?.stringValue,
            !(name.hasSuffix("CRS84") || name.hasSuffix("4326"))
        {
            throw GeoJSONError(
                source: source, feature: nil,
                message: "le crs est \(name) ; un GeoJSON doit être en lon/lat WGS84 (CRS84) : reprojetez-le")
        }
        switch root["type"]?.stringValue {
        case "FeatureCollection":
            guard case .array(let items)? = root["features"] else {
                throw GeoJSONError(
                    source: source, feature: nil, message: "a FeatureCollection needs a \"features\" array")
            }
            return try items.enumerated().map { i, f in try feature(f, index: i, source: source) }
        case "Feature":
            return [try feature(json, index: 0, source: source)]
        case let t?:
            do { return [Feature(geometry: try geometry(json))] } catch let e as Failure {
                throw GeoJSONError(source: source, feature: nil, message: "\(t): \(e.message)")
            }
        case nil:
            throw GeoJSONError(
                source: source, feature: nil, message: "pas de membre « type » : ce n'est pas du GeoJSON")
        }
    }

    struct Failure: Error { var message: String }

    static func feature(_ v: JSONValue, index: Int, source: String) throws -> Feature {
        guard case .object(let o) = v, o["type"]?.stringValue == "Feature" else {
            throw GeoJSONError(source: source, feature: index, message: "pas un objet Feature")
        }
        var props = JSONObject()
        switch o["properties"] {
        case .object(let p)?: props = p
        case .null?, nil: break
        default:
            throw GeoJSONError(source: source, feature: index, message: "« properties » doit être un objet ou null")
        }
        guard let g = o["geometry"] else {
            throw GeoJSONError(source: source, feature: index, message: "membre « geometry » manquant")
        }
        if case .null = g { return Feature(id: o["id"], properties: props, geometry: nil) }
        do {
            return Feature(id: o["id"], properties: props, geometry: try geometry(g))
        } catch let e as Failure {
            throw GeoJSONError(source: source, feature: index, message: e.message)
        }
    }

    /// Reads one GeoJSON geometry object.
    static func geometry(_ v: JSONValue) throws -> Shape {
        guard case .object(let o) = v, let type = o["type"]?.stringValue else {
            throw Failure(message: "une géométrie doit être un objet avec un « type »")
        }
        if type == "GeometryCollection" {
            guard case .array(let gs)? = o["geometries"] else {
                throw Failure(message: "GeometryCollection without \"geometries\"")
            }
            return .collection(try gs.map(geometry))
        }
        guard let c = o["coordinates"] else { throw Failure(message: "\(type) without \"coordinates\"") }
        switch type {
        case "Point": return .point(try position(c))
        case "MultiPoint": return .multiPoint(try positions(c))
        case "LineString": return .lineString(try positions(c))
        case "MultiLineString": return .multiLineString(try array(c).map(positions))
        case "Polygon": return .polygon(try rings(c))
        case "MultiPolygon": return .multiPolygon(try array(c).map(rings))
        default: throw Failure(message: "type de géométrie « \(type) » inconnu")
        }
    }

    static func array(_ v: JSONValue) throws -> [JSONValue] {
        guard case .array(let a) = v else {
            throw Failure(message: "une liste de coordonnées est attendue, trouvé \(short(v))")
        }
        return a
    }

    static func position(_ v: JSONValue) throws -> Coordinate {
        let a = try array(v)
        guard a.count >= 2, let x = a[0].doubleValue, let y = a[1].doubleValue else {
            throw Failure(message: "une position demande deux nombres, trouvé \(short(v))")
        }
        guard x.isFinite, y.isFinite else { throw Failure(message: "non-finite coordinate (\(x), \(y))") }
        guard !requireLonLat || ((-180...180).contains(x) && (-90...90).contains(y)) else {
            throw Failure(
                message:
                    "la coordonnée (\(x), \(y)) n'est pas en lon/lat : un GeoJSON doit être en longitude, latitude WGS84 (reprojetez, par exemple depuis le Lambert-93 EPSG:2154)"
            )
        }
        return Coordinate(x, y)
    }

    static func positions(_ v: JSONValue) throws -> [Coordinate] { try array(v).map(position) }

    static func rings(_ v: JSONValue) throws -> [[Coordinate]] {
        try array(v).enumerated().map { i, r in
            let ring = try positions(r)
            guard ring.count >= 4 else {
                throw Failure(message: "l'anneau \(i + 1) a \(ring.count) positions ; un anneau en demande au moins 4")
            }
            guard ring.first == ring.last else {
                throw Failure(
                    message:
                        "l'anneau \(i + 1) n'est pas fermé : sa première position \(ring[0].x), \(ring[0].y) diffère de la dernière \(ring[ring.count - 1].x), \(ring[ring.count - 1].y)"
                )
            }
            return ring
        }
    }

    static func short(_ v: JSONValue) -> String {
        let s = (try? JSONWriter().string(v)) ?? "?"
        return s.count > 60 ? String(s.prefix(57)) + "..." : s
    }

    /// Reads a single geometry from GeoJSON text (a geometry, a Feature or a one-feature collection).
    public static func geometry(fromJSON text: String, source: String = "GeoJSON") throws -> Shape {
        let fs = try read(data: Data(text.utf8), source: source)
        guard fs.count == 1, let g = fs[0].geometry else {
            throw GeoJSONError(
                source: source, feature: nil, message: "une seule géométrie est attendue, trouvé \(fs.count) entités")
        }
        return g
    }
}
