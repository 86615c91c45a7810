public import PerimetreGeometry

extension GeoDataSession {
    /// Natural Earth lakes whose bounding box meets `e`, or nil when the GeoPackage predates the
    /// `lakes` layer (rebuild it with `perimetre data build`).
    public func lakes(intersecting e: Envelope) throws -> [(name: String, geometry: WKBGeometry)]? {
        guard try reader.layers().contains("lakes") else { return nil }
        return try reader.rows("lakes", columns: ["name"], intersecting: e, geometry: true).compactMap { r in
            guard let g = r.geometry else { return nil }
            return (r.values[0].string ?? "", g)
        }
    }
}
