public import PerimetreAnalysis

/// The French report a non-GIS reader understands: findings first, then the figures.
public enum TextReport {
    /// The French text report of one perimeter.
    public static func render(_ r: CheckResult) -> String {
        var out = ""
        func line(_ s: String = "") { out += s + "\n" }
        let title =
            r.name.isEmpty
            ? (r.id.isEmpty ? "périmètre sans nom" : "Périmètre \(r.id)")
            : "\(r.name)" + (r.id.isEmpty ? "" : " (\(r.id))")
        line("Analyse du périmètre : \(title)")
        line(String(repeating: "=", count: min(78, 24 + title.count)))
        line()
        for w in r.layers.compactMap(\.warning) {
            line("AVERTISSEMENT : \(w)")
            line()
        }
        line("CONSTATS")
        if r.findings.isEmpty { line("  Aucun constat : le périmètre respecte les règles vérifiées.") }
        for f in r.findings {
            let faq = f.faq.map { " [FAQ \($0)]" } ?? ""
            line("  - \(French.severity(f.severity.rawValue))\(faq) : \(f.message)")
        }
        if !r.remedies.isEmpty {
            line()
            line("PISTES")
            for x in r.remedies { line("  - " + RemedyText.line(x)) }
        }
        line()
        line("CHIFFRES")
        line("  Surface : \(French.km2(r.figures.areaKm2)) (géodésique)")
        line("  Population : \(French.int(r.figures.population)) habitants (population municipale)")
        line("  Communes : \(French.int(r.figures.communeCount)) — EPCI : \(r.figures.epciCount)")
        line("  Compacité (Polsby-Popper, 1 = disque) : \(French.number(r.figures.polsbyPopper, 2))")
        line()
        line("MEMBRES (\(r.members.count))")
        for m in r.members {
            var s = "  \(m.code)  \(m.name) — \(French.kind(m.kind.rawValue))"
            if let n = m.nature { s += " \(n)" }
            s += ", \(French.int(m.population)) hab., \(m.communes.count) commune(s)"
            if m.status != .resolved { s += " [\(m.status == .traced ? "retrouvé" : "corrigé")]" }
            line(s)
            if let d = m.detail { line("      \(d)") }
        }
        if !r.unresolved.isEmpty {
            line()
            line("CODES NON RÉSOLUS (\(r.unresolved.count))")
            for u in r.unresolved {
                line("  \(u.code) (\(u.origin)) : \(u.reason)")
                for s in u.suggestions { line("      suggestion : \(s.code) \(s.name)") }
            }
        }
        line()
        line("CONTIGUÏTÉ (tolérance \(French.distance(r.contiguity.toleranceMetres)))")
        let c = r.contiguity
        line("  " + (c.contiguous ? "Périmètre contigu." : "Périmètre NON contigu : \(c.components.count) ensembles."))
        if c.components.count > 1 {
            for (i, comp) in c.components.enumerated() {
                line("  Ensemble \(i + 1)\(i == 0 ? " (principal)" : "") : \(comp.joined(separator: ", "))")
            }
            for g in c.gaps {
                line(
                    "  Ensemble \(g.component + 1) : \(g.member) est à \(French.distance(g.gapMetres)) de \(g.nearestMainMember)"
                )
            }
        }
        for i in c.islands {
            line("  Île : \(i.member), à \(French.distance(i.seaGapMetres)) de la terre la plus proche")
        }
        if !c.detachedParts.isEmpty {
            let total = c.detachedParts.reduce(0) { $0 + $1.areaKm2 }
            line(
                "  Parties détachées (îlots d'un même membre, sans effet sur la contiguïté) : \(c.detachedParts.count), \(French.km2(total))"
            )
        }
        line()
        line("ENCLAVES")
        if r.enclaves.isEmpty { line("  Aucune enclave.") }
        for e in r.enclaves {
            line(
                "  Enclave de \(French.km2(e.areaKm2)) (largeur \(French.distance(e.widthMetres))) : "
                    + e.communes.map { "\($0.name) (\($0.code))" }.joined(separator: ", "))
            for x in e.epci where x.whole { line("      EPCI entièrement enclavé : \(x.name) (\(x.code))") }
        }
        if !r.slivers.isEmpty { line("  Interstices plus étroits que la tolérance (non comptés) : \(r.slivers.count)") }
        line()
        line("DÉPARTEMENTS ET RÉGIONS")
        for d in r.span.departements {
            line(
                "  \(d.code) \(d.name) : \(French.percent(d.areaShare)) de la surface, \(French.percent(d.populationShare)) de la population"
            )
        }
        for g in r.span.regions {
            line(
                "  Région \(g.name) : \(French.percent(g.areaShare)) de la surface — préfecture de région : \(g.prefecture ?? "?")"
            )
        }
        line()
        line("FRONTIÈRES (distance retenue : \(French.distance(r.border.distanceMetres)))")
        if r.border.nearby.isEmpty {
            line("  Aucune frontière terrestre à moins de \(French.distance(r.options.borderSearchMetres)).")
        }
        for n in r.border.nearby {
            line("  \(n.nameFR) (\(n.code)) : frontière à \(French.distance(n.distanceMetres))")
        }
        line("  " + (r.border.frontalier ? "Périmètre frontalier." : "Périmètre non frontalier."))
        if let fp = r.border.frenchPartKm2 {
            line("  Partie française (offre de services) : \(French.km2(fp))")
            for a in r.border.abroad {
                let slivers =
                    a.sliverKm2 >= 0.005
                    ? " (dont \(French.km2(a.sliverKm2)) entre la frontière Natural Earth et celle des communes)" : ""
                line("  Hors de France, \(a.nameFR) : \(French.km2(a.areaKm2))" + slivers)
            }
            if let lake = r.border.lakeKm2, lake >= 0.005 {
                line("  Lacs hors communes (eaux intérieures) : \(French.km2(lake))")
            }
            if let sea = r.border.seaKm2, sea >= 0.005 { line("  En mer : \(French.km2(sea))") }
            if let total = r.border.polygonKm2 {
                let sum =
                    fp + r.border.abroad.reduce(0) { $0 + $1.areaKm2 } + (r.border.lakeKm2 ?? 0)
                    + (r.border.seaKm2 ?? 0)
                let gap = total > 0 ? abs(sum - total) / total : 0
                line(
                    "  Somme des parties : \(French.km2(sum)) pour un polygone de \(French.km2(total)) (écart \(French.number(gap * 100, 2)) %)"
                )
            }
        }
        if !r.overlaps.isEmpty || !r.crte.isEmpty {
            line()
            line("RECOUVREMENTS")
            for a in r.crte {
                line(
                    "  CRTE (\(a.layer)) : "
                        + (a.aligned
                            ? "le périmètre est une réunion de CRTE entiers (\(a.whole.joined(separator: ", ")))."
                            : a.cut.isEmpty
                                ? "le périmètre n'est pas une réunion de CRTE entiers."
                                : "le périmètre coupe \(a.cut.count) CRTE."))
                for c in a.cut {
                    line(
                        "    coupé : \(c.name) (\(c.id)) — hors périmètre : \(c.missingMembers.isEmpty ? "—" : c.missingMembers.joined(separator: ", "))"
                    )
                }
                for m in a.splitMembers {
                    line(
                        "    \(m.name) (\(m.code)) relève de \(m.parts.count) CRTE : "
                            + m.parts.map { "\($0.id) (\($0.communes) commune(s))" }.joined(separator: ", "))
                }
                if !a.unknownCRTE.isEmpty {
                    line(
                        "    CRTE inconnu (codes de la couche non compris) : \(a.unknownCRTE.count) commune(s) (\(a.unknownCRTE.prefix(10).joined(separator: ", "))\(a.unknownCRTE.count > 10 ? ", …" : ""))"
                    )
                }
                if !a.outsideAnyCRTE.isEmpty {
                    line(
                        "    hors de tout CRTE : \(a.outsideAnyCRTE.count) commune(s) (\(a.outsideAnyCRTE.prefix(10).joined(separator: ", "))\(a.outsideAnyCRTE.count > 10 ? ", …" : ""))"
                    )
                }
            }
            for v in r.overlaps where !v.edgeContact {
                line(
                    "  \(v.layer) \(v.id) \(v.name) : \(French.km2(v.areaKm2)), \(French.percent(v.shareOfPerimeter)) du périmètre, \(French.percent(v.shareOfOther)) de ce territoire — \(relationFR(v.relation.rawValue))"
                )
            }
            let edges = r.overlaps.filter(\.edgeContact)
            if !edges.isEmpty {
                line(
                    "  Contacts de bord (non comptés) : " + edges.map { "\($0.layer) \($0.id)" }.joined(separator: ", ")
                )
            }
        }
        if !r.layers.isEmpty {
            line()
            line("COUCHES COMPARÉES")
            for l in r.layers { for s in layerLines(l) { line("  " + s) } }
        }
        line()
        line(
            "Sources : IGN ADMIN EXPRESS et INSEE COG 2026 (Licence Ouverte 2.0), Natural Earth (domaine public). Distances en \(r.metricCRS)."
        )
        return out
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
