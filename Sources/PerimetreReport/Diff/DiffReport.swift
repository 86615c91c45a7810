import Foundation
public import PerimetreAnalysis
public import PerimetreGeometry

/// The reports of `perimetre diff`: French text, JSON (`docs/diff-json.md`), GeoJSON (the parts
/// added, removed and kept) and one HTML file with a map of them.
public enum DiffReport {
    static func title(_ r: CheckResult, _ fallback: String) -> String {
        let t = r.name.isEmpty ? r.id : r.name + (r.id.isEmpty || r.id == r.name ? "" : " (\(r.id))")
        return t.isEmpty ? fallback : t
    }

    static func signed(_ n: Int) -> String { (n > 0 ? "+" : n < 0 ? "−" : "") + French.int(abs(n)) }
    static func signedKm2(_ v: Double) -> String { (v > 0.0005 ? "+" : v < -0.0005 ? "−" : "") + French.km2(abs(v)) }
    static func share(_ delta: Double, _ base: Double) -> String {
        base > 0 ? (delta >= 0 ? "+" : "−") + French.percent(abs(delta) / base) : "—"
    }

    static func verdictFR(_ d: PerimeterDiff) -> String {
        switch d.verdict {
        case .unchanged: "AUCUNE MODIFICATION"
        case .marginal: "MODIFICATION À LA MARGE"
        case .notMarginal: "PAS UNE MODIFICATION À LA MARGE"
        }
    }

    // MARK: Text

    /// The French text report of a diff: verdict and reasons first, then what changed.
    public static func text(_ d: PerimeterDiff) -> String {
        var out = ""
        let b = d.before
        out.line("Modification de périmètre : \(title(b, "avant")) → \(title(d.after, "après"))")
        out.line(String(repeating: "=", count: 60))
        out.line()
        for w in warnings(d) {
            out.line("AVERTISSEMENT : \(w)")
            out.line()
        }
        if d.identical {
            out.line(
                "Aucune différence : les deux périmètres ont les mêmes membres et les mêmes communes (\(French.int(b.figures.communeCount)) communes)."
            )
            out.line()
        }
        out.line("VERDICT : \(verdictFR(d))")
        for r in d.reasons { out.line("  - \(r)") }
        out.line("  Règle : \(d.rule).")
        out.line()
        figures(d, into: &out)
        out.line()
        members(d, into: &out)
        out.line()
        out.line("CONSTATS QUI APPARAISSENT (\(d.findingsAppeared.count))")
        for f in d.findingsAppeared { out.line("  + \(f.severity.label) [\(f.rule.label)] \(f.message)") }
        out.line("CONSTATS QUI DISPARAISSENT (\(d.findingsDisappeared.count))")
        for f in d.findingsDisappeared { out.line("  − \(f.severity.label) [\(f.rule.label)] \(f.message)") }
        out.line()
        out.line("DÉPARTEMENTS CONCERNÉS")
        for x in d.departements { out.line("  \(x.code) \(x.name) : \(presence(x))") }
        out.line("RÉGIONS CONCERNÉES — conseils régionaux dont l'avis est requis (FAQ 2.3) : \(d.regions.count)")
        for x in d.regions { out.line("  \(x.code) \(x.name) : \(presence(x))") }
        return out
    }

    /// The warnings of the layers compared on both sides, each once.
    static func warnings(_ d: PerimeterDiff) -> [String] {
        (d.before.layers + d.after.layers).compactMap(\.warning).reduce(
            into: [String](), { if !$0.contains($1) { $0.append($1) } })
    }

    /// Widths of the columns of the text's figures table (label, before, after).
    private static let figureColumns = (label: 22, before: 17, after: 17)

    /// The figures before and after, their change, and what was added and removed.
    private static func figures(_ d: PerimeterDiff, into out: inout String) {
        let b = d.before.figures
        let a = d.after.figures
        out.line("CHIFFRES                  avant            après            écart")
        func row(_ label: String, _ x: String, _ y: String, _ z: String) {
            out.line(
                "  " + label.padding(toLength: figureColumns.label, withPad: " ", startingAt: 0)
                    + x.padding(toLength: figureColumns.before, withPad: " ", startingAt: 0)
                    + y.padding(toLength: figureColumns.after, withPad: " ", startingAt: 0) + z)
        }
        row(
            "Surface", French.km2(b.areaKm2), French.km2(a.areaKm2),
            signedKm2(a.areaKm2 - b.areaKm2) + " (" + share(a.areaKm2 - b.areaKm2, b.areaKm2) + ")")
        row(
            "Population", French.int(b.population), French.int(a.population),
            signed(a.population - b.population) + " ("
                + share(Double(a.population - b.population), Double(b.population)) + ")")
        row(
            "Communes", French.int(b.communeCount), French.int(a.communeCount),
            signed(a.communeCount - b.communeCount) + " ("
                + share(Double(a.communeCount - b.communeCount), Double(b.communeCount)) + ")")
        row("EPCI", String(b.epciCount), String(a.epciCount), signed(a.epciCount - b.epciCount))
        out.line(
            "  Ajouté : \(French.int(d.populationAdded)) hab., \(French.km2(d.areaAddedKm2)) ; retiré : \(French.int(d.populationRemoved)) hab., \(French.km2(d.areaRemovedKm2))"
        )
        out.line(
            "  Changé (ajouté + retiré) : \(French.percent(d.populationChangeShare)) de la population, \(French.percent(d.areaChangeShare)) de la surface"
        )
    }

    /// The communes listed in the text on each side (the JSON has them all).
    private static let communesListed = 50

    /// The members, EPCI and communes added and removed.
    private static func members(_ d: PerimeterDiff, into out: inout String) {
        out.line(
            "MEMBRES AJOUTÉS (\(d.membersAdded.count)) : "
                + (d.membersAdded.isEmpty ? "aucun" : d.membersAdded.joined(separator: ", ")))
        out.line(
            "MEMBRES RETIRÉS (\(d.membersRemoved.count)) : "
                + (d.membersRemoved.isEmpty ? "aucun" : d.membersRemoved.joined(separator: ", ")))
        out.line()
        out.line("EPCI AJOUTÉS (\(d.epciAdded.count))")
        for e in d.epciAdded {
            out.line("  + \(e.code) \(e.name) — \(e.whole ? "entier" : "en partie"), \(e.communes) commune(s)")
        }
        out.line("EPCI RETIRÉS (\(d.epciRemoved.count))")
        for e in d.epciRemoved {
            out.line("  − \(e.code) \(e.name) — \(e.whole ? "entier" : "en partie"), \(e.communes) commune(s)")
        }
        out.line()
        communes("AJOUTÉES", "+", d.communesAdded, into: &out)
        communes("RETIRÉES", "−", d.communesRemoved, into: &out)
    }

    /// `COMMUNES AJOUTÉES (n)` and the first ones.
    private static func communes(
        _ heading: String, _ sign: String, _ cs: [PerimeterDiff.CommuneChange], into out: inout String
    ) {
        out.line("COMMUNES \(heading) (\(cs.count))")
        for c in cs.prefix(communesListed) {
            out.line("  \(sign) \(c.code) \(c.name) (\(French.int(c.population)) hab.)")
        }
        if cs.count > communesListed { out.line("  … et \(cs.count - communesListed) autres (voir --format json)") }
    }

    static func presence(_ x: PerimeterDiff.Concerned) -> String {
        switch (x.before, x.after) {
        case (true, true): "avant (\(French.percent(x.areaShareBefore))) et après (\(French.percent(x.areaShareAfter)))"
        case (true, false): "avant seulement (\(French.percent(x.areaShareBefore))) — quitté"
        case (false, true): "après seulement (\(French.percent(x.areaShareAfter))) — nouveau"
        default: "—"
        }
    }

    // MARK: JSON

    /// The diff as a JSON value (`docs/diff-json.md`).
    public static func value(_ d: PerimeterDiff) -> JSONValue {
        let b = d.before.figures
        let a = d.after.figures
        var o = JSONObject()
        o["schema"] = "perimetre/diff/1"
        o["verdict"] = .string(d.verdict.rawValue)
        o["marginal"] = .bool(d.marginal)
        o["rule"] = .string(d.rule)
        o["thresholds"] = .object([
            "population_share": JSONReport.round(d.thresholds.population, 4),
            "area_share": JSONReport.round(d.thresholds.area, 4),
        ])
        o["reasons"] = JSONReport.strings(d.reasons)
        o["before"] = side(d.before)
        o["after"] = side(d.after)
        o["area_km2"] = change(b.areaKm2, a.areaKm2, 3)
        o["population"] = change(Double(b.population), Double(a.population), 0)
        o["commune_count"] = change(Double(b.communeCount), Double(a.communeCount), 0)
        o["epci_count"] = change(Double(b.epciCount), Double(a.epciCount), 0)
        o["added"] = .object(["population": .int(d.populationAdded), "area_km2": JSONReport.km2(d.areaAddedKm2)])
        o["removed"] = .object(["population": .int(d.populationRemoved), "area_km2": JSONReport.km2(d.areaRemovedKm2)])
        o["population_change_share"] = JSONReport.round(d.populationChangeShare, 4)
        o["area_change_share"] = JSONReport.round(d.areaChangeShare, 4)
        o["members_added"] = JSONReport.strings(d.membersAdded)
        o["members_removed"] = JSONReport.strings(d.membersRemoved)
        o["epci_added"] = .array(d.epciAdded.map(epci))
        o["epci_removed"] = .array(d.epciRemoved.map(epci))
        o["communes_added"] = .array(d.communesAdded.map(commune))
        o["communes_removed"] = .array(d.communesRemoved.map(commune))
        o["findings_appeared"] = .array(d.findingsAppeared.map(JSONReport.finding))
        o["findings_disappeared"] = .array(d.findingsDisappeared.map(JSONReport.finding))
        o["rules_newly_broken"] = JSONReport.strings(d.rulesNewlyBroken.map(\.rawValue))
        o["departements"] = .array(d.departements.map(concerned))
        o["regions"] = .array(d.regions.map(concerned))
        var layers: [LayerResolution] = []
        for l in d.before.layers + d.after.layers where !layers.contains(where: { $0.id == l.id }) { layers.append(l) }
        o["layers"] = .array(layers.map(JSONReport.layer))
        return .object(o)
    }

    /// One side of the diff: its members, figures and findings.
    private static func side(_ r: CheckResult) -> JSONValue {
        .object([
            "id": .string(r.id), "name": .string(r.name), "members": JSONReport.strings(r.members.map(\.code)),
            "area_km2": JSONReport.km2(r.figures.areaKm2), "population": .int(r.figures.population),
            "commune_count": .int(r.figures.communeCount), "epci_count": .int(r.figures.epciCount),
            "findings": .array(r.findings.map(JSONReport.finding)),
        ])
    }

    private static func commune(_ c: PerimeterDiff.CommuneChange) -> JSONValue {
        .object([
            "code": .string(c.code), "name": .string(c.name), "epci": c.epci.map { .string($0) } ?? .null,
            "departement": .string(c.departement), "population": .int(c.population),
            "area_km2": JSONReport.km2(c.areaKm2),
        ])
    }

    private static func epci(_ e: PerimeterDiff.EPCIChange) -> JSONValue {
        .object([
            "code": .string(e.code), "name": .string(e.name), "communes": .int(e.communes), "whole": .bool(e.whole),
        ])
    }

    private static func concerned(_ x: PerimeterDiff.Concerned) -> JSONValue {
        .object([
            "code": .string(x.code), "name": .string(x.name), "before": .bool(x.before), "after": .bool(x.after),
            "area_share_before": JSONReport.round(x.before ? x.areaShareBefore : 0, 4),
            "area_share_after": JSONReport.round(x.after ? x.areaShareAfter : 0, 4),
        ])
    }

    /// A figure before and after, its change and the change's share, rounded to `digits`.
    private static func change(_ x: Double, _ y: Double, _ digits: Int) -> JSONValue {
        .object([
            "before": JSONReport.round(x, digits), "after": JSONReport.round(y, digits),
            "change": JSONReport.round(y - x, digits),
            "change_share": x > 0 ? JSONReport.round((y - x) / x, 4) : .null,
        ])
    }

    /// The diff as JSON text.
    ///
    /// - Parameter d: The diff.
    /// - Returns: The JSON text, keys in a fixed order.
    /// - Throws: `GeometryError` when a number cannot be written (NaN).
    public static func json(_ d: PerimeterDiff) throws -> String {
        try JSONWriter(pretty: true).string(value(d)) + "\n"
    }

    // MARK: GeoJSON

    /// Features with a `role`: `before`, `after` (the two perimeters), `added`, `removed`.
    public static func features(_ d: PerimeterDiff) -> [Feature] {
        var fs = [
            Feature(
                properties: [
                    "role": "before", "id": .string(d.before.id), "name": .string(d.before.name),
                    "area_km2": JSONReport.km2(d.before.figures.areaKm2),
                    "population": .int(d.before.figures.population),
                ],
                geometry: d.before.shapes.perimeter),
            Feature(
                properties: [
                    "role": "after", "id": .string(d.after.id), "name": .string(d.after.name),
                    "area_km2": JSONReport.km2(d.after.figures.areaKm2), "population": .int(d.after.figures.population),
                ],
                geometry: d.after.shapes.perimeter),
        ]
        if let s = d.addedShape {
            fs.append(
                Feature(
                    properties: [
                        "role": "added", "communes": JSONReport.strings(d.communesAdded.map(\.code)),
                        "population": .int(d.populationAdded), "area_km2": JSONReport.km2(d.areaAddedKm2),
                    ], geometry: s))
        }
        if let s = d.removedShape {
            fs.append(
                Feature(
                    properties: [
                        "role": "removed", "communes": JSONReport.strings(d.communesRemoved.map(\.code)),
                        "population": .int(d.populationRemoved), "area_km2": JSONReport.km2(d.areaRemovedKm2),
                    ], geometry: s))
        }
        return fs
    }

    /// The parts added, removed and kept as GeoJSON features with a `role`.
    ///
    /// - Parameters:
    ///   - d: The diff.
    ///   - precision: Decimals of the coordinates.
    /// - Returns: A FeatureCollection.
    /// - Throws: `GeometryError` when a number cannot be written (NaN).
    public static func geojson(_ d: PerimeterDiff, precision: Int = 6) throws -> String {
        try GeoJSONWriter(precision: precision).featureCollection(features(d))
    }

    // MARK: HTML

    static let addedColor = "#2a9d5c", removedColor = "#c62828", keptColor = "#2f6db3"

    /// The map of the amendment: the kept perimeter, the parts added (green) and removed (red).
    static func map(_ d: PerimeterDiff, width: Double = 900, height: Double = 640) -> String {
        var frame = d.before.shapes.perimeter.envelope.union(d.after.shapes.perimeter.envelope)
        frame = frame.expanded(by: max(frame.width, frame.height) * 0.06)
        var m = SVGMap(frame: frame, width: width, height: height)
        m.add(
            d.after.shapes.perimeter,
            "fill=\"\(keptColor)\" fill-opacity=\"0.35\" stroke=\"none\" fill-rule=\"evenodd\"",
            title: "Périmètre modifié")
        if let s = d.removedShape {
            m.add(
                s,
                "fill=\"\(removedColor)\" fill-opacity=\"0.6\" stroke=\"\(removedColor)\" stroke-width=\"1\" fill-rule=\"evenodd\"",
                title: "Retiré : " + d.communesRemoved.map(\.name).prefix(20).joined(separator: ", "))
        }
        if let s = d.addedShape {
            m.add(
                s,
                "fill=\"\(addedColor)\" fill-opacity=\"0.6\" stroke=\"\(addedColor)\" stroke-width=\"1\" fill-rule=\"evenodd\"",
                title: "Ajouté : " + d.communesAdded.map(\.name).prefix(20).joined(separator: ", "))
        }
        m.add(
            d.before.shapes.perimeter,
            "fill=\"none\" stroke=\"#1b2a3a\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\" fill-rule=\"evenodd\"",
            title: "Périmètre labellisé")
        return m.svg()
    }

    /// The diff as one self-contained HTML file, with a map of the parts added and removed.
    public static func html(_ d: PerimeterDiff) -> String {
        let e = HTMLReport.escape
        let heading = "\(title(d.before, "avant")) → \(title(d.after, "après"))"
        let color = d.verdict == .notMarginal ? "#c62828" : "#2a9d5c"
        var h = """
            <!DOCTYPE html>
            <html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(heading)) — modification de périmètre</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b2a3a;background:#fafbfc}
            header{background:#1b2a3a;color:#fff;padding:14px 24px}header h1{margin:0;font-size:1.3em}
            main{display:grid;grid-template-columns:minmax(420px,1fr) minmax(360px,560px);gap:20px;padding:20px 24px}
            @media(max-width:1000px){main{grid-template-columns:1fr}}
            svg{width:100%;height:auto;border:1px solid #d5dde4;border-radius:6px;background:#eef3f7}
            table{border-collapse:collapse;width:100%;background:#fff;font-size:.92em;margin:0 0 14px}td,th{border:1px solid #d5dde4;padding:4px 6px;text-align:left}th{background:#eef3f7}
            .verdict{border-left:6px solid \(color);background:#fff;padding:8px 12px;border-radius:0 6px 6px 0}
            .sw{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px;margin-right:4px}
            footer{padding:8px 24px 24px;color:#5f7f8f;font-size:.85em}
            </style></head><body>
            <header><h1>Modification de périmètre : \(e(heading))</h1></header>
            <main><section>
            \(map(d))
            <p><span><i class="sw" style="background:\(addedColor)"></i>ajouté</span> <span><i class="sw" style="background:\(removedColor)"></i>retiré</span>
            <span><i class="sw" style="background:\(keptColor);opacity:.5"></i>périmètre modifié</span> <span>- - - périmètre labellisé</span></p>
            </section><section>

            """
        for w in warnings(d) {
            h +=
                "<p style=\"border-left:5px solid #e07b00;background:#fff4e5;padding:6px 10px\"><b>Avertissement :</b> \(e(w))</p>\n"
        }
        if d.identical {
            h += "<p><b>Aucune différence</b> : les deux périmètres ont les mêmes membres et les mêmes communes.</p>\n"
        }
        h +=
            "<div class=\"verdict\"><b>\(verdictFR(d))</b><ul>" + d.reasons.map { "<li>\(e($0))</li>" }.joined()
            + "</ul><small>Règle : \(e(d.rule)).</small></div>\n"
        htmlFigures(d, into: &h)
        htmlChanges(d, into: &h)
        h +=
            "</section></main>\n<footer>Sources : IGN ADMIN EXPRESS et INSEE COG 2026 (Licence Ouverte 2.0). Surfaces géodésiques (WGS84). Produit par perimetre.</footer>\n</body></html>\n"
        return h
    }

    /// The figures before and after, and the EPCI added and removed.
    private static func htmlFigures(_ d: PerimeterDiff, into h: inout String) {
        let e = HTMLReport.escape
        let b = d.before.figures
        let a = d.after.figures
        h += "<h2>Chiffres</h2><table><tr><th></th><th>Avant</th><th>Après</th><th>Écart</th></tr>\n"
        h +=
            "<tr><td>Surface</td><td>\(French.km2(b.areaKm2))</td><td>\(French.km2(a.areaKm2))</td><td>\(signedKm2(a.areaKm2 - b.areaKm2)) (\(share(a.areaKm2 - b.areaKm2, b.areaKm2)))</td></tr>\n"
        h +=
            "<tr><td>Population</td><td>\(French.int(b.population))</td><td>\(French.int(a.population))</td><td>\(signed(a.population - b.population)) (\(share(Double(a.population - b.population), Double(b.population))))</td></tr>\n"
        h +=
            "<tr><td>Communes</td><td>\(French.int(b.communeCount))</td><td>\(French.int(a.communeCount))</td><td>\(signed(a.communeCount - b.communeCount))</td></tr>\n"
        h +=
            "<tr><td>EPCI</td><td>\(b.epciCount)</td><td>\(a.epciCount)</td><td>\(signed(a.epciCount - b.epciCount))</td></tr></table>\n"
        h += "<h2>EPCI</h2><table><tr><th></th><th>EPCI</th><th>Communes</th></tr>\n"
        for x in d.epciAdded {
            h +=
                "<tr><td style=\"color:\(addedColor)\">ajouté</td><td>\(e(x.name)) (\(x.code))</td><td>\(x.communes)\(x.whole ? " (entier)" : "")</td></tr>\n"
        }
        for x in d.epciRemoved {
            h +=
                "<tr><td style=\"color:\(removedColor)\">retiré</td><td>\(e(x.name)) (\(x.code))</td><td>\(x.communes)\(x.whole ? " (entier)" : "")</td></tr>\n"
        }
        h += "</table>\n"
    }

    /// The findings that appear and disappear, the régions and départements, the communes.
    private static func htmlChanges(_ d: PerimeterDiff, into h: inout String) {
        let e = HTMLReport.escape
        h += "<h2>Constats</h2><ul>\n"
        for f in d.findingsAppeared {
            h += "<li>apparaît — \(French.severity(f.severity.rawValue)) : \(e(f.message))</li>\n"
        }
        for f in d.findingsDisappeared {
            h += "<li>disparaît — \(French.severity(f.severity.rawValue)) : \(e(f.message))</li>\n"
        }
        if d.findingsAppeared.isEmpty && d.findingsDisappeared.isEmpty {
            h += "<li>Aucun constat n'apparaît ni ne disparaît.</li>\n"
        }
        h +=
            "</ul>\n<h2>Régions (avis du conseil régional requis) et départements</h2><table><tr><th>Territoire</th><th>Présence</th></tr>\n"
        for x in d.regions { h += "<tr><td>Région \(e(x.name))</td><td>\(e(presence(x)))</td></tr>\n" }
        for x in d.departements { h += "<tr><td>\(x.code) \(e(x.name))</td><td>\(e(presence(x)))</td></tr>\n" }
        h +=
            "</table>\n<h2>Communes</h2><p>Ajoutées (\(d.communesAdded.count)) : \(e(d.communesAdded.map { "\($0.name) (\($0.code))" }.joined(separator: ", ")))</p>\n"
        h +=
            "<p>Retirées (\(d.communesRemoved.count)) : \(e(d.communesRemoved.map { "\($0.name) (\($0.code))" }.joined(separator: ", ")))</p>\n"
    }
}
