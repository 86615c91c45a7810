internal import Foundation
public import PerimetreGeometry

/// Reads feature layers of a GeoPackage (ours or GDAL's) through cached prepared statements.
///
/// Opening only checks the file is a GeoPackage: no table is scanned. A reader is not
/// `Sendable`: open one per task (it is cheap).
///
/// ```swift
/// let r = try GeoPackageReader(path: "geodata.gpkg")
/// let paris = try r.rows("communes", columns: ["nom"], filter: "code = ?", bindings: [.text("75056")])
/// let near = try r.rows("communes", columns: ["code"],
///                       intersecting: Envelope(minX: 2.2, minY: 48.8, maxX: 2.5, maxY: 48.9))
/// ```
public final class GeoPackageReader {
    /// The GeoPackage read.
    public let path: String
    let db: SQLiteDatabase
    private var layerInfo: [String: LayerInfo] = [:]

    private struct LayerInfo {
        var fid: String
        var geometry: String
        var columns: [String]
        var hasRTree: Bool
        var srsID: Int32
    }

    /// Opens read-only. Fails with a ``GeoPackageError`` naming the path when the file is
    /// missing, is not SQLite, or is SQLite without `gpkg_contents`.
    public init(path: String) throws {
        self.path = path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw GeoPackageError(path: path, message: "fichier introuvable")
        }
        db = try SQLiteDatabase(path: path, displayPath: path, readOnly: true)
        // SQLite reads the header lazily: the first query is where a non-database fails.
        let isGeoPackage: Bool
        do { isGeoPackage = try db.tableExists("gpkg_contents") } catch {
            throw db.error("pas un GeoPackage")
        }
        guard isGeoPackage else {
            throw GeoPackageError(path: path, message: "pas un GeoPackage : base SQLite sans table gpkg_contents")
        }
    }

    /// The feature layers listed in `gpkg_contents`, sorted by name.
    public func layers() throws -> [String] {
        let s = try db.statement(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name")
        var out: [String] = []
        while try s.step() { if let name = s.text(0) { out.append(name) } }
        return out
    }

    /// The attribute columns of a layer, in table order (neither the fid nor the geometry).
    public func columns(_ layer: String) throws -> [String] { try info(layer).columns }

    /// The geometry column named in `gpkg_geometry_columns`.
    public func geometryColumn(_ layer: String) throws -> String { try info(layer).geometry }

    /// The layer's SRS id from `gpkg_geometry_columns` (an EPSG code in practice, e.g. 4326 or 2154).
    public func srsID(_ layer: String) throws -> Int32 { try info(layer).srsID }

    /// The number of features of a layer (refused when `layer` is not a feature layer).
    public func count(_ layer: String) throws -> Int {
        _ = try info(layer)
        return try rowCount(layer)
    }

    /// Rows of a layer in fid order unless `orderBy` says otherwise. `filter` is an SQL boolean
    /// expression with `?` placeholders, e.g. `"code = ?"` or `"code IN (?,?)"`, bound to `bindings`.
    public func rows(
        _ layer: String, columns: [String], filter: String? = nil, bindings: [GeoPackageValue] = [],
        geometry: Bool = true, orderBy: String? = nil
    ) throws -> [GeoPackageRow] {
        let info = try info(layer)
        try check(columns, of: layer, info)
        var select = ([info.fid] + columns).map(quoted)
        if geometry { select.append(quoted(info.geometry)) }
        var sql = "SELECT \(select.joined(separator: ", ")) FROM \(quoted(layer))"
        if let filter { sql += " WHERE (\(filter))" }
        sql += " ORDER BY \(orderBy ?? quoted(info.fid))"
        let s = try db.statement(sql)
        try s.bind(bindings)
        var out: [GeoPackageRow] = []
        while try s.step() {
            out.append(try row(s, layer: layer, columns: columns.count, geometry: geometry))
        }
        return out
    }

    /// Rows whose bounding box intersects `envelope`, in fid order, found through the R-tree.
    /// The R-tree stores single-precision boxes rounded outward, so candidates are checked
    /// against the exact box of the blob header: the result is exact, not approximate.
    public func rows(
        _ layer: String, columns: [String], intersecting envelope: Envelope,
        geometry: Bool = true
    ) throws -> [GeoPackageRow] {
        let info = try info(layer)
        try check(columns, of: layer, info)
        let select = ([info.fid] + columns + [info.geometry]).map { "t.\(quoted($0))" }.joined(separator: ", ")
        let s: SQLiteStatement
        if info.hasRTree {
            // CROSS JOIN pins the R-tree as the outer loop: SQLite never scans the table.
            s = try db.statement(
                """
                SELECT \(select) FROM \(quoted(GeoPackageSchema.rtreeName(layer, info.geometry))) r
                CROSS JOIN \(quoted(layer)) t ON t.\(quoted(info.fid)) = r.id
                WHERE r.minx <= ? AND r.maxx >= ? AND r.miny <= ? AND r.maxy >= ?
                ORDER BY t.\(quoted(info.fid))
                """)
            try s.bind([.real(envelope.maxX), .real(envelope.minX), .real(envelope.maxY), .real(envelope.minY)])
        } else {
            // A GeoPackage made elsewhere without a spatial index: scan, with the same exact test.
            s = try db.statement("SELECT \(select) FROM \(quoted(layer)) t ORDER BY t.\(quoted(info.fid))")
        }
        let g = Int32(columns.count + 1)
        var out: [GeoPackageRow] = []
        while try s.step() {
            let box = try s.withBlob(g) { buf -> Envelope? in
                guard let buf else { return nil }
                let header = try decodeHeader(buf, layer: layer, fid: s.int64(0))
                return header.envelope
                    ?? WKBScanner.envelope(of: UnsafeRawBufferPointer(rebasing: buf[header.length...]))
            }
            guard let box, !box.isEmpty, box.intersects(envelope) else { continue }
            out.append(try row(s, layer: layer, columns: columns.count, geometry: geometry))
        }
        return out
    }

    /// The `perimetre_metadata` key/value pairs; empty when the table is absent.
    public func metadata() throws -> [String: String] {
        guard try db.tableExists("perimetre_metadata") else { return [:] }
        let s = try db.statement("SELECT key, value FROM perimetre_metadata")
        var out: [String: String] = [:]
        while try s.step() {
            if let k = s.text(0) { out[k] = s.text(1) ?? "" }
        }
        return out
    }

    // MARK: - Internals

    private func info(_ layer: String) throws -> LayerInfo {
        if let known = layerInfo[layer] { return known }
        let g = try db.statement("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?")
        try g.bind([.text(layer)])
        guard try g.step(), let geometry = g.text(0) else {
            throw GeoPackageError(path: path, message: "pas de couche d'entités nommée \(layer)")
        }
        let srsID = Int32(truncatingIfNeeded: g.int64(1))
        let t = try db.statement("SELECT name, pk FROM pragma_table_info(?) ORDER BY cid")
        try t.bind([.text(layer)])
        var fid: String?
        var columns: [String] = []
        while try t.step() {
            guard let name = t.text(0) else { continue }
            if t.int64(1) == 1 && fid == nil { fid = name } else if name != geometry { columns.append(name) }
        }
        guard let fid else {
            throw GeoPackageError(path: path, message: "la couche \(layer) n'a pas de clé primaire entière")
        }
        let hasRTree = try db.tableExists(GeoPackageSchema.rtreeName(layer, geometry))
        let found = LayerInfo(fid: fid, geometry: geometry, columns: columns, hasRTree: hasRTree, srsID: srsID)
        layerInfo[layer] = found
        return found
    }

    /// Refuses unknown columns up front: SQLite would read a quoted unknown name as a string
    /// literal (its legacy double-quote rule) and silently return the name itself.
    private func check(_ columns: [String], of layer: String, _ info: LayerInfo) throws {
        for c in columns where !info.columns.contains(c) && c != info.fid {
            throw GeoPackageError(path: path, message: "la couche \(layer) n'a pas de colonne \(c)")
        }
    }

    private func decodeHeader(_ buf: UnsafeRawBufferPointer, layer: String, fid: Int64) throws -> GeoPackageBlob.Header
    {
        do { return try GeoPackageBlob.decodeHeader(buf) } catch let e as GeoPackageError {
            throw GeoPackageError(path: path, message: "layer \(layer), fid \(fid): \(e.message)")
        }
    }

    /// The current row: fid in column 0, then `columns` values, then the geometry blob if asked.
    private func row(_ s: SQLiteStatement, layer: String, columns: Int, geometry: Bool) throws -> GeoPackageRow {
        let fid = s.int64(0)
        var values: [GeoPackageValue] = []
        values.reserveCapacity(columns)
        for i in 0..<Int32(columns) { values.append(s.value(i + 1)) }
        var wkb: WKBGeometry?
        if geometry {
            wkb = try s.withBlob(Int32(columns + 1)) { buf in
                guard let buf else { return nil }
                let header = try decodeHeader(buf, layer: layer, fid: fid)
                return WKBGeometry(Array(buf[header.length...]))
            }
        }
        return GeoPackageRow(fid: fid, values: values, geometry: wkb)
    }
}

/// A row's values as the topology decoders read them: ``GeoPackageColumns`` in place, or an array.
protocol GeoPackageRowValues: CustomStringConvertible {
    /// The value of column `i` (of the columns asked).
    subscript(_ i: Int) -> GeoPackageValue { get }
}

extension Array: GeoPackageRowValues where Element == GeoPackageValue {}

/// The current row of ``GeoPackageReader/scanInPlace(_:columns:_:)``: each column is read from
/// SQLite when asked, no array of values is built. Valid only during the body's call.
struct GeoPackageColumns: GeoPackageRowValues {
    fileprivate let statement: SQLiteStatement
    /// The number of columns asked.
    let count: Int

    subscript(_ i: Int) -> GeoPackageValue { statement.value(Int32(i)) }

    /// As the array of its values prints (the messages of invalid rows).
    var description: String { (0..<count).map { self[$0] }.description }
}

extension GeoPackageReader {
    /// Every row of a table in `fid` order, as ``scan(_:columns:_:)`` but read in place: for the
    /// tables read whole at each start (the topology), where building each row's array of values
    /// costs as much as SQLite's reading it.
    func scanInPlace(_ table: String, columns: [String], _ body: (GeoPackageColumns) throws -> Void) throws {
        guard try db.tableExists(table) else { throw GeoPackageError(path: path, message: "no table named \(table)") }
        let s = try db.statement(
            "SELECT \(columns.map(quoted).joined(separator: ", ")) FROM \(quoted(table)) ORDER BY fid")
        let row = GeoPackageColumns(statement: s, count: columns.count)
        while try s.step() { try body(row) }
    }
}
