import Foundation
import PerimetreGeometry

extension GeoDataSession {
    /// The communes of every EPCI in range `part` of `parts` (the EPCI in code order), read into
    /// the cache the sessions on this data share (``communesByEPCI(_:)``): a national layer (the
    /// 854 CRTE) names nearly every commune. The ranges let sessions on several cores share the
    /// read.
    ///
    /// - Returns: Each EPCI's communes, by code.
    /// - Throws: `GeoPackageError` when the table is missing or a record unreadable.
    public func communesOfEveryEPCI(part: Int = 0, of parts: Int = 1) throws -> [String: [Commune]] {
        let codes = data.epci.keys.sorted()
        let n = max(parts, 1)
        guard (0..<n).contains(part) else { return [:] }
        return try communesByEPCI(Array(codes[(part * codes.count / n)..<((part + 1) * codes.count / n)]))
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
    /// Starts reading the communes of every EPCI in the background, on as many sessions as there
    /// are cores: a command comparing with a national layer does it while it reads its other
    /// inputs. Does nothing after the first call. A process that may exit before asking for them
    /// waits for them first (``prefetchedCommunesByEPCI()``), as `perimetre audit` does on its
    /// error paths: the read is not left running at exit.
    public func prefetchCommunesOfEveryEPCI() {
        everyEPCIRead.withLock { read in
            guard read == nil else { return }
            let n = max(ProcessInfo.processInfo.activeProcessorCount, 1)
            read = (0..<n).map { k in Deferred { try self.session().communesOfEveryEPCI(part: k, of: n) } }
        }
    }

    /// The communes of every EPCI, by code: from the read ``prefetchCommunesOfEveryEPCI()``
    /// started (waiting for it), else nil. The read also filled ``cachedCommunesByEPCI()``.
    ///
    /// - Throws: `GeoPackageError` when the read failed.
    public func prefetchedCommunesByEPCI() throws -> [String: [Commune]]? {
        try everyEPCIRead.withLock { $0 }?.reduce(into: [:]) { out, part in out.merge(try part.get()) { a, _ in a } }
    }
}
