import Foundation
public import PerimetreAnalysis
import PerimetreGeometry

extension AuditReport {
    /// The colour of each verdict: the poster's (Okabe–Ito, never red against green), so that the
    /// table's badges match the map.
    static let verdictColors: [String: String] = Dictionary(
        uniqueKeysWithValues: PosterPalette.verdicts.map { ($0.verdict, $0.color) })

    /// One self-contained HTML report: the title (the selection's), the map (`map`: an SVG of
    /// ``AuditMap``, else a simple one of the perimeters), a summary, for a national report a table
    /// of the régions, the table of candidatures (short columns, grouped by main région in a
    /// national report), each candidature's details with its own small map, the CRTE and the
    /// uncovered EPCI. Hovering a candidature on the map highlights it with its name; clicking it
    /// selects its row, and clicking a row shows it on the map. Printable on A4 landscape.
    public static func html(_ a: AuditResult, scope: AuditScope? = nil, map: String? = nil) -> String {
        let esc = HTMLReport.escape
        let title = scope?.title ?? "Audit de \(a.territories.count) candidatures"
        let national = scope?.isNational ?? false
        var h = """
            <!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
            <title>\(esc(title))</title>
            <style>
            \(css)
            """
        // Candidatures kept for a relation only: pale on the map.
        for r in scope?.related ?? [] { h += "#map path.territory[data-id=\"\(esc(r.id))\"]{fill-opacity:.35}\n" }
        h += "</style></head><body>\n<header><h1>\(esc(title))</h1>"
        if let scope, !scope.isNational {
            h +=
                "<p>Candidatures ayant au moins une commune dans \(esc(scope.label)) ; les autres n'apparaissent qu'en lien avec elles (conflit, recouvrement, CRTE partagé).</p>"
        }
        h += "</header>\n<main>\n<div class=\"top\"><section id=\"map\" aria-label=\"Carte\">\n"
        h += map.map(inlineSVG) ?? simpleMap(a)
        h += "<div id=\"tip\" role=\"status\" aria-live=\"polite\"></div>"
        if let scope, !scope.isNational {
            h +=
                "<p class=\"note\">Trait épais : \(esc(scope.label)) ; traits fins gris : les EPCI."
                + (scope.related.isEmpty
                    ? "" : " En pâle : les candidatures hors sélection citées pour un lien avec elle.") + "</p>"
        }
        h +=
            "<p class=\"note\">Survoler une candidature affiche son nom ; un clic la retrouve dans le tableau, un clic sur une ligne la montre sur la carte.</p>"

        h += "</section>\n<section class=\"summary\">\n"
        h += summary(a, scope: scope)
        h += "</section></div>\n"
        if national { h += regionTable(a) }
        h += candidatureTable(a, national: national)
        h += details(a)
        h += crteTable(a)
        if !a.uncoveredEPCI.isEmpty {
            h +=
                "<h2>EPCI couverts par aucune candidature (\(a.uncoveredEPCI.count))</h2>\n<details class=\"list\"><summary>Afficher la liste</summary><ul class=\"cols\">"
            for e in a.uncoveredEPCI {
                h += "<li>\(e.code) \(esc(e.name)) (\(e.departements.joined(separator: ", ")))</li>"
            }
            h += "</ul></details>\n"
        }
        h += """
            </main>
            <script>
            \(script)
            </script>
            <footer>Sources : IGN ADMIN EXPRESS et INSEE COG 2026 (Licence Ouverte 2.0), Natural Earth (domaine public).</footer>
            </body></html>

            """
        return h
    }

    static let css = """
        *{box-sizing:border-box}body{font-family:system-ui,sans-serif;margin:0;color:#1b2a3a;background:#fafbfc}
        header{background:#1b2a3a;color:#fff;padding:12px 20px}header h1{margin:0;font-size:1.3em}header p{margin:4px 0 0;font-size:.9em;color:#d5dde4}
        main{padding:16px 20px;max-width:1600px}h2{font-size:1.1em;margin:20px 0 8px}
        .top{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr);gap:16px;align-items:start}@media(max-width:1000px){.top{grid-template-columns:minmax(0,1fr)}}
        #map{position:relative}#map svg{width:100%;height:auto;border:1px solid #d5dde4;border-radius:6px;background:#fff;display:block}
        #map svg path:not(.territory),#map svg text,#map svg rect{pointer-events:none}#map path.territory{cursor:pointer}
        #map path.territory.hl,#map path.territory.sel{stroke:#000;stroke-width:2.5px;vector-effect:non-scaling-stroke}
        #tip{position:absolute;left:8px;bottom:8px;background:#1b2a3a;color:#fff;padding:3px 8px;border-radius:4px;font-size:.85em;display:none;max-width:90%}
        .note{font-size:.85em;color:#55616b;margin:4px 0}
        .box{background:#fff;border:1px solid #d5dde4;border-radius:6px;padding:8px 12px;margin-bottom:10px;font-size:.92em}.box ul{margin:4px 0 6px;padding-left:18px}
        table{border-collapse:collapse;width:100%;background:#fff;font-size:.86em;table-layout:fixed}
        td,th{border:1px solid #d5dde4;padding:3px 5px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
        th{background:#eef3f7;font-weight:600;overflow-wrap:normal}#t thead th{cursor:pointer;user-select:none}#t thead th:after{content:" ⇅";color:#9ab}
        td.n{text-align:right;font-variant-numeric:tabular-nums}#t tbody tr{cursor:pointer}#t tbody tr.hl,#t tbody tr.sel{background:#fff4d6}
        tr.grp th{background:#dfe8ef;text-align:left;cursor:default}
        .v{display:inline-block;padding:1px 5px;border-radius:4px;color:#fff;font-size:.9em;white-space:nowrap}
        .v.attention{color:#1b2a3a}a.more{font-size:.85em;margin-left:4px;color:#2f6db3}
        details.cand{background:#fff;border:1px solid #d5dde4;border-radius:6px;margin:6px 0;padding:4px 10px}details.cand summary{cursor:pointer;font-weight:600}
        .det{display:grid;grid-template-columns:240px minmax(0,1fr);gap:12px;margin:6px 0}.det svg{width:240px;height:auto;border:1px solid #d5dde4}
        .det ul{margin:2px 0 6px;padding-left:18px}ul.cols{columns:3 260px;font-size:.88em}
        footer{padding:8px 20px;color:#5f7f8f;font-size:.85em}
        @page{size:A4 landscape;margin:10mm}
        @media print{body{background:#fff;font-size:10pt}header{background:none;color:#000;padding:0 0 6px}header p{color:#333}main{padding:0;max-width:none}
        .top{grid-template-columns:minmax(0,3fr) minmax(0,2fr)}#map{break-inside:avoid}#tip,a.more{display:none}#t thead th:after{content:""}
        details.cand{break-inside:avoid}table{font-size:8.5pt}tr{break-inside:avoid}}

        """

    /// The page's behaviour: sorting, hover and selection between the map and the table.
    static let script = """
        const rows={},paths={};
        document.querySelectorAll('#t tbody tr[data-id]').forEach(r=>rows[r.dataset.id]=r);
        document.querySelectorAll('#map path.territory').forEach(p=>(paths[p.dataset.id]=paths[p.dataset.id]||[]).push(p));
        const tip=document.getElementById('tip');
        function label(id){const p=(paths[id]||[])[0];const t=p&&p.querySelector('title');return t?t.textContent:id}
        function hl(id,on){(paths[id]||[]).forEach(p=>{p.classList.toggle('hl',on);if(on)p.parentNode.appendChild(p)});if(rows[id])rows[id].classList.toggle('hl',on);
          tip.style.display=on?'block':'none';if(on)tip.textContent=label(id)}
        let current=null;
        function select(id,from){if(current){(paths[current]||[]).forEach(p=>p.classList.remove('sel'));if(rows[current])rows[current].classList.remove('sel')}
          current=id;(paths[id]||[]).forEach(p=>{p.classList.add('sel');p.parentNode.appendChild(p)});if(rows[id])rows[id].classList.add('sel');
          if(from==='map'&&rows[id])rows[id].scrollIntoView({block:'center'});if(from==='table')document.getElementById('map').scrollIntoView({block:'nearest'});
          tip.style.display='block';tip.textContent=label(id)}
        Object.keys(paths).forEach(id=>paths[id].forEach(p=>{p.addEventListener('mouseenter',()=>hl(id,true));p.addEventListener('mouseleave',()=>hl(id,false));
          p.addEventListener('click',()=>select(id,'map'))}));
        Object.keys(rows).forEach(id=>{const r=rows[id];r.addEventListener('mouseenter',()=>hl(id,true));r.addEventListener('mouseleave',()=>hl(id,false));
          r.addEventListener('click',e=>{if(e.target.closest('a'))return;select(id,'table')})});
        document.querySelectorAll('#t thead th').forEach((th,i)=>th.addEventListener('click',()=>{
          const asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
          const key=r=>{const c=r.cells[i];return c.dataset.v!==undefined?parseFloat(c.dataset.v):c.textContent.trim().toLowerCase()};
          document.querySelectorAll('#t tbody').forEach(tb=>{const rs=[...tb.querySelectorAll('tr[data-id]')];
            rs.sort((a,b)=>{const x=key(a),y=key(b);return (x>y?1:x<y?-1:0)*(asc?1:-1)});rs.forEach(r=>tb.appendChild(r))})}));
        window.addEventListener('beforeprint',()=>document.querySelectorAll('details').forEach(d=>d.open=true));
        """

    /// The poster's SVG inside the page (no XML declaration; the page's CSS sizes it).
    static func inlineSVG(_ svg: String) -> String {
        var s = Substring(svg)
        if s.hasPrefix("<?xml"), let end = s.firstIndex(of: "\n") { s = s[s.index(after: end)...] }
        return String(s)
    }

    /// Without the reference data's background: the perimeters on a plain frame.
    static func simpleMap(_ a: AuditResult) -> String {
        var frame = a.territories.compactMap(\.result).reduce(Envelope.empty) { $0.union($1.shapes.perimeter.envelope) }
        if frame.isEmpty { frame = Envelope(minX: -5, minY: 42, maxX: 8, maxY: 51) }
        var map = SVGMap(frame: frame.expanded(by: max(frame.width, frame.height) * 0.03), width: 900, height: 820)
        for t in a.territories {
            guard let r = t.result else { continue }
            let p = map.path(r.shapes.perimeter)
            if p.isEmpty { continue }
            map.layers.append(
                "<path class=\"territory\" data-id=\"\(HTMLReport.escape(t.id))\" d=\"\(p)\" fill=\"\(verdictColors[t.verdict.rawValue] ?? "#999999")\" fill-opacity=\"0.7\" stroke=\"#1b2a3a\" stroke-width=\"0.6\" fill-rule=\"evenodd\"><title>\(HTMLReport.escape("\(t.id) \(t.name) — \(t.verdict.rawValue)"))</title></path>"
            )
        }
        return map.svg()
    }

    static func badge(_ verdict: String) -> String {
        "<span class=\"v \(verdict)\" style=\"background:\(verdictColors[verdict] ?? "#999999")\">\(verdict)</span>"
    }

    static func summary(_ a: AuditResult, scope: AuditScope?) -> String {
        let esc = HTMLReport.escape
        var h = ""
        for w in a.layerResolutions.compactMap(\.warning) {
            h += "<div class=\"box\" style=\"border-left:5px solid #E69F00\"><b>Avertissement :</b> \(esc(w))</div>\n"
        }
        let by = Dictionary(grouping: a.territories, by: \.verdict)
        h +=
            "<div class=\"box\"><b>Verdicts</b> : "
            + verdictOrder.map { "\(badge($0)) \(by[Verdict(rawValue: $0)!]?.count ?? 0)" }.joined(separator: " ")
        if let scope, !scope.isNational, scope.reachingOut > 0 {
            h += "<br>Débordant de la sélection : \(scope.reachingOut)"
        }
        h += "</div>\n<div class=\"box\"><b>Conflits (bloquant) : \(a.conflicts.count)</b><ul>"
        for c in a.conflicts { h += "<li>\(esc(c.name)) (\(c.code)) — \(c.claimedBy.joined(separator: ", "))</li>" }
        h += "</ul><b>Recouvrements entre candidatures : \(a.overlaps.count)</b><ul>"
        for o in a.overlaps { h += "<li>\(o.a) / \(o.b) : \(French.km2(o.areaKm2))</li>" }
        h += "</ul><b>EPCI couverts par aucune candidature : \(a.uncoveredEPCI.count)</b>"
        if !a.crte.isEmpty {
            let st = Dictionary(grouping: a.crte, by: \.status)
            h +=
                "<br><b>CRTE : \(a.crte.count)</b> — "
                + crteStatuses.map { "\(crteStatusFR($0)) \(st[$0]?.count ?? 0)" }.joined(separator: ", ")
        }
        h += "</div>\n"
        if let scope, !scope.related.isEmpty {
            h += "<div class=\"box\"><b>Candidatures hors sélection citées : \(scope.related.count)</b><ul>"
            for r in scope.related {
                h +=
                    "<li>\(esc(r.id)) \(esc(r.name)) \(badge(r.verdict)) — \(r.reasons.map(\.label).joined(separator: ", "))</li>"
            }
            h += "</ul></div>\n"
        }
        if let scope, !scope.unlocated.isEmpty, !scope.isNational {
            h +=
                "<div class=\"box\"><b>Non analysées, non localisables :</b> \(esc(scope.unlocated.joined(separator: ", ")))</div>\n"
        }
        let failed = a.territories.filter { $0.result == nil }
        if !failed.isEmpty {
            h += "<div class=\"box\"><b>Candidatures non analysées : \(failed.count)</b><ul>"
            for f in failed { h += "<li>\(esc(f.id)) \(esc(f.name)) : \(esc(f.error ?? ""))</li>" }
            h += "</ul></div>\n"
        }
        return h
    }

    /// National report: one row per région.
    static func regionTable(_ a: AuditResult) -> String {
        let crte = !a.crte.isEmpty
        var h =
            "<h2>Par région (région principale de chaque candidature)</h2>\n<table id=\"region-table\"><thead><tr><th style=\"width:22%\">Région</th><th>Candi&shy;datures</th>"
        h += verdictOrder.map { "<th>\($0)</th>" }.joined() + "<th>Interré&shy;gionales</th><th>EPCI non couverts</th>"
        if crte { h += "<th>CRTE couverts</th><th>en partie</th><th>partagés</th><th>non couverts</th>" }
        h += "</tr></thead><tbody>\n"
        for r in regionSummaries(a) {
            h +=
                "<tr><td><a href=\"#g-\(r.code)\">\(r.code) \(HTMLReport.escape(r.name))</a></td><td class=\"n\">\(r.candidatures.count)</td>"
            h += verdictOrder.map { "<td class=\"n\">\(r.verdicts[$0] ?? 0)</td>" }.joined()
            h += "<td class=\"n\">\(r.interregional)</td><td class=\"n\">\(r.uncoveredEPCI)</td>"
            if crte {
                h += crteStatuses.map { "<td class=\"n\">\(r.crte[$0] ?? 0)</td>" }.joined()
            }
            h += "</tr>\n"
        }
        return h + "</tbody></table>\n"
    }

    /// The candidatures: short columns that fit the page; grouped by main région when national.
    static func candidatureTable(_ a: AuditResult, national: Bool) -> String {
        var h =
            "<h2>Candidatures (\(a.territories.count))</h2>\n<table id=\"t\"><colgroup><col style=\"width:7%\"><col style=\"width:24%\"><col style=\"width:9%\">"
        h +=
            "<col style=\"width:8%\"><col style=\"width:9%\"><col style=\"width:5%\"><col style=\"width:7%\"><col style=\"width:31%\"></colgroup>\n"
        h +=
            "<thead><tr><th>Id</th><th>Nom</th><th>Verdict</th><th>Surface (km²)</th><th>Population</th><th>EPCI</th><th>Contigu</th><th>Constats</th></tr></thead>\n"
        if national {
            let byID = Dictionary(a.territories.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
            var placed = Set<String>()
            for r in regionSummaries(a) where !r.candidatures.isEmpty {
                h +=
                    "<tbody id=\"g-\(r.code)\"><tr class=\"grp\"><th colspan=\"8\">\(r.code) \(HTMLReport.escape(r.name)) — \(r.candidatures.count) candidature\(r.candidatures.count > 1 ? "s" : "")</th></tr>\n"
                for id in r.candidatures {
                    if let t = byID[id] {
                        h += row(t)
                        placed.insert(id)
                    }
                }
                h += "</tbody>\n"
            }
            let rest = a.territories.filter { !placed.contains($0.id) }
            if !rest.isEmpty {
                h +=
                    "<tbody id=\"g-none\"><tr class=\"grp\"><th colspan=\"8\">Non localisées</th></tr>\n"
                    + rest.map(row).joined() + "</tbody>\n"
            }
        } else {
            h += "<tbody>\n" + a.territories.map(row).joined() + "</tbody>\n"
        }
        return h + "</table>\n"
    }

    static func row(_ t: AuditResult.Outcome) -> String {
        let esc = HTMLReport.escape
        let r = t.result
        var h =
            "<tr data-id=\"\(esc(t.id))\"><td>\(esc(t.id))</td><td>\(esc(t.name + dossierLabel(t)))<a class=\"more\" href=\"#d-\(esc(t.id))\">détails</a></td>"
        h += "<td data-v=\"\(verdictOrder.firstIndex(of: t.verdict.rawValue) ?? 9)\">\(badge(t.verdict.rawValue))</td>"
        h +=
            "<td class=\"n\" data-v=\"\(r.map { fixed($0.figures.areaKm2, 1) } ?? "0")\">\(r.map { French.number($0.figures.areaKm2, 0) } ?? "")</td>"
        h +=
            "<td class=\"n\" data-v=\"\(r?.figures.population ?? 0)\">\(r.map { French.int($0.figures.population) } ?? "")</td>"
        h +=
            "<td class=\"n\" data-v=\"\(r?.figures.epciCount ?? 0)\">\(r?.figures.epciCount ?? 0)</td><td>\(r.map { $0.contiguity.contiguous ? "oui" : "non" } ?? "")</td>"
        h += "<td>\(esc(r.map { findingLabels($0).joined(separator: ", ") } ?? "erreur d'analyse"))</td></tr>\n"
        return h
    }

    /// Each candidature's details: its own small map, figures, every finding in full, the pistes.
    static func details(_ a: AuditResult) -> String {
        let esc = HTMLReport.escape
        var h = "<h2>Détail des candidatures</h2>\n"
        for t in a.territories {
            h +=
                "<details class=\"cand\" id=\"d-\(esc(t.id))\"><summary>\(esc(t.id)) \(esc(t.name + dossierLabel(t))) \(badge(t.verdict.rawValue))</summary><div class=\"det\">"
            guard let r = t.result else {
                h += "<div></div><div>Analyse impossible : \(esc(t.error ?? ""))</div></div></details>\n"
                continue
            }
            h += smallMap(r, color: verdictColors[t.verdict.rawValue] ?? "#999999")
            h +=
                "<div><p>\(French.km2(r.figures.areaKm2)), \(French.int(r.figures.population)) habitants, \(r.figures.communeCount) communes, \(r.figures.epciCount) EPCI"
            h += " ; départements : " + r.span.departements.map { "\($0.name) (\($0.code))" }.joined(separator: ", ")
            h += " ; régions : " + r.span.regions.map(\.name).joined(separator: ", ") + "</p>"
            let fs = r.findings.sorted { $0.severity > $1.severity }
            if !fs.isEmpty {
                h += "<b>Constats</b><ul>"
                for f in fs {
                    h +=
                        "<li><b>\(esc(French.severity(f.severity.rawValue)))</b> — \(esc(capitalised(f.rule.label)))\(f.faq.map { " (FAQ \($0))" } ?? "") : \(esc(f.message))</li>"
                }
                h += "</ul>"
            }
            if !r.remedies.isEmpty {
                h += "<b>Pistes</b><ul>" + r.remedies.map { "<li>\(esc(RemedyText.line($0)))</li>" }.joined() + "</ul>"
            }
            h += "</div></div></details>\n"
        }
        return h
    }

    /// A 240 × 180 map of one perimeter, its members outlined, simplified to half a pixel.
    static func smallMap(_ r: CheckResult, color: String) -> String {
        let frame = r.shapes.perimeter.envelope
        guard !frame.isEmpty else { return "<div></div>" }
        let map = SVGMap(frame: frame.expanded(by: max(frame.width, frame.height) * 0.04), width: 240, height: 180)
        func d(_ s: Shape) -> String {
            var out = ""
            for p in s.polygons {
                for ring in p {
                    let pts = PosterCanvas.douglasPeucker(
                        ring.map { c in
                            let (x, y) = map.point(c)
                            return Coordinate(x, y)
                        }, tolerance: 0.5)
                    guard pts.count > 3 else { continue }
                    for (i, q) in pts.enumerated() {
                        out +=
                            (i == 0 ? "M" : "L") + map.fmt((q.x * 10).rounded() / 10) + " "
                            + map.fmt((q.y * 10).rounded() / 10)
                    }
                    out += "Z"
                }
            }
            return out
        }
        var s =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 240 180\" role=\"img\" aria-label=\"Carte de \(HTMLReport.escape(r.name))\"><rect width=\"240\" height=\"180\" fill=\"#eef3f7\"/>"
        s +=
            "<path d=\"\(d(r.shapes.perimeter))\" fill=\"\(color)\" fill-opacity=\"0.7\" stroke=\"#1b2a3a\" stroke-width=\"0.8\" fill-rule=\"evenodd\"/>"
        let members = r.shapes.members.sorted { $0.key < $1.key }.map { d($0.value) }.joined()
        if !members.isEmpty { s += "<path d=\"\(members)\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"0.6\"/>" }
        return s + "</svg>"
    }

    static func crteTable(_ a: AuditResult) -> String {
        guard !a.crte.isEmpty else { return "" }
        let esc = HTMLReport.escape
        let colors: [AuditResult.CRTECoverage.Status: String] = [
            .covered: "#0072B2", .partial: "#E69F00", .split: "#D55E00", .uncovered: "#999999",
        ]
        var h =
            "<h2>CRTE des régions auditées (\(a.crte.count))</h2>\n<table id=\"crte\"><colgroup><col style=\"width:12%\"><col style=\"width:30%\"><col style=\"width:7%\"><col style=\"width:13%\"><col style=\"width:28%\"><col style=\"width:10%\"></colgroup>"
        h +=
            "<thead><tr><th>CRTE</th><th>Nom</th><th>Région</th><th>Statut</th><th>Candidatures</th><th>Communes hors candidature</th></tr></thead><tbody>\n"
        for c in a.crte {
            h += "<tr><td>\(esc(c.id))</td><td>\(esc(c.name))</td><td>\(c.region)</td>"
            h += "<td><span class=\"v\" style=\"background:\(colors[c.status]!)\">\(crteStatusFR(c.status))</span></td>"
            h +=
                "<td>\(esc(c.candidatures.map { "\($0.candidature) (\($0.communes)/\(c.communes))" }.joined(separator: ", ")))</td>"
            h += "<td class=\"n\">\(c.uncoveredCommunes)</td></tr>\n"
        }
        return h + "</tbody></table>\n"
    }
}
