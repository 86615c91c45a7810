public import PerimetreData
import PerimetreGeometry

/// `perimetre audit`: every candidature gets the full `perimetre check` analysis (in parallel,
/// on all cores, output in input order), then the cross-candidature checks the SGAR needs:
/// members claimed twice (bloquant), overlaps between candidatures, EPCI covered by no
/// candidature, counts per région.
///
/// ```swift
/// let cands = try TerritoryLayer.load("candidatures.csv")
/// let audit = try Audit.run(cands, data: data, region: "84")
/// audit.conflicts.count
/// ```
public enum Audit {
    /// Analyses every candidature of a layer, then checks them against each other.
    ///
    /// - Parameters:
    ///   - candidatures: The candidatures (a TI layer, a member file of several territories, a DS export).
    ///   - data: The reference data.
    ///   - compositions: Tables tracing older EPCI, commune SIREN and EPT to communes.
    ///   - against: Layers (CRTE, other TI) each candidature is compared with.
    ///   - region: A région's INSEE code: keep the candidatures touching it only.
    ///   - options: The analysis options (no map context by default: nothing is drawn).
    ///   - progress: Called with (done, total) as candidatures finish, from any thread.
    /// - Returns: One outcome per candidature in input order, the conflicts, overlaps, uncovered EPCI and counts per région.
    /// - Throws: A `GeoPackageError` when the reference data cannot be read; a candidature that
    /// cannot be analysed is reported in its ``AuditResult/Outcome/error``, not thrown.
    public static func run(
        _ candidatures: TerritoryLayer, data: GeoData, compositions: CompositionTables = .init(),
        against: [ResolvedLayer] = [], region: String? = nil, options: AnalysisOptions = .init(mapContext: false),
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> AuditResult {
        let total = candidatures.territories.count
        let tick: (@Sendable (Int) -> Void)? = progress.map { p in { @Sendable done in p(done, total) } }
        let work: @Sendable (inout GeoDataSession, TerritoryLayer.Territory) throws -> AuditResult.Outcome = {
            session, t in
            let req = PerimeterRequest(
                id: t.id, name: t.name, members: t.members,
                geometry: t.members.isEmpty ? t.shape : nil, options: options)
            let watch = Profile.start()
            defer { Profile.territory(t.id, since: watch) }
            do {
                let r = try PerimeterCheck.run(
                    req, data: data, compositions: compositions, against: against, session: session)
                return .init(id: t.id, name: t.name, result: r, error: nil, dossier: t.dossier)
            } catch {
                // One failing candidature is reported and does not stop the others.
                return .init(
                    id: t.id, name: t.name, result: nil, error: "\(error)", dossier: t.dossier,
                    errorCode: (error as? any CodedError)?.code ?? "analysis_failed")
            }
        }
        let outcomes = try parallelMap(
            candidatures.territories, order: longestFirst(candidatures.territories, data: data),
            makeState: { try data.session() }, progress: tick, work)
        return try crossChecks(outcomes, data: data, against: against, region: region)
    }

    /// The candidatures in the order to start them: first those the reference topology cannot
    /// answer (a commune, an EPT, an EPCI of another vintage, a drawn shape: the geometric path,
    /// ten times longer), then by decreasing number of members; input order on a tie.
    static func longestFirst(_ territories: [TerritoryLayer.Territory], data: GeoData) -> [Int] {
        let cost = territories.map { t -> Int in
            let geometric = t.members.isEmpty || t.members.contains { data.epci[Resolution.normalise($0.code)] == nil }
            return (geometric ? 1_000_000 : 0) + t.members.count
        }
        return territories.indices.sorted { (cost[$1], $0) < (cost[$0], $1) }
    }

    static func crossChecks(
        _ outcomes: [AuditResult.Outcome], data: GeoData, against: [ResolvedLayer],
        region: String?
    ) throws -> AuditResult {
        var clock = Profile.start()
        let claims = Claims(outcomes)
        Profile.lap(&clock, "audit: claims")
        // Thousands of communes shared: their areas will come from the national scan, read while
        // the candidatures are linked and their conflicts flagged.
        if claims.shared.count >= nationalScanFrom { data.prefetchCommuneFacts() }
        var out = outcomes
        RemediesAnalysis.linkCandidatures(&out)
        Profile.lap(&clock, "audit: linked candidatures")
        flag(claims.conflicts, in: &out)
        Profile.lap(&clock, "audit: conflicts flagged")
        let overlaps = try candidatureOverlaps(claims.shared, outcomes: outcomes, data: data)
        Profile.lap(&clock, "audit: candidature overlaps")
        // Régions considered: the one asked, or all régions the candidatures span.
        var regions = Set<String>()
        if let region {
            regions = [region]
        } else {
            for o in outcomes { for r in o.result?.span.regions ?? [] { regions.insert(r.code) } }
        }
        let coveredEPCI = Set(outcomes.flatMap { $0.result?.figures.epciCodes ?? [] })
        let uncovered = data.epci.values.filter { e in
            !coveredEPCI.contains(e.code) && e.regions.contains(where: regions.contains)
        }
        .sorted { $0.code < $1.code }
        var result = AuditResult(
            territories: out, conflicts: claims.conflicts, overlaps: overlaps, uncoveredEPCI: uncovered,
            regions: regionRows(outcomes, against: against, regions: regions, data: data), layers: against.map(\.id))
        result.layerResolutions = against.map(\.resolution)
        result.crte = crteCoverage(out, against: against, regions: regions)
        Profile.lap(&clock, "audit: régions, uncovered, CRTE")
        return result
    }

    /// Members claimed by two or more candidatures, and the communes claimed more than once.
    private struct Claims {
        var conflicts: [AuditResult.Conflict]
        /// Communes claimed by two or more candidatures, by code: the candidatures' indices.
        var shared: [(code: String, claims: [Int])] = []

        init(_ outcomes: [AuditResult.Outcome]) {
            var claims: [String: [String]] = [:]
            var names: [String: String] = [:]
            // Claims counted in an array over all INSEE codes, not a dictionary of strings: a
            // national audit claims 20,000 communes, 1,000 options 250,000. Each shared commune's
            // list is then made at its size and filled, rather than grown claim by claim.
            var count = [Int32](repeating: 0, count: CommuneIndex.count)
            var code = [String?](repeating: nil, count: CommuneIndex.count)
            var flat: [(k: Int32, i: Int32)] = []  // every claim, in candidature order
            var other: [String: [Int]] = [:]  // a code out of the INSEE pattern (none in COG 2026)
            for (k, o) in outcomes.enumerated() {
                guard let r = o.result else { continue }
                for m in r.members {
                    claims[m.code, default: []].append(o.id)
                    names[m.code] = m.name
                }
                for m in r.members {
                    for c in m.communes {
                        guard let i = CommuneIndex.of(c) else {
                            other[c, default: []].append(k)
                            continue
                        }
                        count[i] += 1
                        if count[i] == 2 { code[i] = c }
                        flat.append((Int32(k), Int32(i)))
                    }
                }
            }
            // By code: the table walked in code order.
            var slot = [Int32](repeating: -1, count: CommuneIndex.count)
            for range in CommuneIndex.inCodeOrder {
                for i in range where count[i] > 1 {
                    slot[i] = Int32(shared.count)
                    var list: [Int] = []
                    list.reserveCapacity(Int(count[i]))
                    shared.append((code[i]!, list))
                }
            }
            for (k, i) in flat where slot[Int(i)] >= 0 { shared[Int(slot[Int(i)])].claims.append(Int(k)) }
            let odd = other.filter { $0.value.count > 1 }
            if !odd.isEmpty {
                shared += odd.map { ($0.key, $0.value) }
                shared.sort { $0.code < $1.code }
            }
            conflicts = claims.filter { $0.value.count > 1 }.keys.sorted().map {
                AuditResult.Conflict(code: $0, name: names[$0] ?? $0, claimedBy: claims[$0]!)
            }
        }
    }

    /// A blocking finding on each candidature claiming a member another one claims.
    private static func flag(_ conflicts: [AuditResult.Conflict], in out: inout [AuditResult.Outcome]) {
        // Outcomes by id, so that each conflict reaches its candidatures directly (iterating over
        // `out` while changing it copied the whole array at every finding: quadratic).
        var byID: [String: [Int]] = [:]
        for (k, o) in out.enumerated() { byID[o.id, default: []].append(k) }
        for c in conflicts {
            for k in Set(c.claimedBy.flatMap { byID[$0] ?? [] }).sorted() {
                let id = out[k].id
                let others = c.claimedBy.filter { $0 != id }.joined(separator: ", ")
                out[k].result?.findings.insert(
                    Finding(
                        rule: .conflict, severity: .bloquant, faq: nil,
                        message: "\(c.name) (\(c.code)) est aussi revendiqué par la candidature \(others)."), at: 0)
            }
        }
    }

    /// Geometric overlaps between candidatures: shared communes (exact on the coverage).
    private static func candidatureOverlaps(
        _ shared: [(code: String, claims: [Int])], outcomes: [AuditResult.Outcome], data: GeoData
    ) throws -> [AuditResult.CandidatureOverlap] {
        if shared.isEmpty { return [] }
        let areas = try sharedAreas(shared.map(\.code), data: data)
        // Each pair's communes listed under its first candidature as one integer, other·m +
        // commune: sorted, each pair's communes then follow each other in code order (`shared` is
        // by code), their areas summed in that order. Options generated by the thousand share
        // 280,000 of them: a thousand short sorts of integers on all cores, not a dictionary
        // entry and an array per pair.
        let n = outcomes.count
        let m = shared.count
        var later = [[Int]](repeating: [], count: n)
        for (j, s) in shared.enumerated() {
            let ks = s.claims
            for i in 0..<ks.count {
                for k in (i + 1)..<ks.count where ks[i] != ks[k] {
                    later[min(ks[i], ks[k])].append(max(ks[i], ks[k]) * m + j)
                }
            }
        }
        let lists = later
        let ranges = stride(from: 0, to: n, by: overlapChunk).map { $0..<min($0 + overlapChunk, n) }
        let out = try parallelMap(ranges, makeState: {}) { _, range -> [AuditResult.CandidatureOverlap] in
            var found: [AuditResult.CandidatureOverlap] = []
            for a in range where !lists[a].isEmpty {
                let keys = lists[a].sorted()
                var start = 0
                while start < keys.count {
                    let b = keys[start] / m
                    var end = start
                    var communes: [String] = []
                    var area = 0.0
                    while end < keys.count && keys[end] / m == b {
                        let j = keys[end] % m
                        communes.append(shared[j].code)
                        area += areas[j]
                        end += 1
                    }
                    found.append(
                        AuditResult.CandidatureOverlap(
                            a: outcomes[a].id, b: outcomes[b].id, areaKm2: area, communes: communes))
                    start = end
                }
            }
            return found
        }.flatMap { $0 }
        // By identifiers, as the report lists them (input order is not theirs).
        return out.sorted { ($0.a, $0.b) < ($1.a, $1.b) }
    }

    /// The areas (km²) of the communes `codes`. Usually few, looked up by code on every core;
    /// from thousands on (options generated by the thousand share 30,000), from the scan of every
    /// commune's facts (``GeoData/prefetchCommuneFacts()``, already made when a national layer is
    /// compared), five times cheaper than as many lookups. The communes that scan does not hold
    /// (in no EPCI) are looked up.
    static func sharedAreas(_ codes: [String], data: GeoData, scanFrom: Int = nationalScanFrom) throws -> [Double] {
        var areas = [Double?](repeating: nil, count: codes.count)
        if codes.count >= scanFrom {
            data.prefetchCommuneFacts()
            var byIndex = [Double?](repeating: nil, count: CommuneIndex.count)
            for group in try data.prefetchedCommuneFacts()?.values ?? [:].values {
                for f in group { if let i = CommuneIndex.of(f.code) { byIndex[i] = f.areaKm2 } }
            }
            for (k, c) in codes.enumerated() { areas[k] = CommuneIndex.of(c).flatMap { byIndex[$0] } }
        }
        let missing = codes.indices.filter { areas[$0] == nil }
        let chunks = stride(from: 0, to: missing.count, by: sharedChunk).map {
            missing[$0..<min($0 + sharedChunk, missing.count)].map { codes[$0] }
        }
        let found = try parallelMap(chunks, makeState: { try data.session() }) { session, codes in
            let found = try session.communes(codes: codes, geometry: false)
            return codes.map { found[$0]?.0.areaKm2 ?? 0 }
        }.flatMap { $0 }
        for (k, a) in zip(missing, found) { areas[k] = a }
        return areas.map { $0 ?? 0 }
    }

    /// Shared communes per query when reading their areas.
    private static let sharedChunk = 2000

    /// Candidatures per task when listing their overlaps.
    private static let overlapChunk = 64

    /// Shared communes from which their areas are taken from the scan of all communes.
    static let nationalScanFrom = 3000

    /// Per région: candidatures by main région (largest area share), and the territories of each TI layer.
    private static func regionRows(
        _ outcomes: [AuditResult.Outcome], against: [ResolvedLayer], regions: Set<String>, data: GeoData
    ) -> [AuditResult.RegionCount] {
        var counts: [String: Int] = [:]
        for o in outcomes {
            if let m = o.result?.span.regions.first?.code { counts[m, default: 0] += 1 }
        }
        var layerCounts: [String: [String: Int]] = [:]
        for l in against where l.layer.format == .tiMembers || l.layer.format == .tiCommunes {
            for t in l.territories { if let m = t.mainRegion { layerCounts[m, default: [:]][l.id, default: 0] += 1 } }
        }
        return Set(counts.keys).union(layerCounts.keys).union(regions).sorted().map { code in
            AuditResult.RegionCount(
                code: code, name: data.regions[code]?.name ?? code, candidatures: counts[code] ?? 0,
                layers: (layerCounts[code] ?? [:]).sorted { $0.key < $1.key }.map {
                    .init(layer: $0.key, count: $0.value)
                })
        }
    }
}

/// The outcome of an audit.
public struct AuditResult: Sendable {
    /// One candidature's result: its analysis, or why it could not be analysed.
    public struct Outcome: Sendable {
        /// The candidature's identifier in its layer.
        public var id: String
        /// The candidature's name.
        public var name: String
        /// Its full analysis; nil when it could not be analysed (see ``error``).
        public var result: CheckResult?
        /// Why the candidature could not be analysed (no member resolved…).
        public var error: String?
        /// The Démarches Simplifiées dossier it was read from (état, dépôt), if any.
        public var dossier: DossierInfo? = nil
        /// The stable English code of ``error`` (`no_member_resolved`…), for scripts.
        public var errorCode: String? = nil

        /// `bloquant`, `attention`, `conforme`, or `erreur` when it could not be analysed.
        public var verdict: Verdict {
            guard let r = result else { return .erreur }
            if r.findings.contains(where: { $0.severity == .bloquant }) { return .bloquant }
            if r.findings.contains(where: { $0.severity == .attention }) { return .attention }
            return .conforme
        }
    }
    /// A member claimed by two or more candidatures (bloquant).
    public struct Conflict: Sendable {
        /// The member's code.
        public var code: String
        /// Its name.
        public var name: String
        /// The candidatures listing it.
        public var claimedBy: [String]
    }
    /// Two candidatures sharing communes.
    public struct CandidatureOverlap: Sendable {
        /// The first candidature's identifier.
        public var a: String
        /// The second candidature's identifier.
        public var b: String
        /// The area they share (km²).
        public var areaKm2: Double
        /// INSEE codes of the communes they share.
        public var communes: [String]
    }
    /// How many candidatures touch a région, and how many territories of each layer.
    public struct RegionCount: Sendable {
        /// Territories of one layer touching the région.
        public struct LayerCount: Sendable {
            /// The layer's identifier.
            public var layer: String
            /// How many of its territories touch the région.
            public var count: Int
        }
        /// The région's INSEE code.
        public var code: String
        /// Its name.
        public var name: String
        /// Candidatures touching it.
        public var candidatures: Int
        /// Territories of each `--against` layer touching it.
        public var layers: [LayerCount]
    }
    /// One outcome per candidature, in input order.
    public var territories: [Outcome]
    /// Members claimed by two or more candidatures.
    public var conflicts: [Conflict]
    /// Pairs of candidatures sharing communes.
    public var overlaps: [CandidatureOverlap]
    /// EPCI of the régions concerned that no candidature covers.
    public var uncoveredEPCI: [EPCI]
    /// Counts per région.
    public var regions: [RegionCount]
    /// Identifiers of the `--against` layers.
    public var layers: [String]
    /// How the codes of each `--against` layer were understood.
    public var layerResolutions: [LayerResolution] = []
    /// With a CRTE layer: each CRTE of the régions audited and the candidatures covering it.
    public var crte: [CRTECoverage] = []
}
