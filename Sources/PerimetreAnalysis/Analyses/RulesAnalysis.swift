import Foundation
import PerimetreData

/// The programme's rules (FAQ Territoires d'industrie 2023-2027), each a finding with a
/// severity and its FAQ reference.
enum RulesAnalysis {
    static func km2(_ v: Double) -> String { French.number(v, 1) + " km²" }
    static func metres(_ v: Double) -> String { French.distance(v) }
    static func fr(_ v: Double, _ decimals: Int) -> String { French.number(v, decimals) }
    static func people(_ n: Int) -> String { fr(Double(n), 0) + " hab." }

    /// Lakes and sea under this area (km²) beside a drawn perimeter are slivers between the
    /// outlines of Natural Earth and of the communes: not mentioned in the cross-border finding.
    static let reportedWaterKm2 = 0.05

    static func run(
        _ r: Resolution, figures: Figures, contiguity: Contiguity, enclaves: [Enclave],
        span: AdministrativeSpan, border: BorderResult, data: GeoData, drawn: Bool
    ) -> [Finding] {
        let names = Dictionary(r.members.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let label: (String) -> String = { code in names[code].map { "\($0) (\(code))" } ?? code }
        let f =
            resolutionFindings(r, figures: figures, drawn: drawn)
            + contiguityFindings(contiguity, label: label, data: data)
            + enclaveFindings(enclaves, cut: r.cutEPCI)
            + spanFindings(span, border: border)
        // Findings first by severity (bloquant, attention, info), stable within.
        return f.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
        }.map(\.element)
    }

    /// The members as resolved: codes not resolved or corrected, older EPCI, duplicates, a single
    /// EPCI, a métropole.
    static func resolutionFindings(_ r: Resolution, figures: Figures, drawn: Bool) -> [Finding] {
        var f: [Finding] = []
        for u in r.unresolved {
            let sugg =
                u.suggestions.isEmpty
                ? ""
                : " Vouliez-vous dire : " + u.suggestions.map { "\($0.name) (\($0.code))" }.joined(separator: ", ")
                    + " ?"
            // Bloquant: the perimeter analysed is not the one submitted until the code is fixed.
            f.append(
                Finding(
                    rule: .unresolvedCode, severity: .bloquant, faq: nil,
                    message: "Code « \(u.code) » non résolu (\(u.origin)) : \(u.reason).\(sugg)"))
        }
        for m in r.members where m.status == .corrected {
            f.append(
                Finding(rule: .correctedCode, severity: .info, faq: nil, message: "\(m.name) : \(m.detail ?? "")."))
        }
        for m in r.members where m.kind == .formerEPCI {
            f.append(
                Finding(
                    rule: .formerEPCI, severity: .attention, faq: "2.1",
                    message: "\(m.code) (\(m.name)) n'existe plus en 2026 : "
                        + "tracé par ses \(m.communes.count) communes ; \(m.detail ?? "")."))
        }
        for d in r.duplicates {
            f.append(
                Finding(
                    rule: .duplicate, severity: .info, faq: nil,
                    message: d.kind == .member
                        ? "Le code \(d.code) est listé plusieurs fois (\(d.members.joined(separator: ", ")))."
                        : "La commune \(d.code) appartient à plusieurs membres "
                            + "(\(d.members.joined(separator: ", "))) : comptée une fois."))
        }
        let epciMembers = r.members.filter { $0.kind == .epci || $0.kind == .formerEPCI }
        if !drawn && r.members.count == 1 && epciMembers.count == 1 {
            let m = r.members[0]
            f.append(
                Finding(
                    rule: .singleEPCI, severity: .attention, faq: "2.2",
                    message: "Un seul EPCI (\(m.name)) : exception qui doit justifier sa taille critique — "
                        + "\(people(figures.population)), \(km2(figures.areaKm2)), \(figures.communeCount) communes."))
        }
        for m in r.members where m.nature == "ME" {
            f.append(
                Finding(
                    rule: .metropole, severity: .attention, faq: "2.4",
                    message: "\(m.name) est une métropole : "
                        + "sa présence dans un Territoire d'industrie est une exception."))
        }
        return f
    }

    /// Contiguity: components apart, islands, contacts within the tolerance or at single points.
    static func contiguityFindings(_ contiguity: Contiguity, label: (String) -> String, data: GeoData) -> [Finding] {
        var f: [Finding] = []
        if !contiguity.contiguous {
            let parts = contiguity.gaps.map { g in
                "\(contiguity.components[g.component].map(label).joined(separator: ", ")) à \(metres(g.gapMetres)) de \(label(g.nearestMainMember))"
            }.joined(separator: " ; ")
            f.append(
                Finding(
                    rule: .nonContiguous, severity: .attention, faq: "2.1",
                    message: "Périmètre non contigu : \(contiguity.components.count) ensembles séparés (\(parts)). "
                        + "La contiguïté géographique est recommandée."))
        }
        for i in contiguity.islands {
            f.append(
                Finding(
                    rule: .island, severity: .info, faq: "2.1",
                    message: "\(label(i.member)) est une île : aucun voisin terrestre, "
                        + "à \(metres(i.seaGapMetres)) de la terre la plus proche"
                        + "\(i.nearest.map { " (\(data.epci[$0]?.name ?? $0))" } ?? "")."))
        }
        let tolerance = contiguity.edges.filter { $0.kind == .withinTolerance }
        if !tolerance.isEmpty {
            f.append(
                Finding(
                    rule: .contactWithinTolerance, severity: .info, faq: "2.1",
                    message: "Contact à moins de \(metres(contiguity.toleranceMetres)) (interstice des données) : "
                        + tolerance.map { "\($0.a)–\($0.b) (\(metres($0.metres)))" }.joined(separator: ", ") + "."))
        }
        if !contiguity.pointContacts.isEmpty {
            f.append(
                Finding(
                    rule: .pointContact, severity: .info, faq: "2.1",
                    message: "Contact en un seul point, non compté comme frontière commune : "
                        + contiguity.pointContacts.map { $0.joined(separator: "–") }.joined(separator: ", ") + "."))
        }
        return f
    }

    /// Enclaves (and whole EPCI left inside them), EPCI cut by communes listed alone.
    static func enclaveFindings(_ enclaves: [Enclave], cut: [CutEPCI]) -> [Finding] {
        var f: [Finding] = []
        for e in enclaves {
            let whole = e.epci.filter(\.whole)
            if !whole.isEmpty {
                f.append(
                    Finding(
                        rule: .enclavedEPCI, severity: .attention, faq: "2.1",
                        message: "EPCI entièrement entouré par le périmètre mais non inclus : "
                            + whole.map { "\($0.name) (\($0.code))" }.joined(separator: ", ") + "."))
            }
            let names =
                e.communes.prefix(8).map { "\($0.name) (\($0.code))" }.joined(separator: ", ")
                + (e.communes.count > 8 ? "…" : "")
            f.append(
                Finding(
                    rule: .enclave, severity: .attention, faq: "2.1",
                    message:
                        "Enclave de \(km2(e.areaKm2)) : \(e.communes.count) commune(s) non membre(s) entourée(s) par le périmètre — "
                        + "\(names.isEmpty ? "sans commune identifiée" : names)."))
        }
        for c in cut {
            f.append(
                Finding(
                    rule: .epciCut, severity: .attention, faq: "2.1",
                    message: "EPCI coupé : \(c.name) (\(c.code)) n'a que \(c.communesIn.count) "
                        + "de ses \(c.communesIn.count + c.communesOut.count) communes dans le périmètre ; "
                        + "le périmètre de base est un groupement d'EPCI entiers."))
        }
        return f
    }

    /// Interregional, interdepartemental, cross-border.
    static func spanFindings(_ span: AdministrativeSpan, border: BorderResult) -> [Finding] {
        var f: [Finding] = []
        if span.interregional {
            let regs = span.regions.map { "\($0.name) (préfecture de région : \($0.prefecture ?? "?"))" }.joined(
                separator: ", ")
            f.append(
                Finding(
                    rule: .interregional, severity: .info, faq: "2.5",
                    message: "Périmètre interrégional : "
                        + "les régions concernées sont associées au pilotage — \(regs)."))
        }
        if span.interdepartemental {
            f.append(
                Finding(
                    rule: .interdepartemental, severity: .info, faq: "2.5",
                    message: "Périmètre interdépartemental : "
                        + span.departements.map { "\($0.name) (\($0.code)) \(fr($0.areaShare * 100, 0)) %" }.joined(
                            separator: ", ") + "."))
        }
        if border.frontalier {
            var msg = "Périmètre frontalier"
            if !border.neighbours.isEmpty {
                msg +=
                    " ("
                    + border.neighbours.map { "\($0.nameFR) à \(metres($0.distanceMetres))" }.joined(separator: ", ")
                    + ")"
            }
            msg +=
                " : des actions avec le pays voisin sont possibles, "
                + "mais l'offre de services du programme ne s'applique qu'à la partie française"
            if let fp = border.frenchPartKm2 {
                msg +=
                    " (\(km2(fp)) ; hors de France : "
                    + border.abroad.map { "\($0.nameFR) \(km2($0.areaKm2))" }.joined(separator: ", ")
                if let lake = border.lakeKm2, lake >= reportedWaterKm2 { msg += " ; lacs hors communes \(km2(lake))" }
                if let sea = border.seaKm2, sea >= reportedWaterKm2 { msg += " ; en mer \(km2(sea))" }
                msg += ")"
            }
            f.append(Finding(rule: .crossBorder, severity: .info, faq: "2.5", message: msg + "."))
        }
        return f
    }

    /// Articulation with the CRTE (FAQ 2.1): a cut CRTE is a finding, with the members causing it.
    static func overlapFindings(_ crte: [CRTEAlignment], data: GeoData) -> [Finding] {
        var f: [Finding] = []
        for a in crte where !a.aligned {
            for c in a.cut {
                let missing = c.missingMembers.map { data.epci[$0].map { "\($0.name) (\($0.code))" } ?? $0 }
                f.append(
                    Finding(
                        rule: .crteCut, severity: .attention, faq: "2.1",
                        message: "Le périmètre coupe le CRTE « \(c.name) » (\(c.id)) : "
                            + (missing.isEmpty
                                ? "le périmètre n'en couvre qu'une partie."
                                : "restent hors du périmètre \(missing.joined(separator: ", ")).")))
            }
            if !a.outsideAnyCRTE.isEmpty {
                f.append(
                    Finding(
                        rule: .crteUncovered, severity: .info, faq: "2.1",
                        message:
                            "\(a.outsideAnyCRTE.count) commune(s) du périmètre ne relèvent d'aucun CRTE de la couche \(a.layer)."
                    ))
            }
            if !a.unknownCRTE.isEmpty {
                f.append(
                    Finding(
                        rule: .crteUnknown, severity: .attention, faq: "2.1",
                        message:
                            "\(a.unknownCRTE.count) commune(s) du périmètre ne sont dans aucun CRTE compris de la couche \(a.layer), "
                            + "dont certains codes n'ont pas été compris : leur CRTE est inconnu (fournissez --composition)."
                    ))
            }
        }
        for a in crte {
            for m in a.splitMembers {
                let parts = m.parts.map { "« \($0.name) » (\($0.id), \($0.communes) commune(s))" }.joined(
                    separator: " et ")
                let disjoint = m.parts.reduce(0) { $0 + $1.communes } == m.communes
                f.append(
                    Finding(
                        rule: .crteSplitMember, severity: .info, faq: "2.1",
                        message: "\(m.name) (\(m.code)) est "
                            + (disjoint
                                ? "coupé entre \(m.parts.count) CRTE de la couche \(a.layer) : "
                                : "rattaché à \(m.parts.count) CRTE de la couche \(a.layer) : ") + parts + "."))
            }
        }
        return f
    }
}
