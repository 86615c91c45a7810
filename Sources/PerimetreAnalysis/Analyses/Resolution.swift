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

    static func isDigits(_ s: String, _ n: Int) -> Bool {
        s.count == n && s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber)
    }
    static func isINSEE(_ s: String) -> Bool {
        isDigits(s, 5)
            || (s.count == 5 && (s.hasPrefix("2A") || s.hasPrefix("2B")) && s.dropFirst(2).allSatisfy(\.isNumber))
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
        var r = Resolution()
        var seen: [String: String] = [:]
        // Communes to look up, and what each member contributes.
        struct Pending {
            var input: MemberInput
            var code: String
            var kind: ResolvedMember.Kind
            var status: ResolvedMember.Status
            var name: String
            var detail: String?
            var communes: [String]
            var nature: String?
        }
        var pending: [Pending] = []
        var epciToLoad: [String] = []
        var allCommunes: [Commune]? = nil
        for input in inputs {
            var code = normalise(input.code)
            // A name instead of a code (typed, or a DS champ whose code is empty): one exact match only.
            var byName: String? = nil
            if code.isEmpty || isName(code) {
                let name = (code.isEmpty ? input.name ?? "" : input.code).trimmingCharacters(
                    in: .whitespacesAndNewlines)
                if name.isEmpty { continue }
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
                    continue
                }
            }
            if let first = seen[code] {
                if let i = r.duplicates.firstIndex(where: { $0.code == code && $0.kind == .member }) {
                    r.duplicates[i].members.append(input.origin)
                } else {
                    r.duplicates.append(Duplicate(code: code, kind: .member, members: [first, input.origin]))
                }
                continue
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
                if let e = data.epci[code] {
                    pending.append(
                        Pending(
                            input: input, code: code, kind: .epci, status: status, name: e.name, detail: detail,
                            communes: [], nature: e.nature))
                    epciToLoad.append(code)
                } else if let c = compositions.communeBySIREN[code] {
                    pending.append(
                        Pending(
                            input: input, code: code, kind: .communeSIREN, status: .traced, name: c.name,
                            detail: "SIREN de commune, INSEE \(c.insee)", communes: [c.insee], nature: nil))
                } else if let g = compositions.groupings[code] {
                    let kind: ResolvedMember.Kind = g.kind == .ept ? .ept : .formerEPCI
                    let what =
                        g.kind == .ept
                        ? "établissement public territorial (Métropole du Grand Paris)"
                        : "EPCI d'un autre millésime, retrouvé par ses communes"
                    pending.append(
                        Pending(
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
            } else if isINSEE(code) {
                pending.append(
                    Pending(
                        input: input, code: code, kind: .commune, status: status, name: "", detail: detail,
                        communes: [code], nature: nil))
            } else {
                let looksLikeName = code.contains(where: \.isLetter) && !isINSEE(code)
                r.unresolved.append(
                    UnresolvedMember(
                        code: input.code, origin: input.origin,
                        reason: looksLikeName
                            ? "ce n'est pas un code (SIREN à 9 chiffres ou code INSEE à 5 caractères) ; cherchez-le avec `perimetre epci search`"
                            : "code non reconnu : ni SIREN (9 chiffres) ni code INSEE (5 caractères)",
                        suggestions: suggestions(input.name ?? (looksLikeName ? input.code : nil), data)))
            }
        }

        // Load communes: those of EPCI members, and those listed or traced.
        var byEPCI: [String: [Commune]] = [:]
        for (c, _) in try session.communes(ofEPCI: epciToLoad, geometry: false) {
            byEPCI[c.epci ?? "", default: []].append(c)
        }
        let listed = Set(pending.filter { $0.kind != .epci }.flatMap(\.communes))
        let found = try session.communes(codes: listed.sorted(), geometry: false)

        var owner: [String: String] = [:]  // commune → first member code
        for var p in pending {
            var communes: [Commune]
            if p.kind == .epci {
                communes = byEPCI[p.code] ?? []
            } else {
                communes = p.communes.compactMap { found[$0]?.0 }
                let missing = p.communes.filter { found[$0] == nil }
                if communes.isEmpty {
                    let reason =
                        p.kind == .commune
                        ? "code INSEE inconnu des communes 2026"
                        : "aucune de ses communes (\(missing.prefix(5).joined(separator: ", "))) n'existe dans les communes 2026"
                    r.unresolved.append(
                        UnresolvedMember(
                            code: p.code, origin: p.input.origin, reason: reason,
                            suggestions: suggestions(p.input.name, data)))
                    continue
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
            }
            var kept: [Commune] = []
            for c in communes {
                if let o = owner[c.code] {
                    if let i = r.duplicates.firstIndex(where: { $0.code == c.code && $0.kind == .commune }) {
                        r.duplicates[i].members.append(p.code)
                    } else {
                        r.duplicates.append(Duplicate(code: c.code, kind: .commune, members: [o, p.code]))
                    }
                    continue
                }
                owner[c.code] = p.code
                r.communes[c.code] = c
                kept.append(c)
            }
            if kept.isEmpty { continue }
            r.members.append(
                ResolvedMember(
                    code: p.code, input: p.input.code, kind: p.kind, name: p.name, status: p.status, detail: p.detail,
                    communes: kept.map(\.code).sorted(), population: kept.reduce(0) { $0 + $1.population },
                    areaKm2: kept.reduce(0) { $0 + $1.areaKm2 }, nature: p.nature))
        }

        // EPCI cut: communes listed alone whose EPCI is only partly in the perimeter.
        // EPT are the Métropole du Grand Paris's own subdivisions: listing them is the normal way
        // to build a perimeter there, so they do not count as cutting the Métropole.
        let alone = r.members.filter { $0.kind != .epci && $0.kind != .polygon && $0.kind != .ept }.flatMap(\.communes)
        let touched = Set(alone.compactMap { r.communes[$0]?.epci }).subtracting(epciToLoad).sorted()
        if !touched.isEmpty {
            var all: [String: [String]] = [:]
            for (c, _) in try session.communes(ofEPCI: touched, geometry: false) {
                all[c.epci ?? "", default: []].append(c.code)
            }
            for e in touched {
                let members = all[e] ?? []
                let inside = members.filter { r.communes[$0] != nil }
                let outside = members.filter { r.communes[$0] == nil }
                if !outside.isEmpty {
                    r.cutEPCI.append(
                        CutEPCI(
                            code: e, name: data.epci[e]?.name ?? e, communesIn: inside.sorted(),
                            communesOut: outside.sorted()))
                }
            }
        }
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
