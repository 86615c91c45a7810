import Foundation
import PerimetreGeometry

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

        /// A commune's facts.
        public init(code: String, epci: String, region: String, areaKm2: Double) {
            self.code = code
            self.epci = epci
            self.region = region
            self.areaKm2 = areaKm2
        }

        /// Facts read by EPCI (``GeoDataSession/communeFacts(part:of:)``, parts in any order) grouped by EPCI,
        /// each group in reading order. Each run of an EPCI is stored once, rather than each
        /// commune hashed.
        public static func byEPCI(_ parts: [[CommuneFact]]) -> [String: [CommuneFact]] {
            var out: [String: [CommuneFact]] = [:]
            for part in parts {
                var start = 0
                while start < part.count {
                    var end = start + 1
                    while end < part.count && part[end].epci == part[start].epci { end += 1 }
                    out[part[start].epci, default: []] += part[start..<end]
                    start = end
                }
            }
            return out
        }
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

extension GeoData {
    /// Starts reading every commune's facts in the background (``prefetchedCommuneFacts()``), on
    /// as many sessions as there are cores: a command comparing with a national layer does it
    /// while it reads its other inputs. Does nothing after the first call. A process that may
    /// exit before asking for the facts waits for them first (``prefetchedCommuneFacts()``), as
    /// `perimetre audit` does on its error paths: the read is not left running at exit.
    public func prefetchCommuneFacts() {
        communeFactsRead.withLock { read in
            if read == nil { read = CommuneFactsRead(self, parts: ProcessInfo.processInfo.activeProcessorCount) }
        }
    }

    /// Every commune that has an EPCI, grouped by EPCI, each group in code order: from the read
    /// ``prefetchCommuneFacts()`` started (waiting for it), else nil.
    ///
    /// - Throws: `GeoPackageError` when the read failed.
    public func prefetchedCommuneFacts() throws -> [String: [GeoDataSession.CommuneFact]]? {
        try communeFactsRead.withLock { $0 }?.wait()
    }
}

/// A background read of the communes' facts, in parts by range of EPCI.
final class CommuneFactsRead: Sendable {
    private let group = DispatchGroup()
    private let parts: Locked<[Result<[GeoDataSession.CommuneFact], any Error>?]>
    private let grouped = Locked<Result<[String: [GeoDataSession.CommuneFact]], any Error>?>(nil)

    init(_ data: GeoData, parts n: Int) {
        let n = max(n, 1)
        parts = Locked(Array(repeating: nil, count: n))
        for k in 0..<n {
            group.enter()
            DispatchQueue.global().async { [parts, group] in
                let r = Result { try data.session().communeFacts(part: k, of: n) }
                parts.withLock { $0[k] = r }
                group.leave()
            }
        }
    }

    /// The facts by EPCI, once every part is read.
    func wait() throws -> [String: [GeoDataSession.CommuneFact]] {
        group.wait()
        return try grouped.withLock { g in
            if let g { return try g.get() }
            let r = Result { GeoDataSession.CommuneFact.byEPCI(try parts.withLock { $0 }.map { try $0!.get() }) }
            g = r
            return try r.get()
        }
    }
}
