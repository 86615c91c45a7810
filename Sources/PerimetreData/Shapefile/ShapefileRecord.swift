public import PerimetreGeometry

/// One shapefile record: its DBF attributes as trimmed strings (empty for a NULL value)
/// and its shape, nil for a null shape.
public struct ShapefileRecord: Sendable {
    /// DBF attributes by field name, trimmed (empty for NULL).
    public var attributes: [String: String]
    /// The shape, lon/lat; nil for a null shape.
    public var shape: Shape?

    /// A record of the given attributes and shape.
    public init(attributes: [String: String], shape: Shape?) {
        self.attributes = attributes
        self.shape = shape
    }
}
