public import PerimetreGeometry

/// A feature read back from a layer: its fid, the requested attribute values in the
/// requested order, and its geometry as ISO WKB (nil when absent or not requested).
public struct GeoPackageRow: Sendable {
    public var fid: Int64
    public var values: [GeoPackageValue]
    public var geometry: WKBGeometry?

    public init(fid: Int64, values: [GeoPackageValue], geometry: WKBGeometry?) {
        self.fid = fid
        self.values = values
        self.geometry = geometry
    }
}
