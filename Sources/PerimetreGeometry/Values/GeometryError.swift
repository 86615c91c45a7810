/// An error raised by the geometry layer, carrying the underlying library's own message.
///
/// ```swift
/// do { _ = try ctx.readWKT("POLYGON((0 0, 1 1") }
/// catch let e as GeometryError { print(e) } // "GEOS readWKT: ParseException: Expected ..."
/// ```
public struct GeometryError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The library that failed: `GEOS`, `PROJ` or `GeoJSON`.
    public var library: String
    /// The operation that was attempted, e.g. `intersection` or `transform EPSG:4326→EPSG:2154`.
    public var operation: String
    /// The library's message (GEOS message handler, PROJ log), or ours when the library gave none.
    public var message: String

    /// An error of a library's operation.
    public init(library: String, operation: String, message: String) {
        self.library = library
        self.operation = operation
        self.message = message
    }

    /// `library operation: message`.
    public var description: String { "\(library) \(operation): \(message)" }
}
