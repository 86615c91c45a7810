internal import Foundation

/// Attribute tables (GeoPackage `data_type = 'attributes'`: rows without geometry), such as the
/// topology tables.
extension GeoPackageWriter {
    /// Adds a table of plain rows (primary key `fid`, then `columns`), listed in `gpkg_contents`.
    public func addAttributeTable(_ name: String, columns: [GeoPackageColumn], description: String = "") throws {
        let db = try open()
        let cols = columns.map { "\(quoted($0.name)) \($0.type.rawValue)" }.joined(separator: ", ")
        try db.exec(
            "CREATE TABLE \(quoted(name)) (\(quoted(Self.fidColumn)) INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, \(cols))"
        )
        let s = try db.statement(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES (?, 'attributes', ?, ?)")
        try s.bind([.text(name), .text(name), .text(description)])
        try s.run()
    }

    /// An index on `columns` of an attribute table, for the queries that read a few of its rows.
    public func createAttributeIndex(_ table: String, columns: [String]) throws {
        let db = try open()
        let name = quoted("idx_\(table)_\(columns.joined(separator: "_"))")
        try db.exec(
            "CREATE INDEX IF NOT EXISTS \(name) ON \(quoted(table)) (\(columns.map(quoted).joined(separator: ", ")))")
    }

    /// Inserts rows into an attribute table; each row's values follow `columns`.
    public func insertRows(_ table: String, columns: [String], _ rows: [[GeoPackageValue]]) throws {
        let db = try open()
        let marks = sqlPlaceholders(columns.count)
        let sql = "INSERT INTO \(quoted(table)) (\(columns.map(quoted).joined(separator: ", "))) VALUES (\(marks))"
        for r in rows {
            guard r.count == columns.count else {
                throw GeoPackageError(
                    path: path, message: "table \(table): \(r.count) values for \(columns.count) columns")
            }
            let s = try db.statement(sql)
            try s.bind(r)
            try s.run()
        }
    }
}

extension GeoPackageReader {
    /// Whether an attribute (or feature) table is present.
    public func hasTable(_ name: String) throws -> Bool { try db.tableExists(name) }

    /// The number of rows of an attribute (or feature) table, to size what is read from it.
    public func rowCount(_ table: String) throws -> Int {
        let s = try db.statement("SELECT count(*) FROM \(quoted(table))")
        guard try s.step() else { return 0 }
        return Int(s.int64(0))
    }

    /// Every row of a table (attribute or feature, geometry not read), in `fid` order, calling
    /// `body` with each row's values (no row array is built).
    public func scan(_ table: String, columns: [String], _ body: ([GeoPackageValue]) throws -> Void) throws {
        try scan(table, columns: columns, filter: nil, bindings: [], body)
    }

    /// The rows of a table that match `filter` (an SQL condition on its columns, with `?` bound
    /// to `bindings`), in `fid` order unless `ordered` is false (a caller sorting the rows itself
    /// spares SQLite the sort of an index search), calling `body` with each row's values.
    public func scan(
        _ table: String, columns: [String], filter: String?, bindings: [GeoPackageValue], ordered: Bool = true,
        _ body: ([GeoPackageValue]) throws -> Void
    ) throws {
        guard try db.tableExists(table) else { throw GeoPackageError(path: path, message: "no table named \(table)") }
        let condition = filter.map { " WHERE (\($0))" } ?? ""
        let s = try db.statement(
            "SELECT \(columns.map(quoted).joined(separator: ", ")) FROM \(quoted(table))\(condition)"
                + (ordered ? " ORDER BY fid" : ""))
        try s.bind(bindings)
        var values: [GeoPackageValue] = []
        values.reserveCapacity(columns.count)
        while try s.step() {
            values.removeAll(keepingCapacity: true)
            for i in 0..<Int32(columns.count) { values.append(s.value(i)) }
            try body(values)
        }
    }
}

extension GeoPackageReader {
    /// The rows of `table` whose `key` column is one of `keys`, calling `body` with the key and
    /// the bytes of the column `value` (a blob's, or a text's UTF-8), which are valid only during
    /// the call: a long value is decoded where SQLite holds it, not copied first.
    public func scanBytes(
        _ table: String, key: String, value: String, keys: [String],
        _ body: (String, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard try db.tableExists(table) else { throw GeoPackageError(path: path, message: "no table named \(table)") }
        for start in stride(from: 0, to: keys.count, by: Self.keysPerQuery) {
            let chunk = keys[start..<min(start + Self.keysPerQuery, keys.count)]
            let marks = sqlPlaceholders(chunk.count)
            let s = try db.statement(
                "SELECT \(quoted(key)), \(quoted(value)) FROM \(quoted(table)) WHERE \(quoted(key)) IN (\(marks))")
            try s.bind(chunk.map { .text($0) })
            while try s.step() {
                let k = s.text(0) ?? ""
                try s.withBytes(1) { try body(k, $0) }
            }
        }
    }

    /// Keys bound per query of ``scanBytes(_:key:value:keys:_:)``, under SQLite's limit of variables.
    static let keysPerQuery = 500
}

extension GeoPackageReader {
    /// The attribute tables listed in `gpkg_contents`, sorted by name, with their description and row count.
    public func attributeTables() throws -> [(name: String, description: String, count: Int)] {
        let s = try db.statement(
            "SELECT table_name, description FROM gpkg_contents WHERE data_type = 'attributes' ORDER BY table_name")
        var names: [(String, String)] = []
        while try s.step() { if let n = s.text(0) { names.append((n, s.text(1) ?? "")) } }
        return try names.map { n, d in
            let c = try db.statement("SELECT count(*) FROM \(quoted(n))")
            _ = try c.step()
            return (n, d, Int(c.int64(0)))
        }
    }
}
