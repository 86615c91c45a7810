extension GeoDataSession {
    /// What comparing with a territory layer needs of a commune: its EPCI, région and area.
    public struct CommuneFact: Sendable {
        public var code: String
        public var epci: String?
        public var region: String
        public var areaKm2: Double
    }

    /// Every commune's EPCI, région and area in one scan of the table, without names or
    /// geometries: a national layer (the 854 CRTE) names nearly every commune, and one plain
    /// scan is several times cheaper than selecting them by EPCI.
    public func communeFacts() throws -> [CommuneFact] {
        try reader.rows("communes", columns: ["code", "epci", "region", "area_km2"], geometry: false).map { r in
            let v = r.values
            return CommuneFact(code: v[0].string ?? "", epci: v[1].string, region: v[2].string ?? "", areaKm2: v[3].double ?? 0)
        }
    }
}
