import PerimetreData
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
        var byEPCI: [String: [LayerCommune]] = [:]
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
        _ classified: [Classified?], byEPCI scanned: [String: [LayerCommune]]?,
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
            table.byEPCI = try session.communesByEPCI(epci.sorted()).mapValues { cs in
                cs.map { LayerCommune(code: $0.code, region: $0.region, areaKm2: $0.areaKm2, name: "") }
            }
        }
        for (code, (c, _)) in try session.communes(codes: listed.sorted(), geometry: false) {
            table.byCode[code] = LayerCommune(code: c.code, region: c.region, areaKm2: c.areaKm2, name: c.name)
        }
        return table
    }

    /// One slice of the communes table, grouped by EPCI.
    static func scanSlice(_ part: Int, of parts: Int, session: GeoDataSession) throws -> [String: [LayerCommune]] {
        var out: [String: [LayerCommune]] = [:]
        for f in try session.communeFacts(part: part, of: parts) {
            out[f.epci, default: []].append(LayerCommune(code: f.code, region: f.region, areaKm2: f.areaKm2, name: ""))
        }
        return out
    }

    /// One classified territory resolved from the table as ``Resolution/resolve(_:data:session:compositions:)``
    /// would: each commune goes to the first member reaching it, a member reaching none is left
    /// out. Nil when a listed or traced member resolves to no commune (the full resolution then
    /// reports it unresolved).
    static func resolve(
        _ t: TerritoryLayer.Territory, _ c: Classified, table: CommuneTable
    ) -> (Territory, MemberReport)? {
        var communes: [String: String] = [:]  // commune → first member code
        var byRegion: [String: Double] = [:]
        var area = 0.0
        var members: [MemberReport.Member] = []
        for p in c.pending {
            let list = p.kind == .epci ? table.byEPCI[p.code] ?? [] : p.communes.compactMap { table.byCode[$0] }
            if p.kind != .epci && list.isEmpty { return nil }
            var kept = false
            for x in list where communes[x.code] == nil {
                communes[x.code] = p.code
                byRegion[x.region, default: 0] += x.areaKm2
                area += x.areaKm2
                kept = true
            }
            if kept {
                members.append(.init(code: p.code, status: p.status, name: p.kind == .commune ? list[0].name : p.name))
            }
        }
        return (
            Territory(
                id: t.id, name: t.name, communes: communes, areaKm2: area, memberCodes: members.map(\.code),
                unresolved: [],
                mainRegion: byRegion.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key, wkb: nil, envelope: .empty),
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
        let out = try parallelMap(slices, makeState: { () -> GeoDataSession? in nil }) {
            (session: inout GeoDataSession?, slice: Range<Int>) -> [(Territory, MemberReport)] in
            try slice.map { i in
                let t = territories[i]
                if let c = classified[i], let r = resolve(t, c, table: table) { return r }
                if session == nil { session = try data.session() }
                // No near-name suggestions for a layer's unknown codes: no report shows them, and each
                // folds the names of all EPCI (2.5 s for the 44 codes of the 2022 CRTE list read
                // without --composition). A name stays where it is what is looked up (no code).
                let inputs = t.members.map { m -> MemberInput in
                    var m = m
                    if !Resolution.normalise(m.code).isEmpty { m.name = nil }
                    return m
                }
                let r = try Resolution.resolve(inputs, data: data, session: session!, compositions: compositions)
                return (territory(t, r), MemberReport(r))
            }
        }.flatMap { $0 }
        Profile.lap(&clock, "layer: resolve")
        return out
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
        var byEPCI: [String: [LayerCommune]]? = nil
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
            case scanned([String: [LayerCommune]])
        }
        let scans = territories.reduce(0) { $0 + $1.members.count } > scanAboveMembers ? scanSlices : 0
        let jobs: [Job] = [.classify] + (0..<scans).map { Job.scan($0) }
        let done = try parallelMap(jobs, makeState: { () -> GeoDataSession? in nil }) {
            (session: inout GeoDataSession?, job: Job) -> Done in
            switch job {
            case .classify:
                return .classified(territories.map { classify($0.members, data: data, compositions: compositions) })
            case .scan(let part):
                if session == nil { session = try data.session() }
                return .scanned(try scanSlice(part, of: scans, session: session!))
            }
        }
        var found = ClassifiedLayer()
        for d in done {
            switch d {
            case .classified(let c): found.classes = c
            case .scanned(let slice):
                if found.byEPCI == nil {
                    found.byEPCI = slice
                } else {
                    for (e, cs) in slice { found.byEPCI![e, default: []] += cs }
                }
            }
        }
        return found
    }
}
