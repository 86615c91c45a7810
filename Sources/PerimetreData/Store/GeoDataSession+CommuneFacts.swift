extension GeoDataSession {
    /// What comparing with a territory layer needs of a commune: its EPCI, région and area.
    public struct CommuneFact: Sendable {
        public var code: String
        public var epci: String?
        public var region: String
        public var areaKm2: Double
    }

    /// The EPCI, région and area of the communes in one scan of the table, without names or
    /// geometries: a national layer (the 854 CRTE) names nearly every commune, and a plain scan
    /// is several times cheaper than selecting them by EPCI. `part` of `parts` reads one slice of
    /// the rows (by `fid`), so that sessions on several cores share the scan.
    public func communeFacts(part: Int = 0, of parts: Int = 1) throws -> [CommuneFact] {
        let bounds = try reader.db.statement("SELECT min(fid), max(fid) FROM communes")
        guard try bounds.step(), !bounds.isNull(0) else { return [] }
        let low = bounds.int64(0), high = bounds.int64(1), n = Int64(max(parts, 1))
        let size = (high - low + n) / n
        let first = low + size * Int64(part), last = min(high, first + size - 1)
        let s = try reader.db.statement("SELECT code, epci, region, area_km2 FROM communes WHERE fid BETWEEN ? AND ?")
        try s.bind([.integer(first), .integer(last)])
        var out: [CommuneFact] = []
        out.reserveCapacity(Int(max(last - first + 1, 0)))
        while try s.step() {
            out.append(CommuneFact(code: s.text(0) ?? "", epci: s.text(1), region: s.text(2) ?? "", areaKm2: s.value(3).double ?? 0))
        }
        return out
    }
}
