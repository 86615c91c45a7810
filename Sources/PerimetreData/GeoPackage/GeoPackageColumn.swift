/// An attribute column of a layer, with its SQLite type.
///
/// ```swift
/// let cols = [GeoPackageColumn("code", .text), GeoPackageColumn("population", .integer)]
/// ```
public struct GeoPackageColumn: Sendable {
    /// The column's name.
    public var name: String
    /// Its SQLite type.
    public var type: Kind

    /// The SQLite type of a column.
    public enum Kind: String, Sendable {
        /// Text (codes, names).
        case text = "TEXT"
        /// A 64-bit integer.
        case integer = "INTEGER"
        /// A double.
        case real = "REAL"
        /// Bytes.
        case blob = "BLOB"
    }

    /// A column of the given name and type.
    public init(_ name: String, _ type: Kind) {
        self.name = name
        self.type = type
    }
}
