public import PerimetreAnalysis
import PerimetreGeometry

/// The audit's outputs: a French text summary (conflicts first), a CSV row per candidature,
/// JSON, GeoJSON and a self-contained HTML report.
public enum AuditReport {
    public static func text(_ a: AuditResult) -> String {
        var out = ""
        func line(_ s: String = "") { out += s + "\n" }
        line("Audit de \(a.territories.count) candidatures")
        line(String(repeating: "=", count: 40))
        line()
        for w in a.layerResolutions.compactMap(\.warning) { line("AVERTISSEMENT : \(w)"); line() }
        line("CONFLITS (membres revendiqués par plusieurs candidatures) : \(a.conflicts.count)")
        for c in a.conflicts { line("  - BLOQUANT : \(c.name) (\(c.code)) revendiqué par \(c.claimedBy.joined(separator: ", "))") }
        line()
        line("RECOUVREMENTS ENTRE CANDIDATURES : \(a.overlaps.count)")
        for o in a.overlaps { line("  - \(o.a) et \(o.b) : \(French.km2(o.areaKm2)), \(o.communes.count) commune(s)") }
        let failed = a.territories.filter { $0.result == nil }
        if !failed.isEmpty {
            line()
            line("CANDIDATURES NON ANALYSÉES : \(failed.count)")
            for f in failed { line("  - \(f.id) \(f.name)\(dossierLabel(f)) : \(f.error ?? "")") }
        }
        line()
        let verdicts = Dictionary(grouping: a.territories, by: \.verdict)
        line("VERDICTS : " + Verdict.allCases.map { "\($0.rawValue) \(verdicts[$0]?.count ?? 0)" }.joined(separator: ", "))
        for t in a.territories {
            guard let r = t.result else { continue }
            let main = r.findings.filter { $0.severity != .info }.countedLabels()
            for l in verdictRow(t.id, t.verdict.rawValue, t.name + dossierLabel(t), main) { line(l) }
        }
        let withRemedies = a.territories.filter { !($0.result?.remedies.isEmpty ?? true) }
        if !withRemedies.isEmpty {
            line()
            line("PISTES")
            for t in withRemedies {
                line("  \(t.id) \(t.name)")
                for x in t.result!.remedies { line("    - " + RemedyText.line(x)) }
            }
        }
        line()
        line("EPCI COUVERTS PAR AUCUNE CANDIDATURE : \(a.uncoveredEPCI.count)")
        for e in a.uncoveredEPCI.prefix(200) { line("  - \(e.code) \(e.name) (\(e.departements.joined(separator: ", ")))") }
        line()
        line("PAR RÉGION (région principale de chaque candidature)")
        for r in a.regions {
            let layers = r.layers.map { "\($0.layer) : \($0.count)" }.joined(separator: ", ")
            line("  \(r.code) \(r.name) : \(r.candidatures) candidature(s)" + (layers.isEmpty ? "" : " — \(layers)"))
        }
        if !a.crte.isEmpty {
            line()
            let by = Dictionary(grouping: a.crte, by: \.status)
            line("CRTE DES RÉGIONS AUDITÉES : \(a.crte.count) — " + [AuditResult.CRTECoverage.Status.covered, .partial, .split, .uncovered]
                .map { "\(crteStatusFR($0)) \(by[$0]?.count ?? 0)" }.joined(separator: ", "))
            for c in a.crte {
                let covers = c.candidatures.map { "\($0.candidature) (\($0.communes)/\(c.communes) communes\($0.whole ? ", entier" : ""))" }
                var s = "  \(c.id) \(c.name) [\(c.region)] : \(crteStatusFR(c.status))"
                if !covers.isEmpty { s += " — " + covers.joined(separator: ", ") }
                if c.uncoveredCommunes > 0 && c.status != .uncovered { s += " ; \(c.uncoveredCommunes) commune(s) hors candidature" }
                if !c.unresolvedMembers.isEmpty { s += " ; membres non compris : \(c.unresolvedMembers.joined(separator: ", "))" }
                line(s)
            }
        }
        if !a.layerResolutions.isEmpty {
            line()
            line("COUCHES COMPARÉES")
            for l in a.layerResolutions { for s in TextReport.layerLines(l) { line("  " + s) } }
        }
        return out
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

    static let crteCSVColumns = ["layer", "id", "name", "region", "communes", "status", "candidatures", "uncovered_communes", "unresolved_members"]

    /// The CRTE table as CSV: one row per CRTE of the régions audited (`candidatures`: `id:communes`
    /// separated by spaces, the largest first).
    public static func crteCSV(_ a: AuditResult) -> String {
        var out = crteCSVColumns.joined(separator: ",") + "\n"
        for c in a.crte {
            let cells = [c.layer, c.id, c.name, c.region, String(c.communes), c.status.rawValue,
                         c.candidatures.map { "\($0.candidature):\($0.communes)" }.joined(separator: " "),
                         String(c.uncoveredCommunes), c.unresolvedMembers.joined(separator: " ")]
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

    static let csvColumns = ["id", "name", "verdict", "members", "unresolved", "area_km2", "population", "communes", "epci",
                             "contiguous", "components", "enclaves", "interdepartemental", "interregional", "frontalier",
                             "neighbours", "conflicts", "crte_aligned", "findings", "error", "crte_whole", "crte_shared"]

    public static func csv(_ a: AuditResult) -> String {
        // Columns of the Démarches Simplifiées dossier only when candidatures come from one.
        let ds = a.territories.contains { $0.dossier != nil }
        var out = (csvColumns + (ds ? ["ds_state", "ds_deposited_at"] : [])).joined(separator: ",") + "\n"
        for t in a.territories {
            let r = t.result
            var cells: [String] = [
                t.id, t.name, t.verdict.rawValue, r.map { String($0.members.count) } ?? "", r.map { String($0.unresolved.count) } ?? "",
                r.map { fixed($0.figures.areaKm2, 3) } ?? "", r.map { String($0.figures.population) } ?? "",
                r.map { String($0.figures.communeCount) } ?? "", r.map { String($0.figures.epciCount) } ?? "",
                r.map { $0.contiguity.contiguous ? "true" : "false" } ?? "", r.map { String($0.contiguity.components.count) } ?? "",
                r.map { String($0.enclaves.count) } ?? "", r.map { $0.span.interdepartemental ? "true" : "false" } ?? "",
                r.map { $0.span.interregional ? "true" : "false" } ?? "", r.map { $0.border.frontalier ? "true" : "false" } ?? "",
                r.map { $0.border.neighbours.map(\.code).joined(separator: " ") } ?? "",
                String(a.conflicts.filter { $0.claimedBy.contains(t.id) }.count),
                r.map { $0.crte.isEmpty ? "" : ($0.crte.allSatisfy(\.aligned) ? "true" : "false") } ?? "",
                r.map { $0.findings.map(\.rule.rawValue).joined(separator: " ") } ?? "", t.error ?? "",
                a.crte.filter { c in c.status == .covered && c.candidatures[0].candidature == t.id }.map(\.id).joined(separator: " "),
                a.crte.filter { c in c.status != .covered && c.candidatures.contains { $0.candidature == t.id } }.map(\.id).joined(separator: " "),
            ]
            if ds { cells += [t.dossier?.state ?? "", t.dossier?.depositedAt ?? ""] }
            out += cells.map(quote).joined(separator: ",") + "\n"
        }
        return out
    }

    static func quote(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    static func fixed(_ v: Double, _ d: Int) -> String { String(format: "%.\(d)f", v) }

    public static func json(_ a: AuditResult) throws -> String {
        var o = JSONObject()
        o["schema"] = "perimetre/audit/1"
        o["layers"] = .array(a.layerResolutions.map(JSONReport.layer))
        o["territories"] = .array(a.territories.map { t in
            var v: JSONObject
            if let r = t.result {
                guard case .object(let o) = JSONReport.value(r) else { return .null }
                v = o
                v["verdict"] = .string(t.verdict.rawValue)
                v["layers"] = nil   // given once, at the top
            } else {
                v = ["id": .string(t.id), "name": .string(t.name), "verdict": .string(t.verdict.rawValue), "error": .string(t.error ?? ""),
                     "error_code": .string(t.errorCode ?? "analysis_failed")]
            }
            if let d = t.dossier {
                v["dossier"] = .object(["number": .string(d.number), "state": d.state.map { .string($0) } ?? .null,
                                        "deposited_at": d.depositedAt.map { .string($0) } ?? .null])
            }
            return .object(v)
        })
        o["conflicts"] = .array(a.conflicts.map { .object(["code": .string($0.code), "name": .string($0.name),
                                                           "claimed_by": .array($0.claimedBy.map { .string($0) })]) })
        o["overlaps"] = .array(a.overlaps.map { .object(["a": .string($0.a), "b": .string($0.b), "area_km2": JSONReport.km2($0.areaKm2),
                                                         "communes": .array($0.communes.map { .string($0) })]) })
        o["uncovered_epci"] = .array(a.uncoveredEPCI.map { .object(["code": .string($0.code), "name": .string($0.name),
                                                                    "departements": .array($0.departements.map { .string($0) })]) })
        o["crte"] = .array(a.crte.map { c in
            .object(["layer": .string(c.layer), "id": .string(c.id), "name": .string(c.name), "region": .string(c.region),
                     "communes": .int(c.communes), "status": .string(c.status.rawValue),
                     "split": .bool(c.status == .split), "uncovered": .bool(c.status == .uncovered),
                     "candidatures": .array(c.candidatures.map { .object(["id": .string($0.candidature), "communes": .int($0.communes),
                                                                          "whole": .bool($0.whole)]) }),
                     "uncovered_communes": .int(c.uncoveredCommunes),
                     "unresolved_members": .array(c.unresolvedMembers.map { .string($0) })])
        })
        o["regions"] = .array(a.regions.map { r in
            .object(["code": .string(r.code), "name": .string(r.name), "candidatures": .int(r.candidatures),
                     "layers": .object(JSONObject(r.layers.map { .init($0.layer, .int($0.count)) }))])
        })
        return try JSONWriter(pretty: true).string(.object(o)) + "\n"
    }

    public static func geojson(_ a: AuditResult, precision: Int = 6) throws -> String {
        let fs = a.territories.compactMap { t -> Feature? in
            guard let r = t.result else { return nil }
            return Feature(properties: ["id": .string(t.id), "name": .string(t.name), "verdict": .string(t.verdict.rawValue),
                                        "area_km2": JSONReport.km2(r.figures.areaKm2), "population": .int(r.figures.population),
                                        "contiguous": .bool(r.contiguity.contiguous), "frontalier": .bool(r.border.frontalier),
                                        "findings": .array(r.findings.map { .string($0.rule.rawValue) })],
                           geometry: r.shapes.perimeter)
        }
        return try GeoJSONWriter(precision: precision).featureCollection(fs)
    }

    static let verdictColors = ["bloquant": "#c62828", "attention": "#e07b00", "conforme": "#2a9d5c", "erreur": "#777777"]

    public static func html(_ a: AuditResult) -> String {
        let results = a.territories.compactMap(\.result)
        var frame = results.reduce(Envelope.empty) { $0.union($1.shapes.perimeter.envelope) }
        if frame.isEmpty { frame = Envelope(minX: -5, minY: 42, maxX: 8, maxY: 51) }
        var map = SVGMap(frame: frame.expanded(by: max(frame.width, frame.height) * 0.03), width: 900, height: 820)
        for t in a.territories {
            guard let r = t.result else { continue }
            map.add(r.shapes.perimeter, "fill=\"\(verdictColors[t.verdict.rawValue]!)\" fill-opacity=\"0.6\" stroke=\"#1b2a3a\" stroke-width=\"0.6\" fill-rule=\"evenodd\"",
                    title: "\(t.id) \(t.name) — \(t.verdict.rawValue)")
        }
        var h = """
        <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Audit des candidatures</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:0;color:#1b2a3a;background:#fafbfc}header{background:#1b2a3a;color:#fff;padding:14px 24px}
        main{display:grid;grid-template-columns:minmax(400px,1fr) minmax(420px,1fr);gap:20px;padding:20px}@media(max-width:1100px){main{grid-template-columns:1fr}}
        svg{width:100%;height:auto;border:1px solid #d5dde4;border-radius:6px}
        table{border-collapse:collapse;width:100%;background:#fff;font-size:.9em}td,th{border:1px solid #d5dde4;padding:4px 6px;text-align:left}
        th{background:#eef3f7;cursor:pointer;user-select:none}th:after{content:" ⇅";color:#9ab}
        .v{display:inline-block;padding:1px 6px;border-radius:4px;color:#fff;font-size:.85em}
        .box{background:#fff;border:1px solid #d5dde4;border-radius:6px;padding:8px 12px;margin-bottom:12px}
        </style></head><body><header><h1 style="margin:0;font-size:1.3em">Audit de \(a.territories.count) candidatures</h1></header><main><section>
        \(map.svg())
        <p>
        """
        for v in ["bloquant", "attention", "conforme", "erreur"] {
            h += "<span class=\"v\" style=\"background:\(verdictColors[v]!)\">\(v)</span> "
        }
        h += "</p></section><section>\n"
        for w in a.layerResolutions.compactMap(\.warning) {
            h += "<div class=\"box\" style=\"border-left:5px solid #e07b00\"><b>Avertissement :</b> \(HTMLReport.escape(w))</div>\n"
        }
        h += "<div class=\"box\"><b>Conflits (bloquant) : \(a.conflicts.count)</b><ul>"
        for c in a.conflicts { h += "<li>\(HTMLReport.escape(c.name)) (\(c.code)) — \(c.claimedBy.joined(separator: ", "))</li>" }
        h += "</ul><b>Recouvrements entre candidatures : \(a.overlaps.count)</b><ul>"
        for o in a.overlaps { h += "<li>\(o.a) / \(o.b) : \(French.km2(o.areaKm2))</li>" }
        h += "</ul><b>EPCI non couverts : \(a.uncoveredEPCI.count)</b></div>\n"
        h += "<table id=\"t\"><thead><tr><th>Id</th><th>Nom</th><th>Verdict</th><th>Surface (km²)</th><th>Population</th><th>EPCI</th><th>Contigu</th><th>Constats</th><th>Pistes</th></tr></thead><tbody>\n"
        for t in a.territories {
            let r = t.result
            h += "<tr><td>\(HTMLReport.escape(t.id))</td><td>\(HTMLReport.escape(t.name + dossierLabel(t)))</td>"
            h += "<td><span class=\"v\" style=\"background:\(verdictColors[t.verdict.rawValue]!)\">\(t.verdict.rawValue)</span></td>"
            h += "<td data-v=\"\(r.map { fixed($0.figures.areaKm2, 1) } ?? "0")\">\(r.map { French.number($0.figures.areaKm2, 1) } ?? "")</td>"
            h += "<td data-v=\"\(r?.figures.population ?? 0)\">\(r.map { French.int($0.figures.population) } ?? "")</td>"
            h += "<td>\(r?.figures.epciCount ?? 0)</td><td>\(r.map { $0.contiguity.contiguous ? "oui" : "non" } ?? "")</td>"
            h += "<td>\(HTMLReport.escape(r.map { $0.findings.filter { $0.severity != .info }.countedLabels() } ?? (t.error ?? "")))</td>"
            h += "<td>\((r?.remedies ?? []).map { HTMLReport.escape(RemedyText.line($0)) }.joined(separator: "<br>"))</td></tr>\n"
        }
        h += "</tbody></table>\n"
        if !a.crte.isEmpty {
            let colors: [AuditResult.CRTECoverage.Status: String] = [.covered: "#2a9d5c", .partial: "#e07b00", .split: "#b8336a", .uncovered: "#777777"]
            h += "<h2>CRTE des régions auditées (\(a.crte.count))</h2>\n<table id=\"crte\"><thead><tr><th>CRTE</th><th>Nom</th><th>Région</th><th>Statut</th><th>Candidatures</th><th>Communes hors candidature</th></tr></thead><tbody>\n"
            for c in a.crte {
                h += "<tr><td>\(HTMLReport.escape(c.id))</td><td>\(HTMLReport.escape(c.name))</td><td>\(c.region)</td>"
                h += "<td><span class=\"v\" style=\"background:\(colors[c.status]!)\">\(crteStatusFR(c.status))</span></td>"
                h += "<td>\(HTMLReport.escape(c.candidatures.map { "\($0.candidature) (\($0.communes)/\(c.communes))" }.joined(separator: ", ")))</td>"
                h += "<td data-v=\"\(c.uncoveredCommunes)\">\(c.uncoveredCommunes)</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        h += """
        </section></main>
        <script>
        document.querySelectorAll('#t th').forEach((th,i)=>th.addEventListener('click',()=>{
          const tb=document.querySelector('#t tbody');const rows=[...tb.rows];const asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
          const key=r=>{const c=r.cells[i];return c.dataset.v!==undefined?parseFloat(c.dataset.v):c.textContent.trim().toLowerCase()};
          rows.sort((a,b)=>{const x=key(a),y=key(b);return (x>y?1:x<y?-1:0)*(asc?1:-1)});rows.forEach(r=>tb.appendChild(r));}));
        </script>
        <footer style="padding:8px 24px;color:#5f7f8f;font-size:.85em">Sources : IGN ADMIN EXPRESS et INSEE COG 2026 (Licence Ouverte 2.0), Natural Earth (domaine public).</footer>
        </body></html>

        """
        return h
    }
}
