import Foundation

/// How the member codes of an `--against` layer were understood: resolved directly in the 2026
/// reference data, traced through a composition table, or not understood. A layer of another
/// vintage (the CRTE list of 2022) names EPCI merged since: without this report its overlaps
/// would silently be wrong.
public struct LayerResolution: Sendable {
    /// A member code of the layer that resolved to no commune.
    public struct Unresolved: Sendable, Hashable {
        /// The code as the layer lists it.
        public var code: String
        /// The name the layer gives it (e.g. `lib_groupement`), or empty.
        public var name: String
        /// Id of the territory of the layer that lists it.
        public var territory: String
        /// Line of the layer file (1 = header), or nil when the layer is not a file of rows.
        public var row: Int?
        /// Why it was not understood (French).
        public var reason: String
    }
    /// A code listed more than once in the same territory: counted once.
    public struct Repeated: Sendable, Hashable {
        /// The code.
        public var code: String
        /// Id of the territory listing it.
        public var territory: String
        /// Lines of the layer file listing it.
        public var rows: [Int]
    }
    /// A code listed in two or more territories of the layer (an EPCI in two CRTE).
    public struct Shared: Sendable, Hashable {
        /// The code.
        public var code: String
        /// The name the layer gives it, or empty.
        public var name: String
        /// Ids of the territories listing it.
        public var territories: [String]
    }

    /// The layer's id.
    public var id: String
    /// The layer's file.
    public var source: String
    /// The layer's format, as detected.
    public var format: TerritoryLayer.Format
    /// Number of its territories.
    public var territories: Int
    /// Distinct member codes, counted once per territory.
    public var members: Int
    /// Found directly in the reference data (EPCI 2026, commune INSEE code).
    public var resolved: Int
    /// Found through a composition table (EPCI of another vintage, commune SIREN, EPT).
    public var traced: Int
    /// The codes not understood.
    public var unresolved: [Unresolved]
    /// Codes listed more than once in one territory.
    public var repeated: [Repeated]
    /// Codes listed in two or more territories.
    public var shared: [Shared]
    /// Whether composition tables were given (the advice of the warning depends on it).
    public var compositionsGiven: Bool

    /// Whether every member code of the layer was understood.
    public var complete: Bool { unresolved.isEmpty }

    /// The French warning every format shows when some codes were not understood, else nil.
    public var warning: String? {
        guard !unresolved.isEmpty else { return nil }
        let n = unresolved.count
        let codes = unresolved.prefix(6).map(\.code).joined(separator: ", ") + (n > 6 ? ", …" : "")
        let head =
            n == 1
            ? "1 code de la couche \(id) n'est pas un code 2026 (\(codes))"
            : "\(n) codes de la couche \(id) ne sont pas des codes 2026 (\(codes))"
        let advice =
            compositionsGiven
            ? "ni les tables de composition fournies ne les retrouvent : vérifiez-les ou fournissez une table --composition du millésime de la couche"
            : "fournissez --composition (table DGCL des EPCI, BANATIC pour les SIREN de communes, composition des EPT) pour les retrouver"
        return
            "\(head) : \(advice). Les communes qu'ils couvrent sont inconnues de la couche : elles sont dites « CRTE inconnu », pas « hors de tout CRTE »."
    }

    /// The line number at the end of an origin `file:line` (as the layer readers write it).
    static func row(of origin: String) -> Int? {
        guard let colon = origin.lastIndex(of: ":") else { return nil }
        return Int(origin[origin.index(after: colon)...])
    }

    /// Builds the report from each territory's resolution (in the layer's order).
    static func summarise(
        _ layer: TerritoryLayer, _ resolutions: [(TerritoryLayer.Territory, ResolvedLayer.MemberReport?)],
        compositionsGiven: Bool
    ) -> LayerResolution {
        var out = LayerResolution(
            id: layer.id, source: layer.source, format: layer.format, territories: layer.territories.count,
            members: 0, resolved: 0, traced: 0, unresolved: [], repeated: [], shared: [],
            compositionsGiven: compositionsGiven)
        var territoriesOf: [String: [String]] = [:]
        var nameOf: [String: String] = [:]
        for (t, r) in resolutions {
            guard let r else { continue }
            let byOrigin =
                r.unresolved.isEmpty
                ? [:] : Dictionary(t.members.map { ($0.origin, $0) }, uniquingKeysWith: { a, _ in a })
            var codes = Set<String>()
            for m in r.members {
                codes.insert(m.code)
                if m.status == .traced { out.traced += 1 } else { out.resolved += 1 }
                nameOf[m.code] = nameOf[m.code] ?? m.name
            }
            for u in r.unresolved {
                codes.insert(u.code)
                let name = byOrigin[u.origin]?.name ?? ""
                nameOf[u.code] = nameOf[u.code] ?? name
                out.unresolved.append(
                    Unresolved(code: u.code, name: name, territory: t.id, row: row(of: u.origin), reason: u.reason))
            }
            for d in r.repeated {
                out.repeated.append(Repeated(code: d.code, territory: t.id, rows: d.members.compactMap(row(of:))))
            }
            // A member whose communes all came through another member is neither resolved nor unresolved.
            let listed = Set(
                t.members.map { Resolution.normalise($0.code) }.filter { !$0.isEmpty })
            out.members += max(codes.count, listed.count)
            for c in codes { territoriesOf[c, default: []].append(t.id) }
        }
        out.shared = territoriesOf.filter { $0.value.count > 1 }.keys.sorted().map {
            Shared(code: $0, name: nameOf[$0] ?? "", territories: territoriesOf[$0]!)
        }
        return out
    }
}
