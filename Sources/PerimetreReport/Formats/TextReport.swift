public import PerimetreAnalysis

/// The French report a non-GIS reader understands: findings first, then the figures.
public enum TextReport {
    /// The French text report of one perimeter.
    public static func render(_ r: CheckResult) -> String {
        var out = ""
        heading(r, into: &out)
        findings(r, into: &out)
        figures(r, into: &out)
        members(r, into: &out)
        contiguity(r.contiguity, into: &out)
        enclaves(r, into: &out)
        span(r.span, into: &out)
        border(r, into: &out)
        overlaps(r, into: &out)
        if !r.layers.isEmpty {
            out.line()
            out.line("COUCHES COMPARÉES")
            for l in r.layers { for s in layerLines(l) { out.line("  " + s) } }
        }
        out.line()
        out.line(
            "Sources : IGN ADMIN EXPRESS et INSEE COG 2026 (Licence Ouverte 2.0), Natural Earth (domaine public). Distances en \(r.metricCRS)."
        )
        return out
    }

    /// The title, underlined, and the warnings of the layers compared.
    private static func heading(_ r: CheckResult, into out: inout String) {
        let title =
            r.name.isEmpty
            ? (r.id.isEmpty ? "périmètre sans nom" : "Périmètre \(r.id)")
            : "\(r.name)" + (r.id.isEmpty ? "" : " (\(r.id))")
        out.line("Analyse du périmètre : \(title)")
        out.line(String(repeating: "=", count: min(78, 24 + title.count)))
        out.line()
        for w in r.layers.compactMap(\.warning) {
            out.line("AVERTISSEMENT : \(w)")
            out.line()
        }
    }

    /// The findings, then the remedies.
    private static func findings(_ r: CheckResult, into out: inout String) {
        out.line("CONSTATS")
        if r.findings.isEmpty { out.line("  Aucun constat : le périmètre respecte les règles vérifiées.") }
        for f in r.findings {
            let faq = f.faq.map { " [FAQ \($0)]" } ?? ""
            out.line("  - \(French.severity(f.severity.rawValue))\(faq) : \(f.message)")
        }
        if !r.remedies.isEmpty {
            out.line()
            out.line("PISTES")
            for x in r.remedies { out.line("  - " + RemedyText.line(x)) }
        }
    }

    private static func figures(_ r: CheckResult, into out: inout String) {
        out.line()
        out.line("CHIFFRES")
        out.line("  Surface : \(French.km2(r.figures.areaKm2)) (géodésique)")
        out.line("  Population : \(French.int(r.figures.population)) habitants (population municipale)")
        out.line("  Communes : \(French.int(r.figures.communeCount)) — EPCI : \(r.figures.epciCount)")
        out.line("  Compacité (Polsby-Popper, 1 = disque) : \(French.number(r.figures.polsbyPopper, 2))")
    }

    /// The members, then the codes left unresolved with their suggestions.
    private static func members(_ r: CheckResult, into out: inout String) {
        out.line()
        out.line("MEMBRES (\(r.members.count))")
        for m in r.members {
            var s = "  \(m.code)  \(m.name) — \(French.kind(m.kind.rawValue))"
            if let n = m.nature { s += " \(n)" }
            s += ", \(French.int(m.population)) hab., \(m.communes.count) commune(s)"
            if m.status != .resolved { s += " [\(m.status == .traced ? "retrouvé" : "corrigé")]" }
            out.line(s)
            if let d = m.detail { out.line("      \(d)") }
        }
        if !r.unresolved.isEmpty {
            out.line()
            out.line("CODES NON RÉSOLUS (\(r.unresolved.count))")
            for u in r.unresolved {
                out.line("  \(u.code) (\(u.origin)) : \(u.reason)")
                for s in u.suggestions { out.line("      suggestion : \(s.code) \(s.name)") }
            }
        }
    }

    private static func contiguity(_ c: Contiguity, into out: inout String) {
        out.line()
        out.line("CONTIGUÏTÉ (tolérance \(French.distance(c.toleranceMetres)))")
        out.line(
            "  " + (c.contiguous ? "Périmètre contigu." : "Périmètre NON contigu : \(c.components.count) ensembles."))
        if c.components.count > 1 {
            for (i, comp) in c.components.enumerated() {
                out.line("  Ensemble \(i + 1)\(i == 0 ? " (principal)" : "") : \(comp.joined(separator: ", "))")
            }
            for g in c.gaps {
                out.line(
                    "  Ensemble \(g.component + 1) : \(g.member) est à \(French.distance(g.gapMetres)) de \(g.nearestMainMember)"
                )
            }
        }
        for i in c.islands {
            out.line("  Île : \(i.member), à \(French.distance(i.seaGapMetres)) de la terre la plus proche")
        }
        if !c.detachedParts.isEmpty {
            let total = c.detachedParts.reduce(0) { $0 + $1.areaKm2 }
            out.line(
                "  Parties détachées (îlots d'un même membre, sans effet sur la contiguïté) : \(c.detachedParts.count), \(French.km2(total))"
            )
        }
    }

    private static func enclaves(_ r: CheckResult, into out: inout String) {
        out.line()
        out.line("ENCLAVES")
        if r.enclaves.isEmpty { out.line("  Aucune enclave.") }
        for e in r.enclaves {
            out.line(
                "  Enclave de \(French.km2(e.areaKm2)) (largeur \(French.distance(e.widthMetres))) : "
                    + e.communes.map { "\($0.name) (\($0.code))" }.joined(separator: ", "))
            for x in e.epci where x.whole { out.line("      EPCI entièrement enclavé : \(x.name) (\(x.code))") }
        }
        if !r.slivers.isEmpty {
            out.line("  Interstices plus étroits que la tolérance (non comptés) : \(r.slivers.count)")
        }
    }

    private static func span(_ span: AdministrativeSpan, into out: inout String) {
        out.line()
        out.line("DÉPARTEMENTS ET RÉGIONS")
        for d in span.departements {
            out.line(
                "  \(d.code) \(d.name) : \(French.percent(d.areaShare)) de la surface, \(French.percent(d.populationShare)) de la population"
            )
        }
        for g in span.regions {
            out.line(
                "  Région \(g.name) : \(French.percent(g.areaShare)) de la surface — préfecture de région : \(g.prefecture ?? "?")"
            )
        }
    }

    /// The land borders near the perimeter; for a drawn perimeter, its French part and the rest.
    private static func border(_ r: CheckResult, into out: inout String) {
        out.line()
        out.line("FRONTIÈRES (distance retenue : \(French.distance(r.border.distanceMetres)))")
        if r.border.nearby.isEmpty {
            out.line("  Aucune frontière terrestre à moins de \(French.distance(r.options.borderSearchMetres)).")
        }
        for n in r.border.nearby {
            out.line("  \(n.nameFR) (\(n.code)) : frontière à \(French.distance(n.distanceMetres))")
        }
        out.line("  " + (r.border.frontalier ? "Périmètre frontalier." : "Périmètre non frontalier."))
        if let fp = r.border.frenchPartKm2 { parts(r.border, frenchPartKm2: fp, into: &out) }
    }

    /// A drawn perimeter's French part, its parts abroad, lakes and sea, and their sum.
    private static func parts(_ b: BorderResult, frenchPartKm2 fp: Double, into out: inout String) {
        let smallest = ReportThresholds.smallestPartKm2
        out.line("  Partie française (offre de services) : \(French.km2(fp))")
        for a in b.abroad {
            let slivers =
                a.sliverKm2 >= smallest
                ? " (dont \(French.km2(a.sliverKm2)) entre la frontière Natural Earth et celle des communes)" : ""
            out.line("  Hors de France, \(a.nameFR) : \(French.km2(a.areaKm2))" + slivers)
        }
        if let lake = b.lakeKm2, lake >= smallest {
            out.line("  Lacs hors communes (eaux intérieures) : \(French.km2(lake))")
        }
        if let sea = b.seaKm2, sea >= smallest { out.line("  En mer : \(French.km2(sea))") }
        if let total = b.polygonKm2 {
            let sum = fp + b.abroad.reduce(0) { $0 + $1.areaKm2 } + (b.lakeKm2 ?? 0) + (b.seaKm2 ?? 0)
            let gap = total > 0 ? abs(sum - total) / total : 0
            out.line(
                "  Somme des parties : \(French.km2(sum)) pour un polygone de \(French.km2(total)) (écart \(French.number(gap * 100, 2)) %)"
            )
        }
    }

    /// The CRTE alignment and the overlaps with the territories of the layers compared.
    private static func overlaps(_ r: CheckResult, into out: inout String) {
        guard !r.overlaps.isEmpty || !r.crte.isEmpty else { return }
        out.line()
        out.line("RECOUVREMENTS")
        for a in r.crte { crte(a, into: &out) }
        for v in r.overlaps where !v.edgeContact {
            out.line(
                "  \(v.layer) \(v.id) \(v.name) : \(French.km2(v.areaKm2)), \(French.percent(v.shareOfPerimeter)) du périmètre, \(French.percent(v.shareOfOther)) de ce territoire — \(relationFR(v.relation.rawValue))"
            )
        }
        let edges = r.overlaps.filter(\.edgeContact)
        if !edges.isEmpty {
            out.line(
                "  Contacts de bord (non comptés) : " + edges.map { "\($0.layer) \($0.id)" }.joined(separator: ", ")
            )
        }
    }

    /// How the perimeter lies on the CRTE of one layer.
    private static func crte(_ a: CRTEAlignment, into out: inout String) {
        out.line(
            "  CRTE (\(a.layer)) : "
                + (a.aligned
                    ? "le périmètre est une réunion de CRTE entiers (\(a.whole.joined(separator: ", ")))."
                    : a.cut.isEmpty
                        ? "le périmètre n'est pas une réunion de CRTE entiers."
                        : "le périmètre coupe \(a.cut.count) CRTE."))
        for c in a.cut {
            out.line(
                "    coupé : \(c.name) (\(c.id)) — hors périmètre : \(c.missingMembers.isEmpty ? "—" : c.missingMembers.joined(separator: ", "))"
            )
        }
        for m in a.splitMembers {
            out.line(
                "    \(m.name) (\(m.code)) relève de \(m.parts.count) CRTE : "
                    + m.parts.map { "\($0.id) (\($0.communes) commune(s))" }.joined(separator: ", "))
        }
        if !a.unknownCRTE.isEmpty {
            out.line("    CRTE inconnu (codes de la couche non compris) : " + sample(a.unknownCRTE))
        }
        if !a.outsideAnyCRTE.isEmpty {
            out.line("    hors de tout CRTE : " + sample(a.outsideAnyCRTE))
        }
    }

    /// The communes listed after a count: the first ten, then "…".
    private static let communesListed = 10

    /// `12 commune(s) (01001, 01002, …)`.
    private static func sample(_ communes: [String]) -> String {
        let listed = communes.prefix(communesListed).joined(separator: ", ")
        return "\(communes.count) commune(s) (\(listed)\(communes.count > communesListed ? ", …" : ""))"
    }

    static func relationFR(_ r: String) -> String {
        switch r {
        case "identical": "identique"
        case "contains": "entièrement inclus dans le périmètre"
        case "inside": "contient le périmètre"
        default: "recouvrement partiel"
        }
    }

    /// How a layer's codes were understood, in French (also used by the audit report).
    public static func layerLines(_ l: LayerResolution) -> [String] {
        var out = [
            "\(l.id) (\(l.format.rawValue)) : \(French.int(l.territories)) territoire(s), \(French.int(l.members)) code(s) membre(s) — "
                + "\(French.int(l.resolved)) résolu(s), \(French.int(l.traced)) retrouvé(s) par une table de composition, \(l.unresolved.count) non compris"
        ]
        for u in l.unresolved {
            out.append(
                "  non compris : \(u.code)\(u.name.isEmpty ? "" : " « \(u.name) »") — territoire \(u.territory)\(u.row.map { ", ligne \($0)" } ?? "")"
            )
        }
        if !l.repeated.isEmpty {
            out.append(
                "  lignes répétées (comptées une fois) : "
                    + l.repeated.map {
                        "\($0.code) dans \($0.territory) (lignes \($0.rows.map(String.init).joined(separator: ", ")))"
                    }.joined(separator: " ; "))
        }
        if !l.shared.isEmpty {
            out.append(
                "  codes présents dans plusieurs territoires : "
                    + l.shared.map { "\($0.code) (\($0.territories.joined(separator: ", ")))" }.joined(separator: " ; ")
            )
        }
        return out
    }
}
