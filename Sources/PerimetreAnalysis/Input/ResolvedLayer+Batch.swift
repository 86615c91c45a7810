public import PerimetreData
import PerimetreGeometry

/// The whole layer resolved in one batch: the communes every territory names are read once (one
/// scan of the communes for a national layer), then each territory is resolved in memory. One
/// `Resolution.resolve` per CRTE ran ~1,700 queries for the 854 CRTE of 2022 and cost more than
/// the audit it served.
extension ResolvedLayer {
    /// What the layer's report reads of a territory's resolution (``LayerResolution/summarise``).
    struct MemberReport {
        struct Member {
            var code: String
            var status: ResolvedMember.Status
            var name: String
        }
        var members: [Member]
        var unresolved: [UnresolvedMember]
        /// Codes listed twice in the territory (kind `member`), sorted by code.
        var repeated: [Duplicate]

        init(members: [Member], unresolved: [UnresolvedMember], repeated: [Duplicate]) {
            self.members = members
            self.unresolved = unresolved
            self.repeated = repeated
        }

        init(_ r: Resolution) {
            self.init(
                members: r.members.map { Member(code: $0.code, status: $0.status, name: $0.name) },
                unresolved: r.unresolved, repeated: r.duplicates.filter { $0.kind == .member })
        }
    }

    /// A member classified as ``Resolution/resolve(_:data:session:compositions:)`` classifies it,
    /// its communes still to be looked up.
    struct PendingMember {
        var code: String
        var kind: ResolvedMember.Kind
        var status: ResolvedMember.Status
        var name: String
        /// INSEE codes to look up (listed or traced); empty for an EPCI of the reference data.
        var communes: [String]
    }

    /// One territory's members classified, with its repeated codes.
    struct Classified {
        var pending: [PendingMember]
        var repeated: [Duplicate]
    }

    /// A commune as the layer needs it.
    struct LayerCommune {
        var code: String
        var region: String
        var areaKm2: Double
        /// Read only for communes listed or traced (a member given by its INSEE code is named after it).
        var name: String
    }

    /// The communes of a batch: of each EPCI, and those listed or traced, by INSEE code.
    struct CommuneTable {
        var byEPCI: [String: [Commune]] = [:]
        var byCode: [String: LayerCommune] = [:]
    }

    /// Nil when a member needs a path of the full resolution (a name, a code corrected or not
    /// understood): that territory is then resolved by ``Resolution/resolve(_:data:session:compositions:)``.
    static func classify(_ inputs: [MemberInput], data: GeoData, compositions: CompositionTables) -> Classified? {
        var out = Classified(pending: [], repeated: [])
        var seen: [String: String] = [:]
        for input in inputs {
            let code = Resolution.normalise(input.code)
            if code.isEmpty || Resolution.isName(code) { return nil }
            if let first = seen[code] {
                if let i = out.repeated.firstIndex(where: { $0.code == code }) {
                    out.repeated[i].members.append(input.origin)
                } else {
                    out.repeated.append(Duplicate(code: code, kind: .member, members: [first, input.origin]))
                }
                continue
            }
            seen[code] = input.origin
            if Resolution.isDigits(code, 9) {
                if let e = data.epci[code] {
                    out.pending.append(
                        PendingMember(code: code, kind: .epci, status: .resolved, name: e.name, communes: []))
                } else if let c = compositions.communeBySIREN[code] {
                    out.pending.append(
                        PendingMember(
                            code: code, kind: .communeSIREN, status: .traced, name: c.name, communes: [c.insee]))
                } else if let g = compositions.groupings[code] {
                    out.pending.append(
                        PendingMember(
                            code: code, kind: g.kind == .ept ? .ept : .formerEPCI, status: .traced,
                            name: g.name, communes: g.communes))
                } else {
                    return nil
                }
            } else if Resolution.isINSEE(code) {
                out.pending.append(
                    PendingMember(code: code, kind: .commune, status: .resolved, name: "", communes: [code]))
            } else {
                return nil  // a 4-digit INSEE code (corrected) or a code not understood
            }
        }
        out.repeated.sort { $0.code < $1.code }
        return out
    }

    /// The communes of the classified territories' listed and traced members, and of their EPCI
    /// when `byEPCI` was not read by a scan.
    static func communeTable(
        _ classified: [Classified?], byEPCI scanned: [String: [Commune]]?,
        session: GeoDataSession
    ) throws -> CommuneTable {
        var epci = Set<String>()
        var listed = Set<String>()
        for c in classified {
            for p in c?.pending ?? [] {
                if p.kind == .epci { epci.insert(p.code) } else { listed.formUnion(p.communes) }
            }
        }
        var table = CommuneTable()
        if let scanned {
            table.byEPCI = scanned
        } else if !epci.isEmpty {
            table.byEPCI = try session.communesByEPCI(epci.sorted())
        }
        for (code, (c, _)) in try session.communes(codes: listed.sorted(), geometry: false) {
            table.byCode[code] = LayerCommune(code: c.code, region: c.region, areaKm2: c.areaKm2, name: c.name)
        }
        return table
    }

    /// What a worker resolving territories reuses from one to the next.
    struct Scratch {
        /// The territory (index) that last placed each commune: a commune is kept by the first
        /// member reaching it.
        var placed = CommuneMarks()
        /// A session for the territories the batch leaves, opened on first need.
        var session: GeoDataSession? = nil

        /// Whether `code` is placed in territory `k` now (false when it already was).
        mutating func place(_ code: String, in k: Int) -> Bool { placed.mark(code, k) != k }
    }

    /// One classified territory (index `k` in the layer) resolved from the table as
    /// ``Resolution/resolve(_:data:session:compositions:)`` would: each commune goes to the first
    /// member reaching it, a member reaching none is left out. Nil when a listed or traced member
    /// resolves to no commune (the full resolution then reports it unresolved).
    static func resolve(
        _ t: TerritoryLayer.Territory, number k: Int, _ c: Classified, table: CommuneTable, scratch: inout Scratch
    ) -> (Territory, MemberReport)? {
        var pairs: [(code: String, member: Int32)] = []
        var byRegion: [(region: String, areaKm2: Double)] = []  // one or two régions: a list, not a dictionary
        var area = 0.0
        var members: [MemberReport.Member] = []
        // Whether the commune is kept (its first member).
        func place(_ code: String, _ region: String, _ areaKm2: Double) -> Bool {
            guard scratch.place(code, in: k) else { return false }
            pairs.append((code, Int32(members.count)))
            if let r = byRegion.firstIndex(where: { $0.region == region }) {
                byRegion[r].areaKm2 += areaKm2
            } else {
                byRegion.append((region, areaKm2))
            }
            area += areaKm2
            return true
        }
        for p in c.pending {
            var kept = false
            var name = p.name
            if p.kind == .epci {
                for x in table.byEPCI[p.code] ?? [] where place(x.code, x.region, x.areaKm2) { kept = true }
            } else {
                let list = p.communes.compactMap { table.byCode[$0] }
                guard let first = list.first else { return nil }
                if p.kind == .commune { name = first.name }
                for x in list where place(x.code, x.region, x.areaKm2) { kept = true }
            }
            if kept { members.append(.init(code: p.code, status: p.status, name: name)) }
        }
        let codes = members.map(\.code)
        return (
            Territory(
                id: t.id, name: t.name, communes: TerritoryCommunes(pairs, members: codes), areaKm2: area,
                memberCodes: codes, unresolved: [], mainRegion: mainRegion(byRegion), wkb: nil, envelope: .empty),
            MemberReport(members: members, unresolved: [], repeated: c.repeated)
        )
    }

    /// Every membership territory resolved: in one batch, and one by one for those the batch
    /// leaves (names, corrected or unknown codes). A national layer's communes are read by a scan
    /// shared by the cores while the members are classified; the territories are then resolved
    /// on all cores.
    static func resolveMembership(
        _ territories: [TerritoryLayer.Territory], data: GeoData,
        compositions: CompositionTables
    ) throws -> [(Territory, MemberReport)] {
        if territories.isEmpty { return [] }
        var clock = Profile.start()
        let scan = try classifyAndScan(territories, data: data, compositions: compositions)
        let classified = scan.classes
        Profile.lap(&clock, "layer: classify and scan")
        let session = try data.session()
        let table = try communeTable(classified, byEPCI: scan.byEPCI, session: session)
        Profile.lap(&clock, "layer: communes")
        // Slices of territories on all cores; the few the batch leaves are resolved one by one.
        let slices = stride(from: 0, to: territories.count, by: territoriesPerSlice).map {
            $0..<min($0 + territoriesPerSlice, territories.count)
        }
        let out = try parallelMap(slices, makeState: { Scratch() }) {
            (scratch: inout Scratch, slice: Range<Int>) -> [(Territory, MemberReport)] in
            try slice.map { i in
                let t = territories[i]
                if let c = classified[i], let r = resolve(t, number: i, c, table: table, scratch: &scratch) { return r }
                if scratch.session == nil { scratch.session = try data.session() }
                // No near-name suggestions for a layer's unknown codes: no report shows them, and each
                // folds the names of all EPCI (2.5 s for the 44 codes of the 2022 CRTE list read
                // without --composition). A name stays where it is what is looked up (no code).
                let inputs = t.members.map { m -> MemberInput in
                    var m = m
                    if !Resolution.normalise(m.code).isEmpty { m.name = nil }
                    return m
                }
                let r = try Resolution.resolve(
                    inputs, data: data, session: scratch.session!, compositions: compositions)
                return (territory(t, r), MemberReport(r))
            }
        }.flatMap { $0 }
        Profile.lap(&clock, "layer: resolve")
        return out
    }

    /// Starts reading, in the background, what resolving these layers will read: the communes
    /// of every EPCI, for a national layer. A command calls it as soon as it has read the
    /// layers' files, so the read overlaps with its reading of the composition tables.
    public static func prefetch(_ layers: [TerritoryLayer], data: GeoData) {
        if layers.contains(where: { isNational($0.territories) }) { data.prefetchCommunesOfEveryEPCI() }
    }

    /// Whether a layer's territories name so many members that their communes are read by a
    /// scan of every commune rather than EPCI by EPCI.
    private static func isNational(_ territories: [TerritoryLayer.Territory]) -> Bool {
        territories.reduce(0) { $0 + $1.members.count } > scanAboveMembers
    }

    /// Territories resolved together by a task of ``resolveMembership(_:data:compositions:)``.
    private static let territoriesPerSlice = 64
    /// Above this many members in all, a layer is national: its communes are read by a scan.
    private static let scanAboveMembers = 300
    /// The tasks sharing the scan of a national layer's communes.
    private static let scanSlices = 2

    /// The territories' members classified, and, for a national layer, the communes of every
    /// EPCI by a scan (nil otherwise).
    private struct ClassifiedLayer {
        var classes: [Classified?] = []
        var byEPCI: [String: [Commune]]? = nil
    }

    /// The members classified while the communes are scanned, on all cores.
    private static func classifyAndScan(
        _ territories: [TerritoryLayer.Territory], data: GeoData, compositions: CompositionTables
    ) throws -> ClassifiedLayer {
        enum Job: Sendable {
            case classify
            case scan(Int)
        }
        enum Done: Sendable {
            case classified([Classified?])
            case scanned([String: [Commune]])
        }
        let national = isNational(territories)
        // Read ahead by the command (while it read its other inputs): only the members to classify.
        if national, let facts = try data.prefetchedCommunesByEPCI() {
            return ClassifiedLayer(
                classes: territories.map { classify($0.members, data: data, compositions: compositions) },
                byEPCI: facts)
        }
        let scans = national ? scanSlices : 0
        let jobs: [Job] = [.classify] + (0..<scans).map { Job.scan($0) }
        let done = try parallelMap(jobs, makeState: { () -> GeoDataSession? in nil }) {
            (session: inout GeoDataSession?, job: Job) -> Done in
            switch job {
            case .classify:
                return .classified(territories.map { classify($0.members, data: data, compositions: compositions) })
            case .scan(let part):
                if session == nil { session = try data.session() }
                return .scanned(try session!.communesOfEveryEPCI(part: part, of: scans))
            }
        }
        var found = ClassifiedLayer()
        var slices: [[String: [Commune]]] = []
        for d in done {
            switch d {
            case .classified(let c): found.classes = c
            case .scanned(let slice): slices.append(slice)
            }
        }
        if scans > 0 { found.byEPCI = slices.reduce(into: [:]) { $0.merge($1) { a, _ in a } } }
        return found
    }
}
