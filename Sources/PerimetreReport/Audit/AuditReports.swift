public import PerimetreAnalysis
import PerimetreGeometry

/// The audit's outputs: a French text summary (conflicts first), a CSV row per candidature,
/// JSON, GeoJSON and a self-contained HTML report.
public enum AuditReport {
    /// The French text summary of an audit, conflicts first.
    ///
    /// - Parameters:
    ///   - a: The audit.
    ///   - scope: the selection applied to `a` (``AuditSelection/apply(to:data:)``), if any.
    /// - Returns: The text.
    public static func text(_ a: AuditResult, scope: AuditScope? = nil) -> String {
        var out = ""
        out.line(scope?.title ?? "Audit de \(a.territories.count) candidatures")
        out.line(String(repeating: "=", count: 40))
        out.line()
        if let scope, !scope.isNational { selection(scope, into: &out) }
        for w in a.layerResolutions.compactMap(\.warning) {
            out.line("AVERTISSEMENT : \(w)")
            out.line()
        }
        conflicts(a, into: &out)
        verdicts(a, national: scope?.isNational == true, into: &out)
        let withRemedies = a.territories.filter { !($0.result?.remedies.isEmpty ?? true) }
        if !withRemedies.isEmpty {
            out.line()
            out.line("PISTES")
            for t in withRemedies {
                out.line("  \(t.id) \(t.name)")
                for x in t.result!.remedies { out.line("    - " + RemedyText.line(x)) }
            }
        }
        out.line()
        out.line("EPCI COUVERTS PAR AUCUNE CANDIDATURE : \(a.uncoveredEPCI.count)")
        for e in a.uncoveredEPCI.prefix(uncoveredEPCIListed) {
            out.line("  - \(e.code) \(e.name) (\(e.departements.joined(separator: ", ")))")
        }
        regions(a, summarised: scope != nil, into: &out)
        if !a.crte.isEmpty { crte(a, into: &out) }
        if !a.layerResolutions.isEmpty {
            out.line()
            out.line("COUCHES COMPARÉES")
            for l in a.layerResolutions { for s in TextReport.layerLines(l) { out.line("  " + s) } }
        }
        return out
    }

    /// The uncovered EPCI listed in the text (the JSON has them all).
    private static let uncoveredEPCIListed = 200

    /// The CRTE statuses in the order the reports count them.
    static let crteStatuses: [AuditResult.CRTECoverage.Status] = [.covered, .partial, .split, .uncovered]

    /// What a selection keeps: its rule, the other candidatures cited and those not located.
    private static func selection(_ scope: AuditScope, into out: inout String) {
        out.line(
            "SÉLECTION : candidatures ayant au moins une commune dans \(scope.label) ; les autres ne figurent qu'en lien avec elles."
        )
        if !scope.related.isEmpty {
            out.line("AUTRES CANDIDATURES CITÉES (hors sélection) : \(scope.related.count)")
            for r in scope.related {
                out.line("  - \(r.id) \(r.name) [\(r.verdict)] : \(r.reasons.map(\.label).joined(separator: ", "))")
            }
        }
        if !scope.unlocated.isEmpty {
            out.line(
                "CANDIDATURES NON ANALYSÉES, NON LOCALISABLES (hors sélection) : \(scope.unlocated.joined(separator: ", "))"
            )
        }
        out.line()
    }

    /// Members claimed twice, overlaps between candidatures, candidatures not analysed.
    private static func conflicts(_ a: AuditResult, into out: inout String) {
        out.line("CONFLITS (membres revendiqués par plusieurs candidatures) : \(a.conflicts.count)")
        for c in a.conflicts {
            out.line("  - BLOQUANT : \(c.name) (\(c.code)) revendiqué par \(c.claimedBy.joined(separator: ", "))")
        }
        out.line()
        out.line("RECOUVREMENTS ENTRE CANDIDATURES : \(a.overlaps.count)")
        for o in a.overlaps {
            out.line("  - \(o.a) et \(o.b) : \(French.km2(o.areaKm2)), \(o.communes.count) commune(s)")
        }
        let failed = a.territories.filter { $0.result == nil }
        if !failed.isEmpty {
            out.line()
            out.line("CANDIDATURES NON ANALYSÉES : \(failed.count)")
            for f in failed { out.line("  - \(f.id) \(f.name)\(dossierLabel(f)) : \(f.error ?? "")") }
        }
    }

    /// The count per verdict, then each candidature's verdict (nationally, under its main région).
    private static func verdicts(_ a: AuditResult, national: Bool, into out: inout String) {
        out.line()
        let verdicts = Dictionary(grouping: a.territories, by: \.verdict)
        out.line(
            "VERDICTS : "
                + Verdict.allCases.map { "\($0.rawValue) \(verdicts[$0]?.count ?? 0)" }.joined(separator: ", "))
        func verdictLine(_ t: AuditResult.Outcome) {
            guard let r = t.result else { return }
            let main = r.findings.filter { $0.severity != .info }.countedLabels()
            for l in verdictRow(t.id, t.verdict.rawValue, t.name + dossierLabel(t), main) { out.line(l) }
        }
        if national {
            let byID = Dictionary(a.territories.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
            for r in regionSummaries(a) where !r.candidatures.isEmpty {
                out.line(" \(r.code) \(r.name)")
                for id in r.candidatures { if let t = byID[id] { verdictLine(t) } }
            }
        } else {
            for t in a.territories { verdictLine(t) }
        }
    }

    /// The candidatures per main région; with a scope, each région's summary.
    private static func regions(_ a: AuditResult, summarised: Bool, into out: inout String) {
        out.line()
        out.line("PAR RÉGION (région principale de chaque candidature)")
        let summaries = Dictionary(regionSummaries(a).map { ($0.code, $0) }, uniquingKeysWith: { x, _ in x })
        for r in a.regions {
            let layers = r.layers.map { "\($0.layer) : \($0.count)" }.joined(separator: ", ")
            out.line(
                "  \(r.code) \(r.name) : \(r.candidatures) candidature(s)" + (layers.isEmpty ? "" : " — \(layers)"))
            guard summarised, let x = summaries[r.code] else { continue }
            var parts = [
                verdictOrder.map { "\($0) \(x.verdicts[$0] ?? 0)" }.joined(separator: ", "),
                "interrégionales \(x.interregional)", "EPCI non couverts \(x.uncoveredEPCI)",
            ]
            if !a.crte.isEmpty {
                parts.append(
                    "CRTE " + crteStatuses.map { "\(crteStatusFR($0)) \(x.crte[$0] ?? 0)" }.joined(separator: ", "))
            }
            out.line("      " + parts.joined(separator: " ; "))
        }
    }

    /// The CRTE of the régions audited, with the candidatures covering each.
    private static func crte(_ a: AuditResult, into out: inout String) {
        out.line()
        let by = Dictionary(grouping: a.crte, by: \.status)
        out.line(
            "CRTE DES RÉGIONS AUDITÉES : \(a.crte.count) — "
                + crteStatuses.map { "\(crteStatusFR($0)) \(by[$0]?.count ?? 0)" }.joined(separator: ", "))
        for c in a.crte {
            let covers = c.candidatures.map {
                "\($0.candidature) (\($0.communes)/\(c.communes) communes\($0.whole ? ", entier" : ""))"
            }
            var s = "  \(c.id) \(c.name) [\(c.region)] : \(crteStatusFR(c.status))"
            if !covers.isEmpty { s += " — " + covers.joined(separator: ", ") }
            if c.uncoveredCommunes > 0 && c.status != .uncovered {
                s += " ; \(c.uncoveredCommunes) commune(s) hors candidature"
            }
            if !c.unresolvedMembers.isEmpty {
                s += " ; membres non compris : \(c.unresolvedMembers.joined(separator: ", "))"
            }
            out.line(s)
        }
    }

    /// The status of a CRTE in French.
    static func crteStatusFR(_ s: AuditResult.CRTECoverage.Status) -> String {
        switch s {
        case .covered: "couvert"
        case .partial: "couvert en partie"
        case .split: "partagé"
        case .uncovered: "non couvert"
        }
    }

    static let crteCSVColumns = [
        "layer", "id", "name", "region", "communes", "status", "candidatures", "uncovered_communes",
        "unresolved_members",
    ]

    /// The CRTE table as CSV: one row per CRTE of the régions audited (`candidatures`: `id:communes`
    /// separated by spaces, the largest first).
    public static func crteCSV(_ a: AuditResult) -> String {
        var out = crteCSVColumns.joined(separator: ",") + "\n"
        for c in a.crte {
            let cells = [
                c.layer, c.id, c.name, c.region, String(c.communes), c.status.rawValue,
                c.candidatures.map { "\($0.candidature):\($0.communes)" }.joined(separator: " "),
                String(c.uncoveredCommunes), c.unresolvedMembers.joined(separator: " "),
            ]
            out += cells.map(quote).joined(separator: ",") + "\n"
        }
        return out
    }

    /// ` [En instruction, déposé le 2024-03-12]` for a candidature read from a Démarches Simplifiées dossier.
    static func dossierLabel(_ t: AuditResult.Outcome) -> String {
        guard let d = t.dossier else { return "" }
        let parts = [d.state ?? "état inconnu"] + (d.depositedAt.map { ["déposé le \($0)"] } ?? [])
        return " [" + parts.joined(separator: ", ") + "]"
    }

    static let csvColumns = [
        "id", "name", "verdict", "members", "unresolved", "area_km2", "population", "communes", "epci",
        "contiguous", "components", "enclaves", "interdepartemental", "interregional", "frontalier",
        "neighbours", "conflicts", "crte_aligned", "findings", "error", "crte_whole", "crte_shared",
    ]

    /// One row per candidature (of the selection, when `a` was restricted to one).
    public static func csv(_ a: AuditResult) -> String {
        // Columns of the Démarches Simplifiées dossier only when candidatures come from one.
        let ds = a.territories.contains { $0.dossier != nil }
        var out = (csvColumns + (ds ? ["ds_state", "ds_deposited_at"] : [])).joined(separator: ",") + "\n"
        for t in a.territories {
            let r = t.result
            var cells: [String] = [
                t.id, t.name, t.verdict.rawValue, r.map { String($0.members.count) } ?? "",
                r.map { String($0.unresolved.count) } ?? "",
                r.map { fixed($0.figures.areaKm2, 3) } ?? "", r.map { String($0.figures.population) } ?? "",
                r.map { String($0.figures.communeCount) } ?? "", r.map { String($0.figures.epciCount) } ?? "",
                r.map { $0.contiguity.contiguous ? "true" : "false" } ?? "",
                r.map { String($0.contiguity.components.count) } ?? "",
                r.map { String($0.enclaves.count) } ?? "",
                r.map { $0.span.interdepartemental ? "true" : "false" } ?? "",
                r.map { $0.span.interregional ? "true" : "false" } ?? "",
                r.map { $0.border.frontalier ? "true" : "false" } ?? "",
                r.map { $0.border.neighbours.map(\.code).joined(separator: " ") } ?? "",
                String(a.conflicts.filter { $0.claimedBy.contains(t.id) }.count),
                r.map { $0.crte.isEmpty ? "" : ($0.crte.allSatisfy(\.aligned) ? "true" : "false") } ?? "",
                r.map { $0.findings.map(\.rule.rawValue).joined(separator: " ") } ?? "", t.error ?? "",
                a.crte.filter { c in c.status == .covered && c.candidatures[0].candidature == t.id }.map(\.id).joined(
                    separator: " "),
                a.crte.filter { c in c.status != .covered && c.candidatures.contains { $0.candidature == t.id } }.map(
                    \.id
                ).joined(separator: " "),
            ]
            if ds { cells += [t.dossier?.state ?? "", t.dossier?.depositedAt ?? ""] }
            out += cells.map(quote).joined(separator: ",") + "\n"
        }
        return out
    }

    static func quote(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    static func fixed(_ v: Double, _ d: Int) -> String { String(format: "%.\(d)f", v) }

    /// The audit as JSON (`docs/audit-json.md`), keys in a fixed order.
    ///
    /// - Parameters:
    ///   - a: The audit.
    ///   - scope: A selection (`--region`, `--departement`): only its candidatures, with the related ones.
    /// - Returns: The JSON text.
    /// - Throws: `GeometryError` when a number cannot be written (NaN).
    public static func json(_ a: AuditResult, scope: AuditScope? = nil) throws -> String {
        String(decoding: JSONWriter.joined(try jsonPieces(a, scope: scope)), as: UTF8.self)
    }

    /// ``json(_:scope:)`` as pieces of UTF-8 bytes to write one after the other
    /// (``AtomicFile/write(pieces:to:)``): 1,000 options make 15 MB, not copied into one buffer.
    ///
    /// - Parameters:
    ///   - a: The audit.
    ///   - scope: The selection the report is limited to (nil: national).
    /// - Returns: The JSON text's bytes, in pieces.
    /// - Throws: `GeometryError` when a number is NaN or infinite.
    public static func jsonPieces(_ a: AuditResult, scope: AuditScope? = nil) throws -> [[UInt8]] {
        // The two long arrays, the territories and the overlaps between them (200,000 shared
        // communes for 1,000 options), are built and written on all cores, then spliced in order.
        let territories = try parallelMap(a.territories, makeState: { [UInt8]() }) { scratch, t in
            try territoryJSON(t, scratch: &scratch)
        }
        return try document(
            a, scope: scope, territories: territories, summaries: scope == nil ? nil : regionSummaries(a))
    }

    /// One territory of the JSON report, as it stands in the `territories` array.
    ///
    /// - Parameter scratch: a buffer kept between calls (the worker's own), written then copied out.
    static func territoryJSON(_ t: AuditResult.Outcome, scratch: inout [UInt8]) throws -> [UInt8] {
        try JSONWriter(pretty: true).fragment(territoryValue(t), depth: 2, scratch: &scratch)
    }

    /// The JSON report with `territories` (written by ``territoryJSON(_:scratch:)``) spliced in.
    private static func document(
        _ a: AuditResult, scope: AuditScope?, territories: [[UInt8]], summaries: [RegionSummary]?
    ) throws -> [[UInt8]] {
        var o = JSONObject()
        o["schema"] = "perimetre/audit/1"
        if let scope, !scope.isNational { o["selection"] = selectionValue(scope) }
        o["layers"] = .array(a.layerResolutions.map(JSONReport.layer))
        o["territories"] = .null
        o["conflicts"] = .array(
            a.conflicts.map {
                .object([
                    "code": .string($0.code), "name": .string($0.name),
                    "claimed_by": .array($0.claimedBy.map { .string($0) }),
                ])
            })
        o["overlaps"] = .null
        let overlaps = try parallelMap(a.overlaps, makeState: {}) { _, x in
            try JSONWriter(pretty: true).fragment(
                ["a": .string(x.a), "b": .string(x.b), "area_km2": JSONReport.km2(x.areaKm2)], appending: "communes",
                strings: x.communes, depth: 2)
        }
        o["uncovered_epci"] = .array(
            a.uncoveredEPCI.map {
                .object([
                    "code": .string($0.code), "name": .string($0.name),
                    "departements": .array($0.departements.map { .string($0) }),
                ])
            })
        o["crte"] = .array(a.crte.map(crteValue))
        let byCode = Dictionary((summaries ?? []).map { ($0.code, $0) }, uniquingKeysWith: { x, _ in x })
        o["regions"] = .array(a.regions.map { regionValue($0, summary: summaries == nil ? nil : byCode[$0.code]) })
        return try JSONWriter(pretty: true).pieces(o, splicing: ["territories": territories, "overlaps": overlaps])
            + [[UInt8(ascii: "\n")]]
    }

    /// The national JSON report (no selection) written while the candidatures are analysed
    /// (`Audit.stream`, which hands each outcome over in input order): its
    /// head, each territory as it comes, a separator between two, then the rest once all are
    /// known. The same bytes as ``jsonPieces(_:scope:)`` with the national scope.
    ///
    /// ```swift
    /// let s = try AuditReport.JSONStream(layers: against.map(\.resolution))
    /// // s.head, territory 1, s.separator, territory 2, …, then s.tail(audit, gists: gists)
    /// ```
    public struct JSONStream: Sendable {
        /// The bytes before the first territory.
        public let head: [UInt8]
        /// The bytes between two territories.
        public let separator: [UInt8]

        /// The stream of a national audit compared with `layers`.
        public init(layers: [LayerResolution]) throws {
            var skeleton = AuditResult(
                territories: [], conflicts: [], overlaps: [], uncoveredEPCI: [], regions: [], layers: [])
            skeleton.layerResolutions = layers
            // Two stand-ins the writer cannot produce (0xFF, 0xFE are not UTF-8) mark the places.
            let pieces = try document(skeleton, scope: nil, territories: Self.marks, summaries: nil)
            let first = pieces.firstIndex(of: Self.marks[0])!
            let second = pieces.firstIndex(of: Self.marks[1])!
            head = Array(pieces[..<first].joined())
            separator = Array(pieces[(first + 1)..<second].joined())
        }

        private static let marks: [[UInt8]] = [[0xFF], [0xFE]]

        /// One territory's JSON, and what the région summaries keep of it.
        public static func territory(
            _ t: AuditResult.Outcome, scratch: inout [UInt8]
        ) throws -> (json: [UInt8], gist: TerritoryGist) {
            (try territoryJSON(t, scratch: &scratch), TerritoryGist(t))
        }

        /// The bytes after the last territory: the cross-checks of `a` (its territories streamed,
        /// `gists` kept of them in input order).
        public func tail(_ a: AuditResult, gists: [TerritoryGist]) throws -> [[UInt8]] {
            let pieces = try document(
                a, scope: nil, territories: [Self.marks[0]], summaries: regionSummaries(a, gists: gists))
            let mark = pieces.firstIndex(of: Self.marks[0])!
            precondition(Array(pieces[..<mark].joined()) == head, "the head of the audit's JSON changed")
            return Array(pieces[(mark + 1)...])
        }
    }

    /// The `selection` object: what was selected and the candidatures related to it.
    private static func selectionValue(_ scope: AuditScope) -> JSONValue {
        .object([
            "regions": .array(scope.selection.regions.map { .string($0) }),
            "departements": .array(scope.selection.departements.map { .string($0) }),
            "label": .string(scope.label), "title": .string(scope.title),
            "candidatures": .int(scope.selected.count), "reaching_out": .int(scope.reachingOut),
            "related": .array(
                scope.related.map { r in
                    .object([
                        "id": .string(r.id), "name": .string(r.name), "verdict": .string(r.verdict),
                        "reasons": .array(r.reasons.map { .string($0.rawValue) }),
                    ])
                }),
            "unlocated": .array(scope.unlocated.map { .string($0) }),
        ])
    }

    /// One candidature: its check (without the layers, given once at the top) and its verdict,
    /// or its error; its Démarches Simplifiées dossier when it comes from one.
    private static func territoryValue(_ t: AuditResult.Outcome) -> JSONValue {
        var v: JSONObject
        if let r = t.result {
            guard case .object(let o) = JSONReport.value(r) else { return .null }
            v = o
            v["verdict"] = .string(t.verdict.rawValue)
            v["layers"] = nil  // given once, at the top
        } else {
            v = [
                "id": .string(t.id), "name": .string(t.name), "verdict": .string(t.verdict.rawValue),
                "error": .string(t.error ?? ""),
                "error_code": .string(t.errorCode ?? "analysis_failed"),
            ]
        }
        if let d = t.dossier {
            v["dossier"] = .object([
                "number": .string(d.number), "state": d.state.map { .string($0) } ?? .null,
                "deposited_at": d.depositedAt.map { .string($0) } ?? .null,
            ])
        }
        return .object(v)
    }

    private static func crteValue(_ c: AuditResult.CRTECoverage) -> JSONValue {
        .object([
            "layer": .string(c.layer), "id": .string(c.id), "name": .string(c.name),
            "region": .string(c.region),
            "communes": .int(c.communes), "status": .string(c.status.rawValue),
            "split": .bool(c.status == .split), "uncovered": .bool(c.status == .uncovered),
            "candidatures": .array(
                c.candidatures.map {
                    .object([
                        "id": .string($0.candidature), "communes": .int($0.communes),
                        "whole": .bool($0.whole),
                    ])
                }),
            "uncovered_communes": .int(c.uncoveredCommunes),
            "unresolved_members": .array(c.unresolvedMembers.map { .string($0) }),
        ])
    }

    /// A région's counts; with a selection, its summary (verdicts, interrégionales, uncovered
    /// EPCI, CRTE by status).
    private static func regionValue(_ r: AuditResult.RegionCount, summary x: RegionSummary?) -> JSONValue {
        var v: JSONObject = [
            "code": .string(r.code), "name": .string(r.name), "candidatures": .int(r.candidatures),
            "layers": .object(JSONObject(r.layers.map { .init($0.layer, .int($0.count)) })),
        ]
        if let x {
            v["verdicts"] = .object(JSONObject(verdictOrder.map { .init($0, .int(x.verdicts[$0] ?? 0)) }))
            v["interregional"] = .int(x.interregional)
            v["uncovered_epci"] = .int(x.uncoveredEPCI)
            v["crte_status"] = .object(JSONObject(crteStatuses.map { .init($0.rawValue, .int(x.crte[$0] ?? 0)) }))
        }
        return .object(v)
    }

    /// One feature per analysed candidature; with a selection, the candidatures kept for a
    /// relation follow, with `in_selection: false` and their `relations`.
    public static func geojson(_ a: AuditResult, scope: AuditScope? = nil, precision: Int = 6) throws -> String {
        let selection = scope.map { !$0.isNational } ?? false
        let reasons = Dictionary((scope?.related ?? []).map { ($0.id, $0.reasons) }, uniquingKeysWith: { x, _ in x })
        let fs = (a.territories + (scope?.relatedOutcomes ?? [])).compactMap { t -> Feature? in
            guard let r = t.result else { return nil }
            var p: JSONObject = [
                "id": .string(t.id), "name": .string(t.name), "verdict": .string(t.verdict.rawValue),
                "area_km2": JSONReport.km2(r.figures.areaKm2), "population": .int(r.figures.population),
                "contiguous": .bool(r.contiguity.contiguous), "frontalier": .bool(r.border.frontalier),
                "findings": .array(r.findings.map { .string($0.rule.rawValue) }),
            ]
            if selection {
                let rel = reasons[t.id]
                p["in_selection"] = .bool(rel == nil)
                if let rel { p["relations"] = .array(rel.map { .string($0.rawValue) }) }
            }
            return Feature(properties: p, geometry: r.shapes.perimeter)
        }
        return try GeoJSONWriter(precision: precision).featureCollection(fs)
    }
}
