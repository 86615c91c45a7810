import PerimetreData

/// The whole layer resolved in one batch: the communes every territory names are fetched with a
/// few queries, then each territory is resolved in memory. One `Resolution.resolve` per CRTE ran
/// ~1,700 queries for the 854 CRTE of 2022 and cost more than the audit it served.
extension ResolvedLayer {
    /// A member classified as ``Resolution/resolve(_:data:session:compositions:)`` classifies it,
    /// its communes still to be looked up.
    struct PendingMember {
        var input: MemberInput
        var code: String
        var kind: ResolvedMember.Kind
        var status: ResolvedMember.Status
        var name: String
        /// INSEE codes to look up (listed or traced); empty for an EPCI of the reference data.
        var communes: [String]
        var nature: String?
    }

    /// One territory's members classified, with its repeated codes; nil when a member needs a
    /// path of the full resolution (a name, a code corrected or not understood): that territory
    /// is then resolved by ``Resolution/resolve(_:data:session:compositions:)`` itself.
    struct Classified {
        var pending: [PendingMember]
        var duplicates: [Duplicate]
    }

    /// The communes of a batch, by INSEE code and by EPCI.
    struct CommuneTable {
        var byCode: [String: Commune] = [:]
        var byEPCI: [String: [Commune]] = [:]
    }

    static func classify(_ inputs: [MemberInput], data: GeoData, compositions: CompositionTables) -> Classified? {
        var out = Classified(pending: [], duplicates: [])
        var seen: [String: String] = [:]
        for input in inputs {
            let code = LayerResolution.clean(input.code) ? input.code : Resolution.normalise(input.code)
            if code.isEmpty || Resolution.isName(code) { return nil }
            if let first = seen[code] {
                if let i = out.duplicates.firstIndex(where: { $0.code == code }) {
                    out.duplicates[i].members.append(input.origin)
                } else {
                    out.duplicates.append(Duplicate(code: code, kind: .member, members: [first, input.origin]))
                }
                continue
            }
            seen[code] = input.origin
            if Resolution.isDigits(code, 9) {
                if let e = data.epci[code] {
                    out.pending.append(PendingMember(input: input, code: code, kind: .epci, status: .resolved, name: e.name,
                                                     communes: [], nature: e.nature))
                } else if let c = compositions.communeBySIREN[code] {
                    out.pending.append(PendingMember(input: input, code: code, kind: .communeSIREN, status: .traced, name: c.name,
                                                     communes: [c.insee], nature: nil))
                } else if let g = compositions.groupings[code] {
                    out.pending.append(PendingMember(input: input, code: code, kind: g.kind == .ept ? .ept : .formerEPCI, status: .traced,
                                                     name: g.name, communes: g.communes, nature: nil))
                } else {
                    return nil
                }
            } else if Resolution.isINSEE(code) {
                out.pending.append(PendingMember(input: input, code: code, kind: .commune, status: .resolved, name: "",
                                                 communes: [code], nature: nil))
            } else {
                return nil   // a 4-digit INSEE code (corrected) or a code not understood
            }
        }
        return out
    }

    /// The communes of every classified territory, fetched at once.
    static func communeTable(_ classified: [Classified?], session: GeoDataSession) throws -> CommuneTable {
        var epci = Set<String>(), listed = Set<String>()
        for c in classified {
            for p in c?.pending ?? [] {
                if p.kind == .epci { epci.insert(p.code) } else { listed.formUnion(p.communes) }
            }
        }
        var table = CommuneTable()
        let codes = epci.sorted()
        for chunk in stride(from: 0, to: codes.count, by: 500).map({ Array(codes[$0..<min($0 + 500, codes.count)]) }) {
            for (c, _) in try session.communes(ofEPCI: chunk, geometry: false) { table.byEPCI[c.epci ?? "", default: []].append(c) }
        }
        for (code, (c, _)) in try session.communes(codes: listed.sorted(), geometry: false) { table.byCode[code] = c }
        return table
    }

    /// The layer's resolution of one classified territory, from the table: what
    /// ``Resolution/resolve(_:data:session:compositions:)`` finds, less what a layer does not read
    /// (the members' `detail`, the EPCI cut). Nil when a member resolves to no commune (it is
    /// then reported unresolved by the full resolution).
    static func resolve(_ c: Classified, table: CommuneTable) -> Resolution? {
        var r = Resolution()
        r.duplicates = c.duplicates
        var owner: [String: String] = [:]   // commune → first member code
        for p in c.pending {
            let communes = p.kind == .epci ? table.byEPCI[p.code] ?? [] : p.communes.compactMap { table.byCode[$0] }
            if p.kind != .epci && communes.isEmpty { return nil }
            var kept: [Commune] = []
            for x in communes {
                if let o = owner[x.code] {
                    if let i = r.duplicates.firstIndex(where: { $0.code == x.code && $0.kind == .commune }) {
                        r.duplicates[i].members.append(p.code)
                    } else {
                        r.duplicates.append(Duplicate(code: x.code, kind: .commune, members: [o, p.code]))
                    }
                    continue
                }
                owner[x.code] = p.code
                r.communes[x.code] = x
                kept.append(x)
            }
            if kept.isEmpty { continue }
            r.members.append(ResolvedMember(
                code: p.code, input: p.input.code, kind: p.kind, name: p.kind == .commune ? communes[0].name : p.name, status: p.status,
                detail: nil, communes: kept.map(\.code).sorted(), population: kept.reduce(0) { $0 + $1.population },
                areaKm2: kept.reduce(0) { $0 + $1.areaKm2 }, nature: p.nature))
        }
        r.duplicates.sort { ($0.kind.rawValue, $0.code) < ($1.kind.rawValue, $1.code) }
        return r
    }

    /// Every membership territory resolved: in one batch, and one by one for those the batch
    /// leaves (names, corrected or unknown codes).
    static func resolveMembership(_ territories: [TerritoryLayer.Territory], data: GeoData,
                                  compositions: CompositionTables) throws -> [Resolution] {
        if territories.isEmpty { return [] }
        let session = try data.session()
        let classified = territories.map { classify($0.members, data: data, compositions: compositions) }
        let table = try communeTable(classified, session: session)
        return try zip(territories, classified).map { t, c in
            if let c, let r = resolve(c, table: table) { return r }
            return try Resolution.resolve(t.members, data: data, session: session, compositions: compositions)
        }
    }
}
