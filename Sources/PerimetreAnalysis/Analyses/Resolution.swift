import Foundation
public import PerimetreData
import PerimetreGeometry

/// Resolution: every member resolved to communes of the reference data or reported unresolved
/// (with near-name suggestions); duplicates; EPCI cut by communes listed alone.
public struct Resolution: Sendable {
    /// The members resolved, in input order.
    public var members: [ResolvedMember] = []
    /// The codes that could not be resolved, with reasons and suggestions.
    public var unresolved: [UnresolvedMember] = []
    /// Codes listed twice and communes reached through two members.
    public var duplicates: [Duplicate] = []
    /// EPCI listed through some of their communes only.
    public var cutEPCI: [CutEPCI] = []
    /// Every commune of the perimeter, by INSEE code.
    public var communes: [String: Commune] = [:]

    /// The communes in code order.
    var communesByCode: [Commune] {
        // Positions in the dictionary are sorted, by their codes' ranks (integers), not the
        // communes: moving a commune moves all its fields (and copying one retains its strings),
        // and comparing strings costs more than integers. Each commune is copied once, at the end.
        var keys: [UInt64] = []
        var positions: [[String: Commune].Index] = []
        keys.reserveCapacity(communes.count)
        positions.reserveCapacity(communes.count)
        var p = communes.startIndex
        while p != communes.endIndex {
            guard let i = CommuneIndex.of(communes.keys[p]) else { return communes.values.sorted { $0.code < $1.code } }
            keys.append(UInt64(CommuneIndex.rank(i)) << 32 | UInt64(positions.count))
            positions.append(p)
            communes.formIndex(after: &p)
        }
        keys.sort()
        return keys.map { communes.values[positions[Int($0 & 0xFFFF_FFFF)]] }
    }

    /// Normalises a typed code: trims spaces and quotes, removes inner spaces (`200 000 172`),
    /// upper-cases Corsica's `2a`/`2b`.
    public static func normalise(_ raw: String) -> String {
        // A code already clean (ASCII digits and capitals), the common case, is returned as it is:
        // the trimming and replacements below cost microseconds each, for thousands of members.
        if !raw.isEmpty, raw.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) }) {
            return raw
        }
        return raw.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\"'")))
            .replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\u{00A0}", with: "").uppercased()
    }

    /// `n` ASCII digits. On the bytes: the only ASCII characters that are numbers are 0–9.
    static func isDigits(_ s: String, _ n: Int) -> Bool {
        s.utf8.count == n && s.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }
    /// An INSEE code: 5 digits, or Corsica's `2A`/`2B` and 3 numbers. ASCII text (every real
    /// code) is told by `CommuneIndex` on its bytes; other text by Unicode's character properties.
    static func isINSEE(_ s: String) -> Bool {
        if CommuneIndex.of(s) != nil { return true }
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return false }
        return s.count == 5 && (s.hasPrefix("2A") || s.hasPrefix("2B")) && s.dropFirst(2).allSatisfy(\.isNumber)
    }

    /// The member codes a resolution may look up in composition tables: 9-digit codes that are
    /// not EPCI of 2026 (an EPCI of another vintage, a commune's SIREN, an EPT).
    ///
    /// ```swift
    /// let wanted = Resolution.compositionCodes(candidatures.territories.flatMap(\.members), data: data)
    /// let tables = try CompositionTables.load(paths, only: wanted)
    /// ```
    public static func compositionCodes(_ inputs: some Sequence<MemberInput>, data: GeoData) -> Set<String> {
        var codes = Set<String>()
        for input in inputs {
            let code = normalise(input.code)
            if isDigits(code, 9) && data.epci[code] == nil { codes.insert(code) }
        }
        return codes
    }

    /// Resolves a perimeter's members to communes of the reference data.
    ///
    /// - Parameters:
    ///   - inputs: The members as given (codes or names, with where they came from).
    ///   - data: The reference data.
    ///   - session: A read session on `data` (one per task).
    ///   - compositions: Tables tracing older EPCI, commune SIREN and EPT to communes.
    /// - Returns: The members resolved, the codes not resolved, the duplicates and the EPCI cut.
    /// - Throws: A `GeoPackageError` when the reference GeoPackage cannot be read.
    public static func resolve(
        _ inputs: [MemberInput], data: GeoData, session: GeoDataSession,
        compositions: CompositionTables
    ) throws -> Resolution {
        try resolve(inputs, data: data, session: session, compositions: compositions, keepCommunes: true)
    }

    /// The EPCI of the perimeter's communes, sorted. Without the communes kept by code (see
    /// `resolve(_:data:session:compositions:keepCommunes:)`), every member is a whole EPCI: the
    /// EPCI of each of its communes.
    var epciOfCommunes: [String] {
        Set(communes.isEmpty ? members.map(\.code) : communes.values.compactMap(\.epci)).sorted()
    }

    /// ``resolve(_:data:session:compositions:)``; without `keepCommunes`, ``communes`` stays empty
    /// when no commune can be reached twice (whole EPCI, none listed twice), the common case: an
    /// audit resolves each candidature once for its claims and again, in full, for its analysis.
    static func resolve(
        _ inputs: [MemberInput], data: GeoData, session: GeoDataSession, compositions: CompositionTables,
        keepCommunes: Bool
    ) throws -> Resolution {
        var r = Resolution()
        var intake = Intake(data: data, session: session, compositions: compositions)
        for input in inputs { try intake.take(input, into: &r) }
        try r.attach(intake.pending, epci: intake.epciToLoad, data: data, session: session, keepCommunes: keepCommunes)
        try r.findCutEPCI(listedEPCI: intake.epciToLoad, data: data, session: session)
        r.duplicates.sort { ($0.kind.rawValue, $0.code) < ($1.kind.rawValue, $1.code) }
        return r
    }

    /// EPCI whose name is near the given name: all its words, else most of them.
    static func suggestions(_ name: String?, _ data: GeoData) -> [Suggestion] {
        guard let name, !name.isEmpty else { return [] }
        let direct = data.searchEPCI(name)
        if !direct.isEmpty { return direct.prefix(3).map { Suggestion(code: $0.code, name: $0.name) } }
        let stop: Set<String> = [
            "communaute", "communes", "commune", "agglomeration", "de", "du", "des", "la", "le", "les", "et", "cc",
            "ca", "cu", "en", "d", "l",
        ]
        let words = Set(GeoData.fold(name).split(separator: " ").map(String.init)).subtracting(stop)
        if words.isEmpty { return [] }
        let scored = data.epci.values.map { e -> (EPCI, Int) in
            let w = Set(GeoData.fold(e.name).split(separator: " ").map(String.init))
            return (e, w.intersection(words).count)
        }.filter { $0.1 > 0 }
        return scored.sorted { ($1.1, $0.0.code) < ($0.1, $1.0.code) }.prefix(3).map {
            Suggestion(code: $0.0.code, name: $0.0.name)
        }
    }
}

/// The steps of ``Resolution/resolve(_:data:session:compositions:)``.
extension Resolution {
    /// A member recognised, whose communes are still to be looked up.
    private struct PendingMember {
        var input: MemberInput
        var code: String
        var kind: ResolvedMember.Kind
        var status: ResolvedMember.Status
        var name: String
        var detail: String?
        var communes: [String]
        var nature: String?
    }

    /// First step: each input recognised (by code or name), duplicates set aside; no commune read yet.
    private struct Intake {
        let data: GeoData
        let session: GeoDataSession
        let compositions: CompositionTables
        /// Member code → the origin of its first listing.
        var seen: [String: String] = [:]
        var pending: [PendingMember] = []
        var epciToLoad: [String] = []
        /// Every commune, read once and only when a member is given by a commune's name.
        var allCommunes: [Commune]? = nil

        mutating func take(_ input: MemberInput, into r: inout Resolution) throws {
            var code = normalise(input.code)
            // A name instead of a code (typed, or a DS champ whose code is empty): one exact match only.
            var byName: String? = nil
            if code.isEmpty || isName(code) {
                let name = (code.isEmpty ? input.name ?? "" : input.code).trimmingCharacters(
                    in: .whitespacesAndNewlines)
                if name.isEmpty { return }
                switch try lookUp(
                    name: name, kind: input.nameKind ?? .epci, origin: input.origin, data: data,
                    communes: {
                        if allCommunes == nil { allCommunes = try session.allCommunes() }
                        return allCommunes!
                    })
                {
                case .found(let c, let detail):
                    code = c
                    byName = detail
                case .notFound(let u):
                    r.unresolved.append(u)
                    return
                }
            }
            if let first = seen[code] {
                r.recordDuplicate(code, kind: .member, first: first, again: input.origin)
                return
            }
            seen[code] = input.origin
            var status = byName == nil ? ResolvedMember.Status.resolved : .corrected
            var detail: String? = byName
            if isDigits(code, 4) {
                // A spreadsheet dropped the leading zero of an INSEE code (01001 → 1001).
                detail = "code \(code) lu comme 0\(code) (zéro initial perdu, sans doute par un tableur)"
                code = "0" + code
                status = .corrected
            }
            if isDigits(code, 9) {
                takeSIREN(code, input: input, status: status, detail: detail, into: &r)
            } else if isINSEE(code) {
                pending.append(
                    PendingMember(
                        input: input, code: code, kind: .commune, status: status, name: "", detail: detail,
                        communes: [code], nature: nil))
            } else {
                r.unresolved.append(unrecognised(input, code: code))
            }
        }

        /// A 9-digit code: an EPCI of 2026, else a commune's SIREN, an EPT or an older EPCI traced
        /// by the composition tables.
        private mutating func takeSIREN(
            _ code: String, input: MemberInput, status: ResolvedMember.Status, detail: String?,
            into r: inout Resolution
        ) {
            if let e = data.epci[code] {
                pending.append(
                    PendingMember(
                        input: input, code: code, kind: .epci, status: status, name: e.name, detail: detail,
                        communes: [], nature: e.nature))
                epciToLoad.append(code)
            } else if let c = compositions.communeBySIREN[code] {
                pending.append(
                    PendingMember(
                        input: input, code: code, kind: .communeSIREN, status: .traced, name: c.name,
                        detail: "SIREN de commune, INSEE \(c.insee)", communes: [c.insee], nature: nil))
            } else if let g = compositions.groupings[code] {
                let kind: ResolvedMember.Kind = g.kind == .ept ? .ept : .formerEPCI
                let what =
                    g.kind == .ept
                    ? "établissement public territorial (Métropole du Grand Paris)"
                    : "EPCI d'un autre millésime, retrouvé par ses communes"
                pending.append(
                    PendingMember(
                        input: input, code: code, kind: kind, status: .traced, name: g.name,
                        detail: "\(what) (\((g.source as NSString).lastPathComponent))", communes: g.communes,
                        nature: nil))
            } else {
                var reason = "SIREN inconnu des données de référence (EPCI 2026)"
                reason +=
                    compositions.isEmpty
                    ? " ; s'il s'agit d'un EPCI fusionné depuis, d'une commune ou d'un EPT, fournissez une table de composition (--composition)"
                    : " et des tables de composition fournies"
                r.unresolved.append(
                    UnresolvedMember(
                        code: code, origin: input.origin, reason: reason,
                        suggestions: suggestions(input.name, data)))
            }
        }

        /// A code that is neither a SIREN nor an INSEE code.
        private func unrecognised(_ input: MemberInput, code: String) -> UnresolvedMember {
            let looksLikeName = code.contains(where: \.isLetter) && !isINSEE(code)
            return UnresolvedMember(
                code: input.code, origin: input.origin,
                reason: looksLikeName
                    ? "ce n'est pas un code (SIREN à 9 chiffres ou code INSEE à 5 caractères) ; cherchez-le avec `perimetre epci search`"
                    : "code non reconnu : ni SIREN (9 chiffres) ni code INSEE (5 caractères)",
                suggestions: suggestions(input.name ?? (looksLikeName ? input.code : nil), data))
        }
    }

    /// A code listed again (`kind` `.member`), or a commune reached again (`.commune`).
    private mutating func recordDuplicate(_ code: String, kind: Duplicate.Kind, first: String, again: String) {
        if let i = duplicates.firstIndex(where: { $0.code == code && $0.kind == kind }) {
            duplicates[i].members.append(again)
        } else {
            duplicates.append(Duplicate(code: code, kind: kind, members: [first, again]))
        }
    }

    /// Second step: the communes of the members loaded (those of EPCI members, and those listed or
    /// traced); each commune kept by the first member reaching it. Without `keepCommunes`,
    /// ``communes`` stays empty when the members are disjoint (no commune reached twice).
    private mutating func attach(
        _ pending: [PendingMember], epci epciToLoad: [String], data: GeoData, session: GeoDataSession,
        keepCommunes: Bool
    ) throws {
        let byEPCI = try session.communesByEPCI(epciToLoad)
        let listed = Set(pending.filter { $0.kind != .epci }.flatMap(\.communes))
        let found = try session.communes(codes: listed.sorted(), geometry: false)
        // Distinct EPCI share no commune: a commune is reached twice only when an EPCI is listed
        // twice or communes are listed too. Otherwise no commune is looked up twice.
        let disjoint = listed.isEmpty && Set(pending.map(\.code)).count == pending.count
        let keep = keepCommunes || !disjoint
        if keep {
            communes.reserveCapacity(communes.count + pending.reduce(0) { $0 + (byEPCI[$1.code]?.count ?? 0) })
        }

        var owner: [String: String] = [:]  // commune → first member code
        for var p in pending {
            let communes: [Commune]
            if p.kind == .epci {
                communes = byEPCI[p.code] ?? []
            } else {
                guard let listed = listedCommunes(of: &p, found: found, data: data) else { continue }
                communes = listed
            }
            var kept: [Commune] = []
            if disjoint {
                // Every commune kept: the list as read (shared, not copied commune by commune).
                kept = communes
                // By index: iterating would copy each commune (retaining its strings) before storing it.
                if keep { for j in communes.indices { self.communes[communes[j].code] = communes[j] } }
            } else {
                kept.reserveCapacity(communes.count)
                for c in communes {
                    if let o = owner[c.code] {
                        recordDuplicate(c.code, kind: .commune, first: o, again: p.code)
                        continue
                    }
                    owner[c.code] = p.code
                    self.communes[c.code] = c
                    kept.append(c)
                }
            }
            if kept.isEmpty { continue }
            members.append(
                ResolvedMember(
                    code: p.code, input: p.input.code, kind: p.kind, name: p.name, status: p.status, detail: p.detail,
                    communes: kept.map(\.code).sorted(), population: kept.reduce(0) { $0 + $1.population },
                    areaKm2: kept.reduce(0) { $0 + $1.areaKm2 }, nature: p.nature))
        }
    }

    /// The communes found of a member listing communes (a commune, or one traced by composition
    /// tables), its detail completed; nil, reported unresolved, when none exists in 2026.
    private mutating func listedCommunes(
        of p: inout PendingMember, found: [String: (Commune, WKBGeometry?)], data: GeoData
    ) -> [Commune]? {
        let communes = p.communes.compactMap { found[$0]?.0 }
        let missing = p.communes.filter { found[$0] == nil }
        if communes.isEmpty {
            let reason =
                p.kind == .commune
                ? "code INSEE inconnu des communes 2026"
                : "aucune de ses communes (\(missing.prefix(5).joined(separator: ", "))) n'existe dans les communes 2026"
            unresolved.append(
                UnresolvedMember(
                    code: p.code, origin: p.input.origin, reason: reason,
                    suggestions: Self.suggestions(p.input.name, data)))
            return nil
        }
        if !missing.isEmpty {
            p.detail = [
                p.detail,
                "\(missing.count) commune(s) absente(s) des communes 2026 : \(missing.joined(separator: ", "))",
            ]
            .compactMap { $0 }.joined(separator: " ; ")
        }
        if p.kind == .commune { p.name = communes[0].name }
        if p.kind == .formerEPCI {
            let now = Set(communes.compactMap(\.epci)).sorted()
            let names = now.map { data.epci[$0].map { "\($0.name) (\($0.code))" } ?? $0 }
            p.detail = [p.detail, "ses communes appartiennent en 2026 à : \(names.joined(separator: ", "))"]
                .compactMap { $0 }.joined(separator: " ; ")
        }
        return communes
    }

    /// Last step, EPCI cut: communes listed alone whose EPCI is only partly in the perimeter.
    /// EPT are the Métropole du Grand Paris's own subdivisions: listing them is the normal way
    /// to build a perimeter there, so they do not count as cutting the Métropole.
    private mutating func findCutEPCI(listedEPCI: [String], data: GeoData, session: GeoDataSession) throws {
        let alone = members.filter { $0.kind != .epci && $0.kind != .polygon && $0.kind != .ept }.flatMap(\.communes)
        let touched = Set(alone.compactMap { communes[$0]?.epci }).subtracting(listedEPCI).sorted()
        if touched.isEmpty { return }
        let all = try session.communesByEPCI(touched)
        for e in touched {
            let epciCommunes = (all[e] ?? []).map(\.code)
            let inside = epciCommunes.filter { communes[$0] != nil }
            let outside = epciCommunes.filter { communes[$0] == nil }
            if !outside.isEmpty {
                cutEPCI.append(
                    CutEPCI(
                        code: e, name: data.epci[e]?.name ?? e, communesIn: inside.sorted(),
                        communesOut: outside.sorted()))
            }
        }
    }
}
