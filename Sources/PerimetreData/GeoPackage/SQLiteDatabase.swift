internal import CSQLite

/// `n` SQL placeholders, `?,?,?`: for `IN (…)` lists and `VALUES (…)`.
func sqlPlaceholders(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ",") }

/// A thin owner of one SQLite connection: the only code here touching `sqlite3*`.
/// Statements are cached by SQL text, so repeated reads skip the parser.
final class SQLiteDatabase {
    let path: String
    private(set) var handle: OpaquePointer?
    private var cache: [String: SQLiteStatement] = [:]

    /// Opens `path` (the file name given to SQLite) reporting errors against `displayPath`.
    init(path: String, displayPath: String, readOnly: Bool) throws {
        self.path = displayPath
        // NOMUTEX: a connection is owned by one non-Sendable object, so SQLite's own
        // per-connection locking is pure overhead.
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        handle = db
        if rc != SQLITE_OK {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            close()
            throw GeoPackageError(path: displayPath, message: "cannot open: \(message)")
        }
        // Reads through a memory map: pages come from the page cache without a copy (the GeoPackage
        // has 64 KiB pages, each otherwise copied by a read call).
        if readOnly { sqlite3_exec(db, "PRAGMA mmap_size = 1073741824", nil, nil, nil) }
    }

    deinit { close() }

    /// Finalizes every statement and closes; safe to call twice.
    @discardableResult
    func close() -> Int32 {
        for s in cache.values { s.finalize() }
        cache.removeAll()
        guard let h = handle else { return SQLITE_OK }
        handle = nil
        return sqlite3_close_v2(h)
    }

    /// An error naming what was attempted and SQLite's last message.
    func error(_ doing: String) -> GeoPackageError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "database is closed"
        return GeoPackageError(path: path, message: "\(doing): \(message)")
    }

    /// Runs one or more statements that return no rows.
    func exec(_ sql: String) throws {
        guard let h = handle else { throw error("exec") }
        var err: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(h, sql, nil, nil, &err) != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(h))
            sqlite3_free(err)
            throw GeoPackageError(path: path, message: "\(firstLine(sql)): \(message)")
        }
    }

    /// A prepared statement for `sql`, reset and unbound, from the cache when possible.
    func statement(_ sql: String) throws -> SQLiteStatement {
        if let s = cache[sql] {
            s.reset()
            return s
        }
        guard let h = handle else { throw error("prepare") }
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(h, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw error(firstLine(sql))
        }
        let s = SQLiteStatement(stmt, db: self, sql: sql)
        cache[sql] = s
        return s
    }

    var lastInsertRowID: Int64 { handle.map { sqlite3_last_insert_rowid($0) } ?? 0 }

    /// Whether a table (or virtual table) named `name` exists.
    func tableExists(_ name: String) throws -> Bool {
        let s = try statement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
        try s.bind([.text(name)])
        return try s.step()
    }

    private func firstLine(_ sql: String) -> String {
        let line = sql.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? sql
        return line.count > 80 ? String(line.prefix(80)) + "…" : line
    }
}

/// A prepared statement owned by its ``SQLiteDatabase``'s cache.
final class SQLiteStatement {
    private var stmt: OpaquePointer?
    private unowned let db: SQLiteDatabase
    let sql: String

    fileprivate init(_ stmt: OpaquePointer, db: SQLiteDatabase, sql: String) {
        self.stmt = stmt
        self.db = db
        self.sql = sql
    }

    fileprivate func finalize() {
        sqlite3_finalize(stmt)
        stmt = nil
    }

    func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    /// Binds values to the placeholders 1…n.
    func bind(_ values: [GeoPackageValue], from first: Int32 = 1) throws {
        for (i, v) in values.enumerated() {
            let index = first + Int32(i)
            let rc: Int32 =
                switch v {
                case .null: sqlite3_bind_null(stmt, index)
                case .integer(let n): sqlite3_bind_int64(stmt, index, n)
                case .real(let d): sqlite3_bind_double(stmt, index, d)
                case .text(let t): sqlite3_bind_text(stmt, index, t, -1, perimetre_sqlite_transient())
                case .blob(let b):
                    b.withUnsafeBytes { buf in
                        // A zero-length blob must still be non-NULL, so never pass a nil base address.
                        sqlite3_bind_blob(
                            stmt, index, buf.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buf.count),
                            perimetre_sqlite_transient())
                    }
                }
            if rc != SQLITE_OK { throw db.error("bind parameter \(index) of \(sql)") }
        }
        let expected = sqlite3_bind_parameter_count(stmt)
        if first + Int32(values.count) - 1 > expected {
            throw GeoPackageError(
                path: db.path, message: "\(values.count) values bound to \(expected) placeholders in \(sql)")
        }
    }

    func bind(blob: [UInt8], at index: Int32) throws { try bind([.blob(blob)], from: index) }

    func bindNull(at index: Int32) throws {
        if sqlite3_bind_null(stmt, index) != SQLITE_OK { throw db.error("bind null \(index)") }
    }

    func bind(double: Double, at index: Int32) throws {
        if sqlite3_bind_double(stmt, index, double) != SQLITE_OK { throw db.error("bind \(index)") }
    }

    /// Advances: true when a row is available, false when done.
    func step() throws -> Bool {
        switch sqlite3_step(stmt) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw db.error(sql)
        }
    }

    /// Steps to completion, for statements returning no rows.
    func run() throws {
        while try step() {}
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(stmt, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(stmt, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String? {
        guard let p = sqlite3_column_text(stmt, column) else { return nil }
        return String(cString: p)
    }

    /// Calls `body` with the column's bytes, a text's UTF-8 or a blob's, without copying them
    /// (empty for NULL).
    func withBytes<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let p = sqlite3_column_blob(stmt, column)
        let n = Int(sqlite3_column_bytes(stmt, column))
        return try body(UnsafeRawBufferPointer(start: p, count: p == nil ? 0 : n))
    }

    /// The column as an attribute value.
    func value(_ column: Int32) -> GeoPackageValue {
        switch sqlite3_column_type(stmt, column) {
        case SQLITE_INTEGER: .integer(sqlite3_column_int64(stmt, column))
        case SQLITE_FLOAT: .real(sqlite3_column_double(stmt, column))
        case SQLITE_TEXT: text(column).map(GeoPackageValue.text) ?? .null
        case SQLITE_BLOB: withBytes(column) { .blob(Array($0)) }
        default: .null
        }
    }

    /// Calls `body` with the column's bytes without copying them (nil for NULL).
    func withBlob<T>(_ column: Int32, _ body: (UnsafeRawBufferPointer?) throws -> T) rethrows -> T {
        guard sqlite3_column_type(stmt, column) == SQLITE_BLOB else { return try body(nil) }
        let p = sqlite3_column_blob(stmt, column)
        let n = Int(sqlite3_column_bytes(stmt, column))
        return try body(UnsafeRawBufferPointer(start: p, count: p == nil ? 0 : n))
    }
}

/// An SQL identifier in double quotes, inner quotes doubled, so any layer or column
/// name is safe to splice into a statement.
func quoted(_ identifier: String) -> String {
    var out = "\""
    for ch in identifier {
        if ch == "\"" { out.append("\"") }
        out.append(ch)
    }
    out.append("\"")
    return out
}
