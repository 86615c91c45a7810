internal import Foundation
public import PerimetreGeometry

/// Builds a GeoPackage 1.3 of feature layers that opens as-is in QGIS and GDAL.
///
/// Everything goes to a temporary file beside `path` in one transaction, with SQLite's journal
/// and syncs off (a half-written file is simply thrown away); ``commit()`` renames it over
/// `path` atomically, so readers never see a partial GeoPackage. Not committed (an error,
/// or the writer released), the temporary file is deleted and `path` is left untouched.
///
/// ```swift
/// let w = try GeoPackageWriter(path: "geodata.gpkg")
/// try w.addLayer("communes", geometryType: "MULTIPOLYGON",
///                columns: [GeoPackageColumn("code", .text), GeoPackageColumn("nom", .text)])
/// let g = try GeosContext().readWKT("MULTIPOLYGON(((2 48,3 48,3 49,2 48)))")
/// _ = try w.insert("communes", values: [.text("75056"), .text("Paris")],
///                  geometry: try g.wkb(), envelope: g.envelope())
/// try w.createIndex("communes", column: "code")
/// try w.commit()
/// ```
public final class GeoPackageWriter {
    /// The final GeoPackage path.
    public let path: String
    /// Where the file is built until ``commit()``.
    let temporaryPath: String
    private var db: SQLiteDatabase?
    private var layers: [String: Layer] = [:]
    private var layerOrder: [String] = []
    private var hasMetadataTable = false

    private struct Layer {
        var srsID: Int32
        var columns: [GeoPackageColumn]
        var extent = Envelope.empty
        var insertSQL: String
        /// Nil for a layer without a spatial index.
        var rtreeSQL: String?
    }

    /// The fixed names of the primary-key and geometry columns, as GDAL writes them.
    static let fidColumn = "fid"
    static let geometryColumn = "geom"

    /// Creates a new GeoPackage (its folder too), replacing any file at `path`.
    ///
    /// - Parameter path: The file to write.
    /// - Throws: `DataFileError` when the file cannot be created or SQLite refuses the schema.
    public init(path: String) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        // pid and a random tag: two builds, in two processes or one, never share a temp file.
        temporaryPath = "\(folder).\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        unlink(temporaryPath)
        let db = try SQLiteDatabase(path: temporaryPath, displayPath: path, readOnly: false)
        self.db = db
        do {
            // page_size first: any other write fixes it. 64 KiB pages keep most multipolygon
            // blobs off overflow chains; the 64 MiB cache holds the indexes while loading.
            try db.exec(
                """
                PRAGMA page_size = 65536;
                PRAGMA application_id = \(GeoPackageSchema.applicationID);
                PRAGMA user_version = \(GeoPackageSchema.userVersion);
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                PRAGMA locking_mode = EXCLUSIVE;
                PRAGMA cache_size = -65536;
                BEGIN;
                """)
            try db.exec(GeoPackageSchema.coreTables)
            for srs in GeoPackageSchema.requiredSRS { try addSRS(srs) }
        } catch {
            discard()
            throw error
        }
    }

    deinit { discard() }

    /// Closes and deletes the temporary file; `path` is not touched.
    private func discard() {
        guard let db else { return }
        db.close()
        self.db = nil
        unlink(temporaryPath)
    }

    func open() throws -> SQLiteDatabase {
        guard let db else {
            throw GeoPackageError(path: path, message: "the writer was already committed or discarded")
        }
        return db
    }

    private func addSRS(_ srs: GeoPackageSchema.SRS) throws {
        let s = try open().statement(
            """
            INSERT OR IGNORE INTO gpkg_spatial_ref_sys
              (srs_name, srs_id, organization, organization_coordsys_id, definition, description)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        try s.bind([
            .text(srs.name), .integer(Int64(srs.id)), .text(srs.organization), .integer(Int64(srs.code)),
            .text(srs.definition), .text(srs.description),
        ])
        try s.run()
    }

    /// Adds a feature table with its geometry column `geom`, primary key `fid`, and R-tree.
    /// `geometryType` is a GeoPackage type name: MULTIPOLYGON, MULTILINESTRING, POINT, GEOMETRY…
    /// Without `spatialIndex`, no R-tree: for a layer never searched by area, whose R-tree and its
    /// six triggers every reader would otherwise parse when it opens the file.
    public func addLayer(
        _ name: String, geometryType: String, srsID: Int32 = 4326, columns: [GeoPackageColumn],
        description: String = "", spatialIndex: Bool = true
    ) throws {
        let db = try open()
        guard !name.isEmpty, layers[name] == nil else {
            throw GeoPackageError(path: path, message: name.isEmpty ? "empty layer name" : "layer \(name) added twice")
        }
        var seen: Set<String> = [Self.fidColumn, Self.geometryColumn]
        for c in columns where !seen.insert(c.name.lowercased()).inserted {
            throw GeoPackageError(path: path, message: "layer \(name): column \(c.name) is duplicated or reserved")
        }
        try addSRS(GeoPackageSchema.srs(srsID))
        let type = geometryType.uppercased()
        // Spliced unquoted, as GDAL reads the declared type back verbatim: letters only.
        guard !type.isEmpty, type.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            throw GeoPackageError(path: path, message: "layer \(name): invalid geometry type \(geometryType)")
        }
        let columnsSQL = columns.map { ", \(quoted($0.name)) \($0.type.rawValue)" }.joined()
        let rtree = GeoPackageSchema.rtreeName(name, Self.geometryColumn)
        try db.exec(
            """
            CREATE TABLE \(quoted(name)) (\(quoted(Self.fidColumn)) INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, \
            \(quoted(Self.geometryColumn)) \(type)\(columnsSQL));
            """)
        if spatialIndex {
            try db.exec("CREATE VIRTUAL TABLE \(quoted(rtree)) USING rtree(id, minx, maxx, miny, maxy);")
        }
        let contents = try db.statement(
            """
            INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
            VALUES (?, 'features', ?, ?, ?)
            """)
        try contents.bind([.text(name), .text(name), .text(description), .integer(Int64(srsID))])
        try contents.run()
        let geometryColumns = try db.statement(
            """
            INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m)
            VALUES (?, ?, ?, ?, 0, 0)
            """)
        try geometryColumns.bind([.text(name), .text(Self.geometryColumn), .text(type), .integer(Int64(srsID))])
        try geometryColumns.run()
        if spatialIndex {
            try registerRTree(name)
        }

        let names = ([Self.geometryColumn] + columns.map(\.name)).map(quoted).joined(separator: ", ")
        let marks = sqlPlaceholders(columns.count + 1)
        layers[name] = Layer(
            srsID: srsID, columns: columns,
            insertSQL: "INSERT INTO \(quoted(name)) (\(names)) VALUES (\(marks))",
            rtreeSQL: spatialIndex
                ? "INSERT INTO \(quoted(rtree)) (id, minx, maxx, miny, maxy) VALUES (?, ?, ?, ?, ?)" : nil)
        layerOrder.append(name)
    }

    /// Declares the R-tree of a layer's geometry column in `gpkg_extensions`.
    private func registerRTree(_ name: String) throws {
        let db = try open()
        let ext = try db.statement(
            """
            INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)
            VALUES (?, ?, ?, ?, 'write-only')
            """)
        try ext.bind([
            .text(name), .text(Self.geometryColumn), .text(GeoPackageSchema.rtreeExtension),
            .text(GeoPackageSchema.rtreeDefinition),
        ])
        try ext.run()
    }

    /// Inserts a feature and returns its fid. `values` follow the layer's columns; `geometry` is
    /// ISO WKB. The envelope goes into the blob header and the R-tree; when nil it is computed
    /// from the WKB.
    @discardableResult
    public func insert(
        _ layer: String, values: [GeoPackageValue], geometry: WKBGeometry?,
        envelope: Envelope?
    ) throws -> Int64 {
        let db = try open()
        guard var info = layers[layer] else { throw GeoPackageError(path: path, message: "no layer named \(layer)") }
        guard values.count == info.columns.count else {
            throw GeoPackageError(
                path: path,
                message:
                    "layer \(layer): \(values.count) values for \(info.columns.count) columns")
        }
        var box: Envelope?
        let s = try db.statement(info.insertSQL)
        if let geometry {
            box = envelope ?? WKBScanner.envelope(of: geometry.bytes)
            try s.bind(blob: GeoPackageBlob.encode(geometry, srsID: info.srsID, envelope: box), at: 1)
        } else {
            try s.bindNull(at: 1)
        }
        try s.bind(values, from: 2)
        try s.run()
        let fid = db.lastInsertRowID
        if let box, !box.isEmpty {
            if let rtreeSQL = info.rtreeSQL {
                let r = try db.statement(rtreeSQL)
                try r.bind([.integer(fid), .real(box.minX), .real(box.maxX), .real(box.minY), .real(box.maxY)])
                try r.run()
            }
            info.extent = info.extent.union(box)
            layers[layer] = info
        }
        return fid
    }

    /// A plain SQL index on an attribute column, for lookups such as `code = ?`. `covering`
    /// columns are carried in the index, so that a query reading only them never touches the
    /// table's rows, whose geometry blobs (overflow pages) come before the attributes.
    public func createIndex(_ layer: String, column: String, covering: [String] = []) throws {
        let db = try open()
        guard let info = layers[layer] else { throw GeoPackageError(path: path, message: "no layer named \(layer)") }
        for c in [column] + covering where !info.columns.contains(where: { $0.name == c }) {
            throw GeoPackageError(path: path, message: "layer \(layer) has no column \(c)")
        }
        let columns = ([column] + covering.filter { $0 != column }).map(quoted).joined(separator: ", ")
        try db.exec("CREATE INDEX IF NOT EXISTS \(quoted("idx_\(layer)_\(column)")) ON \(quoted(layer)) (\(columns))")
    }

    /// Stores a key/value pair in `perimetre_metadata` (replacing any previous value).
    public func setMetadata(_ key: String, _ value: String) throws {
        let db = try open()
        if !hasMetadataTable {
            try db.exec("CREATE TABLE IF NOT EXISTS perimetre_metadata (key TEXT NOT NULL PRIMARY KEY, value TEXT)")
            hasMetadataTable = true
        }
        let s = try db.statement("INSERT OR REPLACE INTO perimetre_metadata (key, value) VALUES (?, ?)")
        try s.bind([.text(key), .text(value)])
        try s.run()
    }

    /// Records each layer's extent, adds the R-tree triggers, commits, closes, and renames the
    /// file over `path`. On failure the temporary file is deleted and `path` left as it was.
    public func commit() throws {
        let db = try open()
        do {
            for name in layerOrder {
                guard let info = layers[name] else { continue }
                if !info.extent.isEmpty {
                    let s = try db.statement(
                        """
                        UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?
                        """)
                    let e = info.extent
                    try s.bind([.real(e.minX), .real(e.minY), .real(e.maxX), .real(e.maxY), .text(name)])
                    try s.run()
                }
                if info.rtreeSQL != nil {
                    try db.exec(
                        GeoPackageSchema.rtreeTriggers(table: name, geometry: Self.geometryColumn, fid: Self.fidColumn))
                }
            }
            try db.exec("COMMIT")
            let rc = db.close()
            guard rc == 0 else { throw db.error("close (code \(rc))") }
            // No fsync: the build is reproducible, and the rename alone is what makes the
            // replacement atomic for concurrent readers.
            if rename(temporaryPath, path) != 0 {
                throw GeoPackageError(
                    path: path,
                    message:
                        "cannot rename \(temporaryPath) over it: \(String(cString: strerror(errno)))")
            }
            self.db = nil
        } catch {
            discard()
            throw error
        }
    }
}
