/// An attribute column of a layer, with its SQLite type.
///
/// ```swift
/// let cols = [GeoPackageColumn("code", .text), GeoPackageColumn("population", .integer)]
/// ```
public struct GeoPackageColumn: Sendable {
    public var name: String
    public var type: Kind

    public enum Kind: String, Sendable {
        case text = "TEXT", integer = "INTEGER", real = "REAL"
    }

    public init(_ name: String, _ type: Kind) {
        self.name = name
        self.type = type
    }
}
