public import PerimetreGeometry

/// A data file (GeoPackage, shapefile) that could not be read or written: the file concerned and
/// what went wrong, usually the library's own message (`sqlite3_errmsg`, shapelib) after a short
/// note of what was being done.
///
/// ```swift
/// do { _ = try GeoPackageReader(path: "notes.txt") }
/// catch let e as DataFileError { print(e) } // "notes.txt: not a GeoPackage: file is not a database"
/// ```
public struct DataFileError: CodedError, Sendable {
    /// The file (or the blob's origin, for ``GeoPackageBlob`` errors).
    public var path: String
    /// What went wrong, usually the library's own message.
    public var message: String
    /// Stable English code: `data_file_error`.
    public var code: String { "data_file_error" }

    /// An error about a file.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { "\(path): \(message)" }
}

/// The GeoPackage layer's name for ``DataFileError``.
public typealias GeoPackageError = DataFileError
/// The shapefile reader's name for ``DataFileError`` (one type: the same file, the same message).
public typealias ShapefileError = DataFileError
