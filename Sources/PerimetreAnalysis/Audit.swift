public import PerimetreData
public import PerimetreGeometry

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
        try run(
            candidatures, data: data, compositions: compositions, resolving: Deferred(value: against), region: region,
            options: options, progress: progress)
    }

    /// The audit of ``run(_:data:compositions:against:region:options:progress:)`` with layers
    /// still being resolved (see ``stream(_:data:compositions:resolving:region:options:progress:render:emit:)``).
    ///
    /// - Parameters:
    ///   - candidatures: The candidatures (a TI layer, a member file of several territories, a DS export).
    ///   - data: The reference data.
    ///   - compositions: Tables tracing older EPCI, commune SIREN and EPT to communes.
    ///   - layers: The layers (CRTE, other TI) each candidature is compared with, once resolved.
    ///   - region: A région's INSEE code: keep the candidatures touching it only.
    ///   - options: The analysis options (no map context by default: nothing is drawn).
    ///   - progress: Called with (done, total) as candidatures finish, from any thread.
    /// - Returns: The outcomes in input order, and the cross-checks.
    /// - Throws: What resolving the layers threw, or a `GeoPackageError` when the reference data cannot be read.
    public static func run(
        _ candidatures: TerritoryLayer, data: GeoData, compositions: CompositionTables,
        resolving layers: Deferred<[ResolvedLayer]>, region: String? = nil,
        options: AnalysisOptions = .init(mapContext: false), progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> AuditResult {
        let kept = Locked<[AuditResult.Outcome]>([])
        var result = try stream(
            candidatures, data: data, compositions: compositions, resolving: layers, region: region,
            options: options, progress: progress, render: { o, _ in o }, emit: { o in kept.withLock { $0.append(o) } })
        result.territories = kept.withLock { $0 }
        return result
    }

    /// The audit of ``run(_:data:compositions:against:region:options:progress:)``, each
    /// candidature's outcome handed over as soon as it is known, in input order, and not kept:
    /// a report is written while the later candidatures are analysed.
    ///
    /// Every candidature's members are resolved first, so that the members and EPCI claimed by
    /// the others are known before any outcome is handed over: each comes with its conflicts
    /// flagged and its neighbouring candidatures linked, as in ``run(_:data:compositions:against:region:options:progress:)``.
    ///
    /// ```swift
    /// let file = Locked<[UInt8]>([])
    /// let audit = try Audit.stream(cands, data: data, render: { o, _ in Array(o.id.utf8) }) { id in
    ///     file.withLock { $0 += id + [10] }
    /// }
    /// audit.territories.isEmpty   // true: the outcomes went to `emit`
    /// ```
    /// - Parameters:
    ///   - candidatures: The candidatures (a TI layer, a member file of several territories, a DS export).
    ///   - data: The reference data.
    ///   - compositions: Tables tracing older EPCI, commune SIREN and EPT to communes.
    ///   - against: Layers (CRTE, other TI) each candidature is compared with.
    ///   - region: A région's INSEE code: keep the candidatures touching it only.
    ///   - options: The analysis options (no map context by default: nothing is drawn).
    ///   - progress: Called with (done, total) as candidatures finish, from any thread.
    ///   - render: Turns an outcome into what `emit` takes (its JSON, say), on the worker that
    ///     analysed it; the buffer given is the worker's own, kept between its candidatures.
    ///   - emit: Takes each rendered outcome, in input order, one call at a time.
    /// - Returns: The cross-checks (conflicts, overlaps, uncovered EPCI, régions, CRTE); no territories.
    /// - Throws: A `GeoPackageError` when the reference data cannot be read, or what `render` or
    ///   `emit` throws (the analysis then stops).
    public static func stream<P: Sendable>(
        _ candidatures: TerritoryLayer, data: GeoData, compositions: CompositionTables = .init(),
        against: [ResolvedLayer] = [], region: String? = nil, options: AnalysisOptions = .init(mapContext: false),
        progress: (@Sendable (Int, Int) -> Void)? = nil,
        render: @escaping @Sendable (AuditResult.Outcome, inout [UInt8]) throws -> P,
        emit: @escaping @Sendable (P) throws -> Void
    ) throws -> AuditResult {
        try stream(
            candidatures, data: data, compositions: compositions, resolving: Deferred(value: against), region: region,
            options: options, progress: progress, render: render, emit: emit)
    }

    /// The audit of ``stream(_:data:compositions:against:region:options:progress:render:emit:)``
    /// with layers still being resolved: the candidatures' members are resolved meanwhile, since
    /// only a drawn candidature needs the layers before the analyses.
    ///
    /// ```swift
    /// let layers = Deferred { try files.map { try ResolvedLayer.resolve($0, data: data, compositions: tables) } }
    /// defer { layers.wait() }
    /// let audit = try Audit.stream(cands, data: data, compositions: tables, resolving: layers, render: …) { … }
    /// ```
    /// - Parameters:
    ///   - candidatures: The candidatures (a TI layer, a member file of several territories, a DS export).
    ///   - data: The reference data.
    ///   - compositions: Tables tracing older EPCI, commune SIREN and EPT to communes.
    ///   - layers: The layers (CRTE, other TI) each candidature is compared with, once resolved.
    ///   - region: A région's INSEE code: keep the candidatures touching it only.
    ///   - options: The analysis options (no map context by default: nothing is drawn).
    ///   - progress: Called with (done, total) as candidatures finish, from any thread.
    ///   - render: Turns an outcome into what `emit` takes, on the worker that analysed it.
    ///   - emit: Takes each rendered outcome, in input order, one call at a time.
    /// - Returns: The cross-checks; no territories.
    /// - Throws: What resolving the layers threw, or as the other `stream`.
    public static func stream<P: Sendable>(
        _ candidatures: TerritoryLayer, data: GeoData, compositions: CompositionTables,
        resolving layers: Deferred<[ResolvedLayer]>, region: String? = nil,
        options: AnalysisOptions = .init(mapContext: false), progress: (@Sendable (Int, Int) -> Void)? = nil,
        render: @escaping @Sendable (AuditResult.Outcome, inout [UInt8]) throws -> P,
        emit: @escaping @Sendable (P) throws -> Void
    ) throws -> AuditResult {
        let territories = candidatures.territories
        let total = territories.count
        var prepared = try parallelMap(
            territories, order: longestFirst(territories, data: data), makeState: { try data.session() }
        ) { session, t -> Prepared? in
            try prepare(t, data: data, compositions: compositions, against: layers, options: options, session: session)
        }
        profileMilestone("audit : candidatures résolues")
        let against = try layers.get()
        profileMilestone("audit : couches résolues")
        // The CRTE table: each CRTE's départements read meanwhile, the candidatures' communes
        // counted as they are handed over.
        let departements = Deferred { crteDepartements(against) }
        defer { departements.wait() }
        let tally = Locked(CRTETally(against))
        var clock = Profile.start()
        let others = Others(prepared.map { $0!.claimant }, territories)
        Profile.lap(&clock, "audit: claims")
        // Each resolution is dropped once its candidature is analysed.
        let store = Locked(prepared)
        prepared = []
        let summaries = Locked([Summary?](repeating: nil, count: total))
        // The communes each candidature claims are counted as it is handed over, by the worker
        // handing it over while the other cores go on: not in a pass of their own afterwards.
        let communeClaims = Locked(CommuneClaims())
        let tick: (@Sendable (Int) -> Void)? = progress.map { p in { @Sendable done in p(done, total) } }
        try parallelForEachInOrder(
            territories, order: windowedOrder(count: total, window: streamWindow) { cost(territories[$0], data: data) },
            makeState: { (try data.session(), [UInt8]()) }, progress: tick
        ) { state, k, t -> P in
            let p = store.withLock { s -> Prepared? in
                defer { s[k] = nil }
                return s[k]
            }
            var o = try analyse(
                t, p!, data: data, compositions: compositions, against: against, options: options, session: state.0)
            others.mark(&o, at: k)
            summaries.withLock { $0[k] = Summary(o) }
            return try render(o, &state.1)
        } emit: { k, p in
            let communes = summaries.withLock { $0[k]!.communes }
            communeClaims.withLock { $0.add(communes, by: k) }
            tally.withLock { $0.add(communes, by: k) }
            try emit(p)
        }
        Profile.lap(&clock, "audit: candidatures analysed")
        profileMilestone("audit : candidatures analysées")
        return try crossChecks(
            summaries.withLock { $0.map { $0! } }, conflicts: others.claims.conflicts,
            shared: communeClaims.withLock { $0.shared() }, data: data, against: against, region: region,
            crte: (tally.withLock { $0 }, departements.get()))
    }

    /// What a candidature's outcome is marked with from the others: its members they claim too,
    /// and the candidatures bordering it.
    struct Others: Sendable {
        let claims: Claims
        let links: RemediesAnalysis.CandidatureLinks

        init(_ claimants: [Claimant], _ territories: [TerritoryLayer.Territory]) {
            let ids = territories.map(\.id)
            claims = Claims(claimants, ids: ids)
            links = .init(ids: ids, names: territories.map(\.name), epci: claimants.map(\.epci))
        }

        /// Flags `outcome`'s members claimed twice, and names the candidatures bordering it (the `k`-th).
        func mark(_ outcome: inout AuditResult.Outcome, at k: Int) {
            flag(claims.conflicts, claims.conflictIndices[outcome.id] ?? [], in: &outcome)
            links.link(&outcome, at: k)
        }
    }

    /// Candidatures started ahead of input order at most, when streamed: the costliest of each
    /// window first, and few outcomes wait for an earlier one.
    static let streamWindow = 64

    /// A candidature before its analysis: what its members claim, or its outcome already (a
    /// drawn perimeter, analysed whole; a candidature whose members are all unknown). Only the
    /// claims are made here (``PerimeterCheck/claims(_:data:compositions:session:)``, without the
    /// communes by code), and the resolution again, in full, for the analysis, from the data's
    /// cache of the EPCI's communes: holding 1,000 options' 250,000 commune records until each
    /// is analysed would take 27 MB.
    enum Prepared: Sendable {
        case resolved(Claimant)
        case outcome(AuditResult.Outcome)

        /// What the candidature claims: its members, their communes and EPCI.
        var claimant: Claimant {
            switch self {
            case .resolved(let c): c
            case .outcome(let o): Claimant(members: o.result?.members ?? [], epci: o.result?.figures.epciCodes ?? [])
            }
        }
    }

    /// The members a candidature claims and the EPCI of its communes.
    struct Claimant: Sendable {
        var members: [ResolvedMember]
        var epci: [String]
    }

    /// What the cross-checks read of an outcome once it is handed over.
    struct Summary: Sendable {
        var id: String
        /// Its régions, the main one first.
        var regions: [String]
        var epci: [String]
        /// Its members' communes, member by member.
        var communes: [String]

        init(_ o: AuditResult.Outcome) {
            id = o.id
            regions = o.result?.span.regions.map(\.code) ?? []
            epci = o.result?.figures.epciCodes ?? []
            communes = o.result?.members.flatMap(\.communes) ?? []
        }
    }

    /// The candidature's request: its members, or its drawn shape when it has no member.
    private static func request(_ t: TerritoryLayer.Territory, options: AnalysisOptions) -> PerimeterRequest {
        PerimeterRequest(
            id: t.id, name: t.name, members: t.members, geometry: t.members.isEmpty ? t.shape : nil, options: options)
    }

    /// Resolves a candidature's members; a drawn perimeter is analysed whole.
    private static func prepare(
        _ t: TerritoryLayer.Territory, data: GeoData, compositions: CompositionTables,
        against: Deferred<[ResolvedLayer]>, options: AnalysisOptions, session: GeoDataSession
    ) throws -> Prepared {
        let req = request(t, options: options)
        if req.geometry != nil {
            return .outcome(
                try analyse(
                    t, nil, data: data, compositions: compositions, against: try against.get(), options: options,
                    session: session))
        }
        do {
            let c = try PerimeterCheck.claims(req, data: data, compositions: compositions, session: session)
            return .resolved(Claimant(members: c.members, epci: c.epci))
        } catch {
            return .outcome(failure(t, error))
        }
    }

    /// The full check of a candidature, or its outcome already known (`prepared`).
    private static func analyse(
        _ t: TerritoryLayer.Territory, _ prepared: Prepared?, data: GeoData, compositions: CompositionTables,
        against: [ResolvedLayer], options: AnalysisOptions, session: GeoDataSession
    ) throws -> AuditResult.Outcome {
        if case .outcome(let o)? = prepared { return o }
        let watch = Profile.start()
        defer { Profile.territory(t.id, since: watch) }
        do {
            let r = try PerimeterCheck.run(
                request(t, options: options), data: data, compositions: compositions, against: against,
                session: session)
            return .init(id: t.id, name: t.name, result: r, error: nil, dossier: t.dossier)
        } catch {
            return failure(t, error)
        }
    }

    /// One failing candidature is reported and does not stop the others.
    private static func failure(_ t: TerritoryLayer.Territory, _ error: any Error) -> AuditResult.Outcome {
        .init(
            id: t.id, name: t.name, result: nil, error: "\(error)", dossier: t.dossier,
            errorCode: (error as? any CodedError)?.code ?? "analysis_failed")
    }

    /// The candidatures in the order to start them: first those the reference topology cannot
    /// answer (a commune, an EPT, an EPCI of another vintage, a drawn shape: the geometric path,
    /// ten times longer), then by decreasing number of members; input order on a tie.
    static func longestFirst(_ territories: [TerritoryLayer.Territory], data: GeoData) -> [Int] {
        let costs = territories.map { cost($0, data: data) }
        return territories.indices.sorted { (costs[$1], $0) < (costs[$0], $1) }
    }

    /// A candidature's expected cost, to start the costliest first.
    private static func cost(_ t: TerritoryLayer.Territory, data: GeoData) -> Int {
        let geometric = t.members.isEmpty || t.members.contains { data.epci[Resolution.normalise($0.code)] == nil }
        return (geometric ? 1_000_000 : 0) + t.members.count
    }

    /// The checks across candidatures: overlaps, uncovered EPCI, régions, and the CRTE table from
    /// `crte` (the tally of the candidatures' communes and each CRTE's départements).
    static func crossChecks(
        _ summaries: [Summary], conflicts: [AuditResult.Conflict], shared: [(code: String, claims: [Int])],
        data: GeoData, against: [ResolvedLayer], region: String?, crte: (CRTETally, [[[String]]])
    ) throws -> AuditResult {
        var clock = Profile.start()
        let overlaps = try candidatureOverlaps(shared, ids: summaries.map(\.id), data: data)
        Profile.lap(&clock, "audit: candidature overlaps")
        // Régions considered: the one asked, or all régions the candidatures span.
        var regions = Set<String>()
        if let region {
            regions = [region]
        } else {
            for o in summaries { for r in o.regions { regions.insert(r) } }
        }
        let coveredEPCI = Set(summaries.flatMap(\.epci))
        let uncovered = data.epci.values.filter { e in
            !coveredEPCI.contains(e.code) && e.regions.contains(where: regions.contains)
        }
        .sorted { $0.code < $1.code }
        var result = AuditResult(
            territories: [], conflicts: conflicts, overlaps: overlaps, uncoveredEPCI: uncovered,
            regions: regionRows(summaries, against: against, regions: regions, data: data), layers: against.map(\.id))
        result.layerResolutions = against.map(\.resolution)
        result.crte = crteCoverage(summaries, tally: crte.0, departements: crte.1, regions: regions)
        Profile.lap(&clock, "audit: régions, uncovered, CRTE")
        return result
    }

    /// Members claimed by two or more candidatures: known before any candidature is analysed.
    struct Claims: Sendable {
        var conflicts: [AuditResult.Conflict]
        /// The conflicts each candidature is in, by its identifier (indices in `conflicts`, ascending).
        var conflictIndices: [String: [Int]] = [:]

        init(_ claimants: [Claimant], ids: [String]) {
            var claims: [String: [String]] = [:]
            var names: [String: String] = [:]
            for (k, o) in claimants.enumerated() {
                for m in o.members {
                    claims[m.code, default: []].append(ids[k])
                    names[m.code] = m.name
                }
            }
            conflicts = claims.filter { $0.value.count > 1 }.keys.sorted().map {
                AuditResult.Conflict(code: $0, name: names[$0] ?? $0, claimedBy: claims[$0]!)
            }
            for (j, c) in conflicts.enumerated() {
                for id in Set(c.claimedBy) { conflictIndices[id, default: []].append(j) }
            }
        }
    }

    /// The communes claimed by the candidatures, added in input order, and those claimed by two
    /// or more. Counted in arrays over all INSEE codes, not a dictionary of strings: a national
    /// audit claims 20,000 communes, 1,000 options 250,000.
    struct CommuneClaims: Sendable {
        /// Per commune index: the first candidature claiming it (-1: none), its code, and the
        /// candidatures claiming it once a second one does.
        private var first = [Int32](repeating: -1, count: CommuneIndex.count)
        private var code = [String?](repeating: nil, count: CommuneIndex.count)
        /// By commune index, not hashed: an audit of 1,000 options shares 100,000 of them.
        private var more = [[Int]](repeating: [], count: CommuneIndex.count)
        /// How many communes `more` holds.
        private var sharedCount = 0
        /// A code out of the INSEE pattern (none in COG 2026).
        private var other: [String: [Int]] = [:]

        /// Candidature `k` claims `communes`.
        mutating func add(_ communes: [String], by k: Int) {
            for c in communes {
                guard let i = CommuneIndex.of(c) else {
                    other[c, default: []].append(k)
                    continue
                }
                if first[i] < 0 {
                    first[i] = Int32(k)
                    code[i] = c
                } else {
                    if more[i].isEmpty {
                        more[i] = [Int(first[i])]
                        sharedCount += 1
                    }
                    more[i].append(k)
                }
            }
        }

        /// Communes claimed by two or more candidatures, by code, with the candidatures'
        /// indices in the order they were added.
        func shared() -> [(code: String, claims: [Int])] {
            var out: [(code: String, claims: [Int])] = []
            out.reserveCapacity(sharedCount)
            // By code: the table walked in code order.
            for range in CommuneIndex.inCodeOrder {
                for i in range where !more[i].isEmpty { out.append((code[i]!, more[i])) }
            }
            let odd = other.filter { $0.value.count > 1 }
            if !odd.isEmpty {
                out += odd.map { ($0.key, $0.value) }
                out.sort { $0.code < $1.code }
            }
            return out
        }
    }

    /// A blocking finding, first, for each member `outcome` claims that another candidature
    /// claims too (`mine`: those conflicts' indices, ascending).
    private static func flag(_ conflicts: [AuditResult.Conflict], _ mine: [Int], in outcome: inout AuditResult.Outcome)
    {
        guard outcome.result != nil else { return }
        for c in mine.map({ conflicts[$0] }) {
            let others = c.claimedBy.filter { $0 != outcome.id }.joined(separator: ", ")
            outcome.result?.findings.insert(
                Finding(
                    rule: .conflict, severity: .bloquant, faq: nil,
                    message: "\(c.name) (\(c.code)) est aussi revendiqué par la candidature \(others)."), at: 0)
        }
    }

    /// Geometric overlaps between candidatures: shared communes (exact on the coverage).
    private static func candidatureOverlaps(
        _ shared: [(code: String, claims: [Int])], ids: [String], data: GeoData
    ) throws -> [AuditResult.CandidatureOverlap] {
        if shared.isEmpty { return [] }
        let areas = try sharedAreas(shared.map(\.code), data: data)
        // Each pair's communes listed under its first candidature as one integer, other·m +
        // commune: sorted, each pair's communes then follow each other in code order (`shared` is
        // by code), their areas summed in that order. Options generated by the thousand share
        // 280,000 of them: a thousand short sorts of integers on all cores, not a dictionary
        // entry and an array per pair.
        let n = ids.count
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
                            a: ids[a], b: ids[b], areaKm2: area, communes: communes))
                    start = end
                }
            }
            return found
        }.flatMap { $0 }
        // By identifiers, as the report lists them (input order is not theirs).
        return out.sorted { ($0.a, $0.b) < ($1.a, $1.b) }
    }

    /// The areas (km²) of the communes `codes`. Usually few, looked up by code on every core;
    /// from thousands on (options generated by the thousand share 30,000), from the communes the
    /// data already holds: those of the EPCI the candidatures were resolved from
    /// (``GeoData/cachedCommunesByEPCI()``), every EPCI's when a national layer read them all
    /// (``GeoData/prefetchCommunesOfEveryEPCI()``). The others (in no EPCI) are looked up.
    static func sharedAreas(_ codes: [String], data: GeoData, scanFrom: Int = nationalScanFrom) throws -> [Double] {
        var areas = [Double?](repeating: nil, count: codes.count)
        if codes.count >= scanFrom {
            var byIndex = [Double?](repeating: nil, count: CommuneIndex.count)
            _ = try data.prefetchedCommunesByEPCI()  // a read of every EPCI's communes fills the cache: awaited
            for group in data.cachedCommunesByEPCI().values {
                for c in group { if let i = CommuneIndex.of(c.code) { byIndex[i] = c.areaKm2 } }
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

    /// Shared communes from which their areas are taken from the communes the data holds.
    static let nationalScanFrom = 3000

    /// Per région: candidatures by main région (largest area share), and the territories of each TI layer.
    private static func regionRows(
        _ summaries: [Summary], against: [ResolvedLayer], regions: Set<String>, data: GeoData
    ) -> [AuditResult.RegionCount] {
        var counts: [String: Int] = [:]
        for o in summaries {
            if let m = o.regions.first { counts[m, default: 0] += 1 }
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

    /// An audit's outcome from its parts (a report's skeleton, say).
    public init(
        territories: [Outcome], conflicts: [Conflict], overlaps: [CandidatureOverlap], uncoveredEPCI: [EPCI],
        regions: [RegionCount], layers: [String]
    ) {
        self.territories = territories
        self.conflicts = conflicts
        self.overlaps = overlaps
        self.uncoveredEPCI = uncoveredEPCI
        self.regions = regions
        self.layers = layers
    }
}
