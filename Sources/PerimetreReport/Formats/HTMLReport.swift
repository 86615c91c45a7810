public import PerimetreAnalysis
import PerimetreGeometry

/// One self-contained HTML file (no network needed): the French report and an inline SVG map
/// with the members coloured by component, enclaves, neighbouring EPCI and the land border.
public enum HTMLReport {
    static let palette = ["#2f6db3", "#e07b00", "#b8336a", "#2a9d5c", "#7b52ab", "#c9a400", "#5f7f8f"]

    /// The HTML report of one perimeter (French text and an SVG map), one self-contained file.
    public static func render(_ r: CheckResult) -> String {
        let title = r.name.isEmpty ? (r.id.isEmpty ? "Périmètre sans nom" : "Périmètre \(r.id)") : r.name
        var h = """
            <!DOCTYPE html>
            <html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) — analyse de périmètre</title>
            <style>
            \(ReportAssets.css)</style></head><body>
            <header><h1>\(escape(title))</h1><p>Analyse de périmètre Territoire d'industrie\(r.id.isEmpty ? "" : " — " + escape(r.id))</p></header>
            <main><section>
            \(map(r).svg())
            <p class="legend">
            """
        legend(r, into: &h)
        h += "</p>\n</section><section>\n"
        figures(r, into: &h)
        findings(r, into: &h)
        tables(r, into: &h)
        h +=
            "</section></main>\n<footer>Sources : IGN ADMIN EXPRESS et INSEE COG 2026 (Licence Ouverte 2.0), Natural Earth (domaine public). Surfaces géodésiques (WGS84), distances en \(escape(r.metricCRS)). Produit par perimetre.</footer>\n</body></html>\n"
        return h
    }

    /// Margin around the perimeter on the map, as a share of its larger side.
    private static let mapMargin = 0.08

    /// The map: neighbouring EPCI, members by component, enclaves, the parts abroad, the EPCI a
    /// remedy adds, then the perimeter's outline and the land borders on top.
    private static func map(_ r: CheckResult) -> SVGMap {
        var frame = r.shapes.perimeter.envelope
        if let f = r.shapes.frenchPart { frame = frame.union(f.envelope) }
        frame = frame.expanded(by: max(frame.width, frame.height) * mapMargin)
        var map = SVGMap(frame: frame)
        for (code, s) in r.shapes.neighbourEPCI.sorted(by: { $0.key < $1.key }) where s.envelope.intersects(frame) {
            map.add(s, "fill=\"#ffffff\" stroke=\"#b9c3cc\" stroke-width=\"0.8\"", title: "EPCI voisin \(code)")
        }
        let component = Dictionary(
            r.contiguity.components.enumerated().flatMap { i, c in c.map { ($0, i) } }, uniquingKeysWith: { a, _ in a })
        for m in r.members {
            guard let s = r.shapes.members[m.code] else { continue }
            let color = palette[(component[m.code] ?? 0) % palette.count]
            map.add(
                s,
                "fill=\"\(color)\" fill-opacity=\"0.55\" stroke=\"#ffffff\" stroke-width=\"1\" fill-rule=\"evenodd\"",
                title: "\(m.name) (\(m.code))")
        }
        for e in r.enclaves {
            map.add(
                e.shape,
                "fill=\"#d62728\" fill-opacity=\"0.35\" stroke=\"#d62728\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"",
                title: "Enclave : " + e.communes.map(\.name).joined(separator: ", "))
        }
        abroad(r, on: &map)
        for (code, s) in r.remedyShapes.sorted(by: { $0.key < $1.key }) {
            map.add(
                s,
                "fill=\"#2a9d5c\" fill-opacity=\"0.25\" stroke=\"#2a9d5c\" stroke-width=\"1.5\" stroke-dasharray=\"2 2\"",
                title:
                    "À ajouter (piste) : \(r.remedies.lazy.compactMap { $0.places[code]?.name }.first ?? code) (\(code))"
            )
        }
        map.add(
            r.shapes.perimeter, "fill=\"none\" stroke=\"#1b2a3a\" stroke-width=\"2\" fill-rule=\"evenodd\"",
            title: "Périmètre")
        if let f = r.shapes.frenchPart {
            map.add(f, "fill=\"none\" stroke=\"#2a9d5c\" stroke-width=\"2.5\"", title: "Partie française")
        }
        for b in r.shapes.borders {
            map.add(
                b, "fill=\"none\" stroke=\"#6a1b9a\" stroke-width=\"2\" stroke-dasharray=\"7 4\"",
                title: "Frontière terrestre (Natural Earth)")
        }
        return map
    }

    /// A drawn perimeter's parts outside France: countries in their colour, sea and lakes hatched.
    private static func abroad(_ r: CheckResult, on map: inout SVGMap) {
        let abroadNames = Dictionary(r.border.abroad.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        if !r.shapes.abroadParts.isEmpty || r.shapes.seaPart != nil || r.shapes.lakePart != nil {
            map.defs.append(AbroadStyle.patterns)
        }
        for (code, s) in r.shapes.abroadParts.sorted(by: { $0.key < $1.key }) {
            let a = abroadNames[code]
            map.add(
                s,
                "fill=\"\(AbroadStyle.colour(code))\" fill-opacity=\"0.6\" stroke=\"#ffffff\" stroke-width=\"0.8\" fill-rule=\"evenodd\"",
                title: "Hors de France : \(a?.nameFR ?? code)" + (a.map { " — " + French.km2($0.areaKm2) } ?? ""))
        }
        if let s = r.shapes.lakePart {
            map.add(
                s, "fill=\"url(#lake-hatch)\" stroke=\"#7fb8d6\" stroke-width=\"0.8\" fill-rule=\"evenodd\"",
                title: "Lacs hors communes" + (r.border.lakeKm2.map { " — " + French.km2($0) } ?? ""))
        }
        if let s = r.shapes.seaPart {
            map.add(
                s, "fill=\"url(#sea-hatch)\" stroke=\"#3b7dc4\" stroke-width=\"0.8\" fill-rule=\"evenodd\"",
                title: "En mer" + (r.border.seaKm2.map { " — " + French.km2($0) } ?? ""))
        }
    }

    /// The map's legend: one swatch per component, then what else is drawn.
    private static func legend(_ r: CheckResult, into h: inout String) {
        for i in 0..<max(1, r.contiguity.components.count) {
            h +=
                "<span><i class=\"sw\" style=\"background:\(palette[i % palette.count])\"></i>\(i == 0 ? "Ensemble principal" : "Ensemble \(i + 1)")</span>"
        }
        h += "<span><i class=\"sw\" style=\"background:#d62728;opacity:.5\"></i>Enclave</span>"
        if !r.remedyShapes.isEmpty {
            h +=
                "<span><i class=\"sw\" style=\"background:#2a9d5c;opacity:.4;border:1px dashed #2a9d5c\"></i>À ajouter (pistes)</span>"
        }
        h += "<span><i class=\"sw\" style=\"background:#fff;border:1px solid #b9c3cc\"></i>EPCI voisin</span>"
        h += "<span><i class=\"sw\" style=\"background:#6a1b9a\"></i>Frontière terrestre</span>"
        for a in r.border.abroad {
            h +=
                "<span><i class=\"sw\" style=\"background:\(AbroadStyle.colour(a.code));opacity:.6\"></i>\(escape(a.nameFR))</span>"
        }
        if r.shapes.lakePart != nil {
            h +=
                "<span><i class=\"sw\" style=\"background:repeating-linear-gradient(-45deg,#7fb8d6 0 2px,#e3f1f7 2px 6px)\"></i>Lac hors communes</span>"
        }
        if r.shapes.seaPart != nil {
            h +=
                "<span><i class=\"sw\" style=\"background:repeating-linear-gradient(45deg,#3b7dc4 0 2px,#d6e6f5 2px 6px)\"></i>En mer</span>"
        }
    }

    /// The key figures as tiles, then the warnings of the layers compared.
    private static func figures(_ r: CheckResult, into h: inout String) {
        h += "<div class=\"fig\">"
        h += "<div><b>\(French.km2(r.figures.areaKm2))</b>surface</div>"
        h += "<div><b>\(French.int(r.figures.population))</b>habitants</div>"
        h += "<div><b>\(French.int(r.figures.communeCount))</b>communes</div>"
        h += "<div><b>\(r.figures.epciCount)</b>EPCI</div>"
        h += "<div><b>\(r.contiguity.contiguous ? "oui" : "non")</b>contigu</div>"
        h += "<div><b>\(r.border.frontalier ? "oui" : "non")</b>frontalier</div></div>\n"
        for w in r.layers.compactMap(\.warning) {
            h +=
                "<p class=\"warning\" style=\"border-left:5px solid #e07b00;background:#fff4e5;padding:6px 10px\"><b>Avertissement :</b> \(escape(w))</p>\n"
        }
    }

    /// The findings, then the remedies.
    private static func findings(_ r: CheckResult, into h: inout String) {
        h += "<h2>Constats</h2>\n<ul class=\"findings\">\n"
        if r.findings.isEmpty {
            h += "<li class=\"info\">Aucun constat : le périmètre respecte les règles vérifiées.</li>\n"
        }
        for f in r.findings {
            h +=
                "<li class=\"\(f.severity.rawValue)\"><span class=\"sev\">\(French.severity(f.severity.rawValue))</span>\(escape(f.message))"
            if let faq = f.faq { h += " <span class=\"faq\">FAQ \(faq)</span>" }
            h += "</li>\n"
        }
        h += "</ul>\n"
        if !r.remedies.isEmpty {
            h += "<h2>Pistes</h2>\n<ul class=\"findings\">\n"
            for x in r.remedies { h += "<li class=\"info\">\(escape(RemedyText.line(x)))</li>\n" }
            h += "</ul>\n"
        }
    }

    /// The members, the départements and régions, the parts of a drawn perimeter, the borders
    /// and the layers compared.
    private static func tables(_ r: CheckResult, into h: inout String) {
        h +=
            "<h2>Membres</h2>\n<table><tr><th>Code</th><th>Nom</th><th>Type</th><th>Population</th><th>Communes</th></tr>\n"
        for m in r.members {
            h +=
                "<tr><td>\(m.code)</td><td>\(escape(m.name))</td><td>\(French.kind(m.kind.rawValue))\(m.nature.map { " " + $0 } ?? "")</td><td>\(French.int(m.population))</td><td>\(m.communes.count)</td></tr>\n"
        }
        h +=
            "</table>\n<h2>Départements et régions</h2>\n<table><tr><th>Territoire</th><th>Surface</th><th>Population</th></tr>\n"
        for d in r.span.departements {
            h +=
                "<tr><td>\(d.code) \(escape(d.name))</td><td>\(French.percent(d.areaShare))</td><td>\(French.percent(d.populationShare))</td></tr>\n"
        }
        for g in r.span.regions {
            h +=
                "<tr><td>Région \(escape(g.name)) — préfecture \(escape(g.prefecture ?? ""))</td><td>\(French.percent(g.areaShare))</td><td>\(French.percent(g.populationShare))</td></tr>\n"
        }
        h += "</table>\n"
        if let fp = r.border.frenchPartKm2 { parts(r.border, frenchPartKm2: fp, into: &h) }
        if !r.border.nearby.isEmpty {
            h += "<h2>Frontières</h2>\n<table><tr><th>Pays</th><th>Distance</th></tr>\n"
            for n in r.border.nearby {
                h += "<tr><td>\(escape(n.nameFR)) (\(n.code))</td><td>\(French.distance(n.distanceMetres))</td></tr>\n"
            }
            h += "</table>\n"
        }
        if !r.layers.isEmpty {
            h += "<h2>Couches comparées</h2>\n<ul>\n"
            for l in r.layers {
                h += "<li>" + TextReport.layerLines(l).map(escape).joined(separator: "<br>") + "</li>\n"
            }
            h += "</ul>\n"
        }
    }

    /// A drawn perimeter's French part, its parts abroad, lakes and sea.
    private static func parts(_ b: BorderResult, frenchPartKm2 fp: Double, into h: inout String) {
        let smallest = ReportThresholds.smallestPartKm2
        h += "<h2>Partie française et hors de France</h2>\n<table><tr><th>Partie</th><th>Surface</th></tr>\n"
        h += "<tr><td>Partie française (offre de services)</td><td>\(French.km2(fp))</td></tr>\n"
        for a in b.abroad {
            let slivers =
                a.sliverKm2 >= smallest
                ? " (dont \(French.km2(a.sliverKm2)) entre frontière Natural Earth et communes)" : ""
            h += "<tr><td>\(escape(a.nameFR)) (\(a.code))</td><td>\(French.km2(a.areaKm2))\(slivers)</td></tr>\n"
        }
        if let lake = b.lakeKm2, lake >= smallest {
            h += "<tr><td>Lacs hors communes</td><td>\(French.km2(lake))</td></tr>\n"
        }
        if let sea = b.seaKm2, sea >= smallest { h += "<tr><td>En mer</td><td>\(French.km2(sea))</td></tr>\n" }
        if let total = b.polygonKm2 {
            h += "<tr><th>Polygone dessiné</th><th>\(French.km2(total))</th></tr>\n"
        }
        h += "</table>\n"
    }

    static func escape(_ s: String) -> String {
        var o = ""
        for ch in s {
            switch ch {
            case "&": o += "&amp;"
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "\"": o += "&quot;"
            default: o.append(ch)
            }
        }
        return o
    }
}
