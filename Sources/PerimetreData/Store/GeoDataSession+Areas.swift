public import PerimetreGeometry

extension GeoDataSession {
    /// Every département's geometry by code (the departements layer: communes dissolved, so
    /// neighbours share their border vertices exactly).
    public func departementGeometries() throws -> [String: WKBGeometry] {
        try geometries("departements")
    }

    /// Every région's geometry by code.
    public func regionGeometries() throws -> [String: WKBGeometry] {
        try geometries("regions")
    }

    private func geometries(_ table: String) throws -> [String: WKBGeometry] {
        var out: [String: WKBGeometry] = [:]
        for r in try reader.rows(table, columns: ["code"], geometry: true) {
            if let c = r.values[0].string, let g = r.geometry { out[c] = g }
        }
        return out
    }
}
