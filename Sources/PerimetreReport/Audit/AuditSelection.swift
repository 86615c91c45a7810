public import PerimetreAnalysis
public import PerimetreData

/// The régions and départements an SGAR audits (`perimetre audit --region R --departement D`).
///
/// A candidature is selected when any of its communes lies in a selected région or département.
/// The others stay in the report only where they matter to the selection: a member claimed by a
/// selected candidature too (conflict), communes shared with one (overlap), a CRTE of the selection
/// they share with one. Uncovered EPCI and CRTE are those with a commune in the selection.
///
/// ```swift
/// let selection = try AuditSelection(regions: ["27"], departements: [], data: data)
/// let (audit, scope) = selection.apply(to: fullAudit, data: data)
/// scope.title   // "Audit Bourgogne-Franche-Comté : 10 candidatures, dont 2 interrégionales"
/// ```
public struct AuditSelection: Sendable {
    /// Région codes, sorted, without repeats.
    public var regions: [String]
    /// Département codes, sorted, without repeats.
    public var departements: [String]

    /// Refuses unknown codes (the message names the code and the known ones).
    public init(regions: [String], departements: [String], data: GeoData) throws {
        self.regions = Set(regions).sorted()
        self.departements = Set(departements).sorted()
        for r in self.regions where data.regions[r] == nil {
            throw AuditSelectionError(
                "--region \(r) : code de région inconnu (codes connus : \(data.regions.keys.sorted().joined(separator: ", ")))"
            )
        }
        for d in self.departements where data.departements[d] == nil {
            throw AuditSelectionError(
                "--departement \(d) : code de département inconnu (codes connus : \(data.departements.keys.sorted().joined(separator: ", ")))"
            )
        }
    }

    /// No région and no département: the national report.
    public var isEmpty: Bool { regions.isEmpty && departements.isEmpty }

    /// The régions whose CRTE and uncovered EPCI the audit must consider: the selected ones and
    /// those of the selected départements.
    public func regionsConsidered(_ data: GeoData) -> [String] {
        Set(regions + departements.compactMap { data.departements[$0]?.region }).sorted()
    }

    /// "Bourgogne-Franche-Comté", "Doubs et Jura", "Grand Est, Doubs".
    public func label(_ data: GeoData) -> String {
        let names =
            regions.map { data.regions[$0]?.name ?? $0 } + departements.map { data.departements[$0]?.name ?? $0 }
        if names.count <= 1 { return names.first ?? "France" }
        return names.dropLast().joined(separator: ", ") + " et " + names.last!
    }

    /// Whether a candidature's result has a commune in the selection.
    public func touches(_ r: CheckResult) -> Bool {
        r.span.regions.contains { regions.contains($0.code) }
            || r.span.departements.contains { departements.contains($0.code) }
    }

    /// Whether a candidature reaches beyond the selection: a département of its communes is
    /// neither selected nor in a selected région (every commune is in one département).
    func reachesOut(_ r: CheckResult) -> Bool {
        r.span.departements.contains { d in
            !departements.contains(d.code) && !(regionOf[d.code].map(regions.contains) ?? false)
        }
    }

    /// Filled by ``apply(to:data:)``: département → région of the reference data.
    private var regionOf: [String: String] = [:]

    /// The audit restricted to the selection, and what the restriction kept and why. An empty
    /// selection returns the audit unchanged.
    public func apply(to a: AuditResult, data: GeoData) -> (AuditResult, AuditScope) {
        var me = self
        me.regionOf = data.departements.mapValues(\.region)
        return me.restrict(a, data: data)
    }

    private func restrict(_ a: AuditResult, data: GeoData) -> (AuditResult, AuditScope) {
        if isEmpty {
            return (
                a,
                AuditScope(
                    selection: self, label: "France", selected: a.territories.map(\.id), reachingOut: 0,
                    unlocated: [], related: [], relatedOutcomes: [])
            )
        }
        let selected = a.territories.filter { $0.result.map(touches) ?? false }
        let ids = Set(selected.map(\.id))
        var out = a
        out.territories = selected
        out.conflicts = a.conflicts.filter { !ids.isDisjoint(with: $0.claimedBy) }
        out.overlaps = a.overlaps.filter { ids.contains($0.a) || ids.contains($0.b) }
        let considered = Set(regionsConsidered(data))
        out.crte = a.crte.filter { c in
            regions.contains(c.region) || !Set(departements).isDisjoint(with: c.departements)
                || c.candidatures.contains { ids.contains($0.candidature) }
        }
        // Uncovered: in no candidature at all (covered by one outside the selection is covered).
        let covered = Set(a.territories.flatMap { $0.result?.figures.epciCodes ?? [] })
        out.uncoveredEPCI = data.epci.values.filter { e in
            !covered.contains(e.code)
                && (e.regions.contains(where: regions.contains)
                    || e.departements.contains(where: departements.contains))
        }.sorted { $0.code < $1.code }
        out.regions = a.regions.filter { considered.contains($0.code) }
        // The others, where they matter.
        var reasons: [String: Set<AuditScope.Reason>] = [:]
        for c in out.conflicts {
            for x in c.claimedBy where !ids.contains(x) { reasons[x, default: []].insert(.conflict) }
        }
        for o in out.overlaps {
            for x in [o.a, o.b] where !ids.contains(x) { reasons[x, default: []].insert(.overlap) }
        }
        for c in out.crte where c.candidatures.contains(where: { ids.contains($0.candidature) }) {
            for x in c.candidatures where !ids.contains(x.candidature) {
                reasons[x.candidature, default: []].insert(.sharedCRTE)
            }
        }
        let relatedOutcomes = a.territories.filter { reasons[$0.id] != nil && !ids.contains($0.id) }
        let related = relatedOutcomes.map {
            AuditScope.Related(
                id: $0.id, name: $0.name, verdict: $0.verdict.rawValue,
                reasons: reasons[$0.id]!.sorted { $0.rawValue < $1.rawValue })
        }
        let reaching = selected.filter { $0.result.map(reachesOut) ?? false }.count
        return (
            out,
            AuditScope(
                selection: self, label: label(data), selected: selected.map(\.id), reachingOut: reaching,
                unlocated: a.territories.filter { $0.result == nil }.map(\.id),
                related: related, relatedOutcomes: relatedOutcomes)
        )
    }
}

/// What a selection kept: the selected candidatures, those reaching beyond it, the others kept for
/// a relation with one of them.
public struct AuditScope: Sendable {
    /// Why a candidature outside the selection is in the report.
    public enum Reason: String, Sendable, Hashable {
        /// It claims a member a selected candidature claims too.
        case conflict
        /// It shares communes with a selected candidature.
        case overlap
        /// It covers part of a CRTE a selected candidature covers too.
        case sharedCRTE = "shared_crte"

        /// In French, for the reports.
        public var label: String {
            switch self {
            case .conflict: "conflit"
            case .overlap: "recouvrement"
            case .sharedCRTE: "CRTE partagé"
            }
        }
    }
    /// A candidature outside the selection but related to it.
    public struct Related: Sendable {
        /// Its identifier.
        public var id: String
        /// Its name.
        public var name: String
        /// Its verdict (JSON string).
        public var verdict: String
        /// Why it is related.
        public var reasons: [Reason]
    }

    /// The selection asked.
    public var selection: AuditSelection
    /// The selection in words ("Bourgogne-Franche-Comté"; "France" without a selection).
    public var label: String
    /// Ids of the selected candidatures, in input order.
    public var selected: [String]
    /// How many selected candidatures have communes outside the selection.
    public var reachingOut: Int
    /// Candidatures that could not be analysed: no commune, so neither in nor out of a selection.
    public var unlocated: [String]
    /// The candidatures outside the selection kept for a relation with a selected one.
    public var related: [Related]
    /// Their outcomes (for the map).
    public var relatedOutcomes: [AuditResult.Outcome]

    /// Whether the report is national (no selection).
    public var isNational: Bool { selection.isEmpty }

    /// "Audit Bourgogne-Franche-Comté : 10 candidatures, dont 2 interrégionales"; "Audit national :
    /// 183 candidatures".
    public var title: String {
        let n = selected.count
        let count = "\(n) candidature\(n > 1 ? "s" : "")"
        if isNational { return "Audit national : \(count)" }
        var s = "Audit \(label) : \(count)"
        if reachingOut > 0 {
            let word =
                selection.departements.isEmpty
                ? "interrégionale"
                : selection.regions.isEmpty
                    ? "interdépartementale"
                    : "débordant de la sélection"
            let plural = reachingOut > 1 && !word.hasPrefix("débordant") ? "s" : ""
            s += ", dont \(reachingOut) \(word)\(plural)"
        }
        return s
    }
}

/// A refused `--region` or `--departement` value (French, exit 2).
public struct AuditSelectionError: Error, CustomStringConvertible, Sendable {
    /// The French message, naming the value.
    public var description: String
    /// A refusal with its French message.
    public init(_ d: String) { description = d }
}
