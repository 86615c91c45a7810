extension GeoDataSession {
    /// The commune topology around a few EPCI: what a perimeter listing some of their communes
    /// needs, read by index rather than the whole national tables (105,000 pairs).
    public struct CommuneTopology: Sendable, Equatable {
        /// The facts of every commune (with a polygon) of the EPCI asked.
        public var facts: [String: UnitFacts]
        /// Every pair with at least one commune of the EPCI asked, sorted by (a, b).
        public var adjacency: [Adjacency]
        /// The EPCI of each commune met in ``facts`` and ``adjacency`` (absent: no EPCI).
        public var epci: [String: String]
    }

    /// The commune topology of the communes of `codes` (EPCI SIREN): their facts, and every pair
    /// where one of them meets another commune, with the EPCI of both.
    ///
    /// - Parameter codes: EPCI SIREN codes.
    /// - Returns: Their communes' facts and pairs.
    /// - Throws: `GeoPackageError` when a table is missing or a row is invalid.
    public func communeTopology(ofEPCI codes: [String]) throws -> CommuneTopology {
        let codes = Array(Set(codes)).sorted()
        // Read once per EPCI for all sessions: a remedy's predictions ask for the same EPCI again,
        // and an audit's workers for the same neighbours.
        var known = data.communeTopologies.withLock { cache in
            Dictionary(uniqueKeysWithValues: codes.compactMap { e in cache[e].map { (e, $0) } })
        }
        let missing = codes.filter { known[$0] == nil }
        if !missing.isEmpty {
            // One packed record per EPCI (``CommuneTopologyRecord``); an EPCI without one has no commune.
            var built: [String: CommuneTopology] = [:]
            for e in missing { built[e] = CommuneTopology(facts: [:], adjacency: [], epci: [:]) }
            let path = data.path
            try reader.scanBytes("epci_commune_topology", key: "epci", value: "topology", keys: missing) { e, bytes in
                built[e] = try CommuneTopologyRecord.decode(bytes, epci: e, path: path)
            }
            // Only EPCI of the reference data are kept: a long-running server is asked any code.
            let kept = built.filter { data.epci[$0.key] != nil }
            data.communeTopologies.withLock { $0.merge(kept) { old, _ in old } }
            known.merge(built) { old, _ in old }
        }
        if codes.count == 1 { return known[codes[0]]! }
        var out = CommuneTopology(facts: [:], adjacency: [], epci: [:])
        let asked = Set(codes)
        for e in codes {
            let t = known[e]!
            out.facts.merge(t.facts) { a, _ in a }
            out.epci.merge(t.epci) { a, _ in a }
            // A pair between two of these EPCI is held by both: kept from the first in code order.
            for p in t.adjacency {
                let other = t.epci[p.a] == e ? t.epci[p.b] : t.epci[p.a]
                if let o = other, o < e, asked.contains(o) { continue }
                out.adjacency.append(p)
            }
        }
        out.adjacency.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        return out
    }

    /// The rows of the three commune topology tables for the communes of `codes`: what the packed
    /// records of `epci_commune_topology` hold, read the long way (the tests compare the two).
    func readCommuneTopology(ofEPCI codes: [String]) throws -> CommuneTopology {
        var out = CommuneTopology(facts: [:], adjacency: [], epci: [:])
        if codes.isEmpty { return out }
        let marks = sqlPlaceholders(codes.count)
        let bindings = codes.map { GeoPackageValue.text($0) }
        let path = data.path
        var borders: [String: [UnitFacts.BorderDistance]] = [:]
        try reader.scan(
            "commune_borders", columns: GeoData.borderColumns, filter: "epci IN (\(marks))", bindings: bindings
        ) { v in
            let (code, b) = try GeoData.border(v, level: "commune", path: path)
            borders[code, default: []].append(b)
        }
        try reader.scan(
            "commune_facts", columns: GeoData.factColumns + ["epci"], filter: "epci IN (\(marks))",
            bindings: bindings, ordered: false
        ) { v in
            let f = try GeoData.facts(v, level: "commune", path: path, borders: borders)
            out.facts[f.code] = f
            if let e = v[15].string { out.epci[f.code] = e }
        }
        // Pairs on either side, by two index searches (an OR of both made SQLite merge and sort
        // them): a pair inside the EPCI is read by the first only. Sorted here.
        for filter in [
            "epci_a IN (\(marks))", "epci_b IN (\(marks)) AND (epci_a IS NULL OR epci_a NOT IN (\(marks)))",
        ] {
            try reader.scan(
                "commune_adjacency", columns: GeoData.adjacencyColumns + ["epci_a", "epci_b"], filter: filter,
                bindings: filter.hasPrefix("epci_a") ? bindings : bindings + bindings, ordered: false
            ) { v in
                let e = try GeoData.adjacency(v, level: "commune", path: path)
                out.adjacency.append(e)
                if let a = v[6].string { out.epci[e.a] = a }
                if let b = v[7].string { out.epci[e.b] = b }
            }
        }
        out.adjacency.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        return out
    }
}
