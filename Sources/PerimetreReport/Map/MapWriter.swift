import Foundation
import PerimetreData
import PerimetreGeometry

/// The outputs of `perimetre map`: GeoJSON (RFC 7946), GeoJSON Text Sequences (RFC 8142) and
/// GeoPackage. Same map, same bytes (GeoJSON and sequences).
public enum MapWriter {
    /// An output format of `perimetre map`.
    public enum Format: String, Sendable, CaseIterable {
        /// GeoJSON FeatureCollection (RFC 7946).
        case geojson
        /// GeoJSON Text Sequences (RFC 8142).
        case geojsonseq
        /// GeoPackage.
        case gpkg
    }

    /// A FeatureCollection, one feature per line.
    public static func geojson(_ map: NationalMap, bbox: Bool = false) throws -> String {
        try GeoJSONWriter(precision: map.options.precision, bbox: bbox).featureCollection(map.features)
    }

    /// RFC 8142: each feature preceded by RS (0x1E) and followed by LF.
    public static func geojsonSeq(_ map: NationalMap, bbox: Bool = false) throws -> String {
        let w = GeoJSONWriter(precision: map.options.precision, bbox: bbox)
        var out = ""
        for f in map.features {
            out += "\u{1E}"
            out += try w.feature(f)
            out += "\n"
        }
        return out
    }

    /// The layer name of a map in a GeoPackage.
    public static func layerName(_ level: MapOptions.Level) -> String {
        level == .territory ? "territoires" : "membres"
    }

    /// Writes a GeoPackage (one layer, EPSG:4326) atomically at `path`. Lists are written as
    /// comma-separated text, booleans as 0/1.
    public static func geopackage(_ map: NationalMap, to path: String) throws {
        let layer = layerName(map.options.level)
        let columns = columnsFor(map.options.level)
        let w = try GeoPackageWriter(path: path)
        try w.addLayer(
            layer, geometryType: "MULTIPOLYGON", columns: columns,
            description: map.options.level == .territory
                ? "Territoires d'industrie" : "Membres des Territoires d'industrie")
        let ctx = GeosContext()
        for f in map.features {
            let values = columns.map { c in value(f.properties[c.name]) }
            var wkb: WKBGeometry?
            var env: Envelope?
            if let s = f.geometry {
                let g = try ctx.geometry(s.orientedForGeoJSON())
                wkb = try g.wkb()
                env = s.envelope
            }
            try w.insert(layer, values: values, geometry: wkb, envelope: env)
        }
        try w.createIndex(layer, column: map.options.level == .territory ? "id" : "territory")
        try w.setMetadata("generator", "perimetre map")
        try w.setMetadata("precision", String(map.options.precision))
        if let s = map.options.simplifyMetres { try w.setMetadata("simplify_metres", JSONWriter.numberString(s)) }
        try w.commit()
    }

    static func columnsFor(_ level: MapOptions.Level) -> [GeoPackageColumn] {
        switch level {
        case .territory:
            return [
                GeoPackageColumn("id", .text), GeoPackageColumn("name", .text), GeoPackageColumn("members", .text),
                GeoPackageColumn("epci_count", .integer), GeoPackageColumn("commune_count", .integer),
                GeoPackageColumn("population", .integer), GeoPackageColumn("area_km2", .real),
                GeoPackageColumn("departements", .text), GeoPackageColumn("regions", .text),
                GeoPackageColumn("contiguous", .integer), GeoPackageColumn("components", .integer),
                GeoPackageColumn("frontalier", .integer), GeoPackageColumn("neighbours", .text),
                GeoPackageColumn("findings", .text),
            ]
        case .member:
            return [
                GeoPackageColumn("territory", .text), GeoPackageColumn("territory_name", .text),
                GeoPackageColumn("code", .text), GeoPackageColumn("name", .text), GeoPackageColumn("kind", .text),
                GeoPackageColumn("commune_count", .integer), GeoPackageColumn("population", .integer),
                GeoPackageColumn("area_km2", .real),
            ]
        }
    }

    static func value(_ v: JSONValue?) -> GeoPackageValue {
        switch v {
        case nil, .null?: return .null
        case .bool(let b)?: return .integer(b ? 1 : 0)
        case .int(let i)?: return .integer(Int64(i))
        case .number(let d)?: return .real(d)
        case .string(let s)?: return .text(s)
        case .array(let a)?: return .text(a.compactMap(\.stringValue).joined(separator: ","))
        case .object?: return .null
        }
    }
}

extension JSONWriter {
    /// A number as JSON writes it (no exponent for ordinary values).
    static func numberString(_ d: Double) -> String { (try? number(d)) ?? "\(d)" }
}
