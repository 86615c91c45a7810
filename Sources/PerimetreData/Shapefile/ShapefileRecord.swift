public import PerimetreGeometry

/// One shapefile record: its DBF attributes as trimmed strings (empty for a NULL value)
/// and its shape, nil for a null shape.
public struct ShapefileRecord: Sendable {
    public var attributes: [String: String]
    public var shape: Shape?

    public init(attributes: [String: String], shape: Shape?) {
        self.attributes = attributes
        self.shape = shape
    }
}
