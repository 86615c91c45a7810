public import PerimetreGeometry

/// A feature read back from a layer: its fid, the requested attribute values in the
/// requested order, and its geometry as ISO WKB (nil when absent or not requested).
public struct GeoPackageRow: Sendable {
    /// The feature id.
    public var fid: Int64
    /// The requested attributes, in the requested order.
    public var values: [GeoPackageValue]
    /// The geometry as ISO WKB, nil when absent or not requested.
    public var geometry: WKBGeometry?

    /// A row of the given values.
    public init(fid: Int64, values: [GeoPackageValue], geometry: WKBGeometry?) {
        self.fid = fid
        self.values = values
        self.geometry = geometry
    }
}
