import Foundation
public import PerimetreGeometry

/// The national reference data, opened from the GeoPackage that `perimetre data build` writes.
///
/// Opening reads only the small tables (EPCI, départements, régions, countries); geometries and
/// communes are fetched on demand through a ``GeoDataSession`` (code indexes and the R-tree),
/// one session per task since SQLite handles are not shared across threads.
///
/// ```swift
/// let data = try GeoData.open()                     // GeoData/france-2026.gpkg
/// let s = try data.session()
/// let g = try s.epciGeometries(["200000172"])        // WKB by SIREN
/// ```
public final class GeoData: Sendable {
    /// 2: the topology tables (`epci_adjacency`, `commune_adjacency`, `*_facts`, `*_borders`).
    /// 3: the pairs' overlap and union loss (`overlap_m2`, `union_loss_m`); zero-area slits removed.
    /// 4: the PROJ pipelines from lon/lat to the official local CRS (metadata `proj_pipeline …`);
    ///    the EPCI in their local metric CRS (`epci_metric`).
    /// 5: the commune topology tables carry each commune's EPCI (`epci`, `epci_a`, `epci_b`), indexed.
    /// 6: each EPCI's communes as one text row (`epci_communes`), read instead of a row per commune.
    /// 7: that row a packed record (``EPCICommunesRecord``), decoded ten times faster than the text.
    /// 8: the commune topology around each EPCI as one packed record (``CommuneTopologyRecord``).
    public static let schemaVersion = "8"
    /// Where the reference GeoPackage is looked for by default, relative to the current folder.
    public static let defaultPath = "GeoData/france-2026.gpkg"

    /// The GeoPackage opened.
    public let path: String
    /// Every EPCI, by SIREN.
    public let epci: [String: EPCI]
    /// Every département, by INSEE code.
    public let departements: [String: Departement]
    /// Every région, by INSEE code.
    public let regions: [String: Region]
    /// Countries near France, by ISO 3166-1 alpha-3 code.
    public let countries: [String: Country]
    /// The build's provenance (source versions, checksums, schema), by key.
    public let metadata: [String: String]
    /// The topology of each level, read on first use (see ``epciTopology()``).
    let topologyCache = Locked<[String: Topology]>([:])
    /// The read of every EPCI's communes started by ``prefetchCommunesOfEveryEPCI()``, if any: a
    /// range of EPCI per core.
    let everyEPCIRead = Locked<[Deferred<[String: [Commune]]>]?>(nil)
    /// The communes of each EPCI read so far by any session (``GeoDataSession/communesByEPCI(_:)``):
    /// an audit's workers name the same EPCI, and each would otherwise parse them again.
    let communesOfEPCI = Locked<[String: [Commune]]>([:])
    /// The commune topology of each EPCI read so far by any session
    /// (``GeoDataSession/communeTopology(ofEPCI:)``).
    let communeTopologies = Locked<[String: GeoDataSession.CommuneTopology]>([:])
    /// The readers of sessions that ended, for the next sessions: opening one parses the
    /// GeoPackage's schema (48 tables, 36 R-tree triggers: 3 million instructions), and an audit
    /// opens sessions for each phase of its work on every core.
    let idleReaders = Locked<[IdleReader]>([])
    /// Readers kept idle at most: an audit's phases reuse those of the phase before as well with
    /// two as with eight (same instructions, same memory), and a server keeps fewer files mapped.
    static let idleReadersKept = 2

    /// A reader between two sessions. Not used by two threads at once: a session has it alone,
    /// and it is only handed over under ``idleReaders``'s lock (SQLite's multi-thread mode).
    struct IdleReader: @unchecked Sendable {
        let reader: GeoPackageReader
    }

    /// The communes of the EPCI read so far by any session on this data
    /// (``GeoDataSession/communesByEPCI(_:)``), without reading any more: after an audit's
    /// resolutions, those of every EPCI its candidatures name.
    ///
    /// ```swift
    /// let known = data.cachedCommunesByEPCI()   // [:] before any read
    /// ```
    public func cachedCommunesByEPCI() -> [String: [Commune]] { communesOfEPCI.withLock { $0 } }

    /// The GeoPackage given, else `$PERIMETRE_GEODATA`, else `GeoData/france-2026.gpkg` in the current folder.
    public static func resolvePath(_ explicit: String? = nil) -> String {
        explicit ?? ProcessInfo.processInfo.environment["PERIMETRE_GEODATA"] ?? defaultPath
    }

    /// Opens the reference data.
    ///
    /// ```swift
    /// let data = try GeoData.open()                 // $PERIMETRE_GEODATA or GeoData/france-2026.gpkg
    /// print(data.epci["200065647"]?.name ?? "?")
    /// ```
    ///
    /// - Parameter path: The GeoPackage; nil for ``resolvePath(_:)``'s default.
    /// - Returns: The data, with its small tables read.
    /// - Throws: `GeoPackageError` when the file is missing, is not a GeoPackage or was built by another schema version.
    public static func open(_ path: String? = nil) throws -> GeoData { try GeoData(path: resolvePath(path)) }

    /// The metadata key of the PROJ pipeline from `source` to `target`, written by `data build`.
    public static func pipelineKey(from source: String, to target: String) -> String {
        "proj_pipeline \(source)>\(target)"
    }

    /// Hands the pipelines computed at `data build` to PROJ: transformations to the local CRS are
    /// then built without searching proj.db (15-25 ms per CRS per process otherwise).
    static func registerPipelines(_ metadata: [String: String]) {
        let prefix = pipelineKey(from: "", to: "").dropLast()
        for (key, pipeline) in metadata where key.hasPrefix(prefix) {
            let pair = key.dropFirst(prefix.count).split(separator: ">", maxSplits: 1).map(String.init)
            if pair.count == 2 { CoordinateTransformer.register(pipeline: pipeline, from: pair[0], to: pair[1]) }
        }
    }

    /// Opens the GeoPackage at `path`.
    ///
    /// - Parameter path: The GeoPackage.
    /// - Throws: `GeoPackageError` when the file is missing, is not a GeoPackage or was built by another schema version.
    public init(path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw GeoPackageError(
                path: path,
                message:
                    "données de référence introuvables : lancez d'abord `scripts/setup` (ou `perimetre data build`)")
        }
        self.path = path
        let r = try GeoPackageReader(path: path)
        metadata = try r.metadata()
        guard metadata["schema"] == GeoData.schemaVersion else {
            throw GeoPackageError(
                path: path,
                message:
                    "construit par une autre version de perimetre (schéma \(metadata["schema"] ?? "aucun"), attendu \(GeoData.schemaVersion)) : reconstruisez-le avec `perimetre data build`"
            )
        }
        Self.registerPipelines(metadata)
        var e: [String: EPCI] = [:]
        for row in try r.rows(
            "epci",
            columns: ["code", "name", "nature", "departements", "regions", "population", "commune_count", "area_km2"],
            geometry: false)
        {
            let v = row.values
            let code = v[0].string ?? ""
            e[code] = EPCI(
                code: code, name: v[1].string ?? "", nature: v[2].string ?? "",
                departements: (v[3].string ?? "").split(separator: ",").map(String.init),
                regions: (v[4].string ?? "").split(separator: ",").map(String.init),
                population: Int(v[5].int ?? 0), communeCount: Int(v[6].int ?? 0), areaKm2: v[7].double ?? 0)
        }
        epci = e
        var d: [String: Departement] = [:]
        for row in try r.rows("departements", columns: ["code", "name", "region"], geometry: false) {
            let c = row.values[0].string ?? ""
            d[c] = Departement(code: c, name: row.values[1].string ?? "", region: row.values[2].string ?? "")
        }
        departements = d
        var rg: [String: Region] = [:]
        for row in try r.rows("regions", columns: ["code", "name", "chef_lieu", "chef_lieu_name"], geometry: false) {
            let c = row.values[0].string ?? ""
            rg[c] = Region(
                code: c, name: row.values[1].string ?? "", chefLieu: row.values[2].string ?? "",
                chefLieuName: row.values[3].string ?? "")
        }
        regions = rg
        var co: [String: Country] = [:]
        for row in try r.rows("countries", columns: ["code", "name_fr", "name_en"], geometry: false) {
            let c = row.values[0].string ?? ""
            co[c] = Country(code: c, nameFR: row.values[1].string ?? c, nameEN: row.values[2].string ?? c)
        }
        countries = co
        giveBack(r)
    }

    /// An idle reader, or a new one: for one task, until ``giveBack(_:)``.
    func borrowReader() throws -> GeoPackageReader {
        try idleReaders.withLock { $0.popLast()?.reader } ?? GeoPackageReader(path: path)
    }

    /// Keeps `reader`, which its task no longer uses, for the next one.
    func giveBack(_ reader: GeoPackageReader) {
        let idle = IdleReader(reader: reader)
        idleReaders.withLock { if $0.count < Self.idleReadersKept { $0.append(idle) } }
    }

    /// A per-task handle for queries.
    public func session() throws -> GeoDataSession { try GeoDataSession(self) }

    /// EPCI whose name, SIREN or département matches `text` (accent- and case-insensitive),
    /// best matches first.
    public func searchEPCI(_ text: String) -> [EPCI] {
        let q = GeoData.fold(text)
        if q.isEmpty { return [] }
        let words = q.split(separator: " ").map(String.init)
        var scored: [(EPCI, Int)] = []
        for x in epci.values {
            if x.code == text.trimmingCharacters(in: .whitespaces) {
                scored.append((x, 0))
                continue
            }
            if x.departements.contains(q.uppercased()) || x.departements.contains(q) {
                scored.append((x, 2))
                continue
            }
            let nameWords = GeoData.fold(x.name).split(separator: " ")
            if words.allSatisfy({ w in nameWords.contains { $0 == w } }) {
                scored.append((x, 1))
            } else if words.allSatisfy({ w in nameWords.contains { $0.hasPrefix(w) } }) {
                scored.append((x, 3))
            }
        }
        return scored.sorted { ($0.1, $0.0.name, $0.0.code) < ($1.1, $1.0.name, $1.0.code) }.map(\.0)
    }

    /// Lower case without accents, apostrophes and dashes as spaces: the key for name search.
    public static func fold(_ s: String) -> String {
        let f = s.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "fr_FR"))
            .lowercased()
        let mapped = f.map { c -> Character in (c.isLetter || c.isNumber) ? c : " " }
        return String(mapped).split(separator: " ").joined(separator: " ")
    }
}

/// Queries on the reference GeoPackage, for one task (not Sendable).
public final class GeoDataSession {
    /// The reference data queried.
    public let data: GeoData
    let reader: GeoPackageReader
    /// PROJ transformations are costly to create (a CRS database lookup): one per pair per session.
    private var transformers: [String: CoordinateTransformer] = [:]
    /// ``islandCommunesWithoutEPCI()`` once read: every prediction adding such a commune asks.
    var islandsWithoutEPCI: Set<String>?

    /// A cached transformer between two CRS, for this session's task only.
    public func transformer(from source: String, to target: String) throws -> CoordinateTransformer {
        let key = source + ">" + target
        if let t = transformers[key] { return t }
        let t = try CoordinateTransformer(from: source, to: target)
        transformers[key] = t
        return t
    }

    init(_ data: GeoData) throws {
        self.data = data
        reader = try data.borrowReader()
    }

    deinit { data.giveBack(reader) }

    static let communeColumns = [
        "code", "name", "departement", "region", "epci", "population", "area_km2", "has_geometry",
    ]

    static func commune(_ row: GeoPackageRow) -> Commune {
        let v = row.values
        return Commune(
            code: v[0].string ?? "", name: v[1].string ?? "", departement: v[2].string ?? "",
            region: v[3].string ?? "", epci: v[4].string, population: Int(v[5].int ?? 0),
            areaKm2: v[6].double ?? 0, hasGeometry: (v[7].int ?? 0) == 1)
    }

    /// Communes by INSEE code (unknown codes are absent from the result).
    public func communes(codes: [String], geometry: Bool = true) throws -> [String: (Commune, WKBGeometry?)] {
        var out: [String: (Commune, WKBGeometry?)] = [:]
        for chunk in stride(from: 0, to: codes.count, by: 500).map({ Array(codes[$0..<min($0 + 500, codes.count)]) }) {
            for r in try reader.rows(
                "communes", columns: Self.communeColumns, filter: "code IN (\(sqlPlaceholders(chunk.count)))",
                bindings: chunk.map { .text($0) }, geometry: geometry)
            {
                let c = Self.commune(r)
                out[c.code] = (c, r.geometry)
            }
        }
        return out
    }

    /// The communes of the given EPCI, in code order, with geometry when asked.
    public func communes(ofEPCI codes: [String], geometry: Bool = true) throws -> [(Commune, WKBGeometry?)] {
        if codes.isEmpty { return [] }
        if geometry {
            return try reader.rows(
                "communes", columns: Self.communeColumns, filter: "epci IN (\(sqlPlaceholders(codes.count)))",
                bindings: codes.map { .text($0) }, geometry: true, orderBy: "code"
            )
            .map { (Self.commune($0), $0.geometry) }
        }
        // Without geometry, from `epci_communes` (one row per EPCI), grouped by ``communesByEPCI(_:)``.
        var out: [(Commune, WKBGeometry?)] = []
        for cs in try communesByEPCI(codes).values { for c in cs { out.append((c, nil)) } }
        out.sort { $0.0.code < $1.0.code }
        return out
    }

    /// The communes of each EPCI of `codes`, without geometry, each list by code (an unknown
    /// EPCI has none). Read once per EPCI for all sessions on the same ``GeoData``: a batch of
    /// options names the same EPCI again and again, and remedies and enclaves read them once more.
    ///
    /// - Parameter codes: EPCI SIREN codes.
    /// - Returns: Each EPCI's communes.
    /// - Throws: `GeoPackageError` when the table is missing or a row unreadable.
    public func communesByEPCI(_ codes: [String]) throws -> [String: [Commune]] {
        var out: [String: [Commune]] = [:]
        var missing: [String] = []
        data.communesOfEPCI.withLock { known in
            for e in codes where out[e] == nil {
                if let cs = known[e] { out[e] = cs } else { missing.append(e) }
            }
        }
        if missing.isEmpty { return out }
        // Read outside the lock: two sessions may read the same EPCI at once, to the same result.
        missing = Array(Set(missing)).sorted()
        var read = Dictionary(uniqueKeysWithValues: missing.map { ($0, [Commune]()) })
        let path = data.path
        try reader.scanBytes("epci_communes", key: "epci", value: "communes", keys: missing) { e, bytes in
            read[e] = try EPCICommunesRecord.decode(bytes, epci: e, path: path)
        }
        // Only EPCI of the reference data are kept: a long-running server is asked any code.
        let kept = read.filter { data.epci[$0.key] != nil }
        data.communesOfEPCI.withLock { known in known.merge(kept) { old, _ in old } }
        out.merge(read) { old, _ in old }
        return out
    }

    /// Dissolved EPCI geometries by SIREN.
    public func epciGeometries(_ codes: [String]) throws -> [String: WKBGeometry] {
        if codes.isEmpty { return [:] }
        var out: [String: WKBGeometry] = [:]
        for r in try reader.rows(
            "epci", columns: ["code"], filter: "code IN (\(sqlPlaceholders(codes.count)))",
            bindings: codes.map { .text($0) }, geometry: true)
        {
            if let c = r.values[0].string, let g = r.geometry { out[c] = g }
        }
        return out
    }

    /// EPCI geometries in their local metric CRS (layer `epci_metric`), by SIREN, with that CRS.
    public func epciMetricGeometries(_ codes: [String]) throws -> [String: (crs: String, geometry: WKBGeometry)] {
        if codes.isEmpty { return [:] }
        var out: [String: (crs: String, geometry: WKBGeometry)] = [:]
        for r in try reader.rows(
            "epci_metric", columns: ["code", "crs"], filter: "code IN (\(sqlPlaceholders(codes.count)))",
            bindings: codes.map { .text($0) }, geometry: true)
        {
            if let c = r.values[0].string, let crs = r.values[1].string, let g = r.geometry { out[c] = (crs, g) }
        }
        return out
    }

    /// EPCI whose bounding box meets `e`, with their geometries.
    public func epci(intersecting e: Envelope) throws -> [(code: String, geometry: WKBGeometry)] {
        try reader.rows("epci", columns: ["code"], intersecting: e, geometry: true).compactMap { r in
            guard let c = r.values[0].string, let g = r.geometry else { return nil }
            return (c, g)
        }.sorted { $0.code < $1.code }
    }

    /// Communes whose bounding box meets `e`.
    public func communes(intersecting e: Envelope) throws -> [(Commune, WKBGeometry)] {
        try reader.rows("communes", columns: Self.communeColumns, intersecting: e, geometry: true).compactMap { r in
            guard let g = r.geometry else { return nil }
            return (Self.commune(r), g)
        }.sorted { $0.0.code < $1.0.code }
    }

    /// All communes (attributes only), sorted by code.
    public func allCommunes() throws -> [Commune] {
        try reader.rows("communes", columns: Self.communeColumns, geometry: false, orderBy: "code").map(Self.commune)
    }

    /// Land-border lines (France on one side) whose bounding box meets `e`.
    public func borders(intersecting e: Envelope) throws -> [(neighbour: Country, geometry: WKBGeometry)] {
        try reader.rows("borders", columns: ["neighbour", "name_fr"], intersecting: e, geometry: true).compactMap { r in
            guard let c = r.values[0].string, let g = r.geometry else { return nil }
            return (data.countries[c] ?? Country(code: c, nameFR: r.values[1].string ?? c, nameEN: c), g)
        }
    }

    /// Neighbouring countries (Natural Earth polygons) whose bounding box meets `e`.
    public func countries(intersecting e: Envelope) throws -> [(country: Country, geometry: WKBGeometry)] {
        try reader.rows("countries", columns: ["code"], intersecting: e, geometry: true).compactMap { r in
            guard let c = r.values[0].string, let g = r.geometry, let country = data.countries[c] else { return nil }
            return (country, g)
        }.sorted { $0.country.code < $1.country.code }
    }

    /// The French territories (metropole, DROM) whose bounding box meets `e`.
    public func territories(intersecting e: Envelope) throws -> [(code: String, geometry: WKBGeometry)] {
        try reader.rows("territories", columns: ["code"], intersecting: e, geometry: true).compactMap { r in
            guard let c = r.values[0].string, let g = r.geometry else { return nil }
            return (c, g)
        }
    }

    /// Every département with its geometry, sorted by code (for national maps).
    public func departementGeometries() throws -> [(departement: Departement, geometry: WKBGeometry)] {
        try reader.rows("departements", columns: ["code"], geometry: true, orderBy: "code").compactMap { r in
            guard let c = r.values[0].string, let d = data.departements[c], let g = r.geometry else { return nil }
            return (d, g)
        }
    }

    /// Every région with its geometry, sorted by code (for national maps).
    public func regionGeometries() throws -> [(region: Region, geometry: WKBGeometry)] {
        try reader.rows("regions", columns: ["code"], geometry: true, orderBy: "code").compactMap { r in
            guard let c = r.values[0].string, let d = data.regions[c], let g = r.geometry else { return nil }
            return (d, g)
        }
    }

    /// Row counts per layer.
    public func counts() throws -> [(layer: String, count: Int)] {
        try reader.layers().map { ($0, try reader.count($0)) }
    }

    /// The attribute tables (the reference topology) with their description and row count.
    public func tables() throws -> [(name: String, description: String, count: Int)] { try reader.attributeTables() }

    /// The build report rows (kind, code, area, detail).
    public func buildReport() throws -> [(kind: String, code: String, areaKm2: Double, detail: String)] {
        try reader.rows("build_report", columns: ["kind", "code", "area_km2", "detail"], geometry: false).map {
            ($0.values[0].string ?? "", $0.values[1].string ?? "", $0.values[2].double ?? 0, $0.values[3].string ?? "")
        }
    }
}
