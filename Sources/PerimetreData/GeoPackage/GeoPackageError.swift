/// A GeoPackage failure: the file concerned and what went wrong, usually SQLite's own
/// message (`sqlite3_errmsg`) after a short note of what was being done.
///
/// ```swift
/// do { _ = try GeoPackageReader(path: "notes.txt") }
/// catch let e as GeoPackageError { print(e) } // "notes.txt: not a GeoPackage: file is not a database"
/// ```
public struct GeoPackageError: Error, CustomStringConvertible, Sendable {
    /// The GeoPackage file (or the blob's origin, for ``GeoPackageBlob`` errors).
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
