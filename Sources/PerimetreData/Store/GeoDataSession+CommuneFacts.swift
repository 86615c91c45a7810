extension GeoDataSession {
    /// What comparing with a territory layer needs of a commune: its EPCI, région and area.
    public struct CommuneFact: Sendable {
        /// INSEE code.
        public var code: String
        /// SIREN of its EPCI.
        public var epci: String
        /// INSEE code of its région.
        public var region: String
        /// Geodesic area (km²).
        public var areaKm2: Double
    }

    /// The EPCI, région and area of every commune that has an EPCI, read from the covering index
    /// on `epci` (2 MB, not the 22 MB of the table with its geometries): a national layer (the
    /// 854 CRTE) names nearly every commune, and this scan is several times cheaper than
    /// selecting them EPCI by EPCI. `part` of `parts` reads one range of EPCI, so that sessions
    /// on several cores share the scan.
    public func communeFacts(part: Int = 0, of parts: Int = 1) throws -> [CommuneFact] {
        let codes = data.epci.keys.sorted()
        let n = max(parts, 1)
        if codes.isEmpty && part > 0 { return [] }
        // EPCI range [low, high): the first part starts before every code, the last has no end.
        let low = part == 0 || codes.isEmpty ? "" : codes[part * codes.count / n]
        let high: String? = part == n - 1 || codes.isEmpty ? nil : codes[(part + 1) * codes.count / n]
        // Answered from the covering index on (epci, code, …, région, …, area) alone.
        let s = try reader.db.statement(
            "SELECT code, epci, region, area_km2 FROM communes WHERE epci \(part == 0 ? ">" : ">=") ?"
                + (high == nil ? "" : " AND epci < ?"))
        try s.bind([.text(low)] + (high.map { [.text($0)] } ?? []))
        var out: [CommuneFact] = []
        while try s.step() {
            out.append(
                CommuneFact(
                    code: s.text(0) ?? "", epci: s.text(1) ?? "", region: s.text(2) ?? "",
                    areaKm2: s.value(3).double ?? 0))
        }
        return out
    }

    /// The communes in no EPCI that the reference topology finds to be islands (no land unit
    /// within the tolerance): the single-commune islands exempted by law (CGCT L5210-1-1),
    /// Île-de-Sein, Ouessant, Île-de-Bréhat, L'Île-d'Yeu.
    ///
    /// - Returns: Their INSEE codes.
    /// - Throws: `GeoPackageError` when the table is missing.
    public func islandCommunesWithoutEPCI() throws -> Set<String> {
        if let known = islandsWithoutEPCI { return known }
        var out = Set<String>()
        try reader.scan("commune_facts", columns: ["code"], filter: "epci IS NULL AND island = 1", bindings: []) {
            if let c = $0[0].string { out.insert(c) }
        }
        islandsWithoutEPCI = out
        return out
    }
}
