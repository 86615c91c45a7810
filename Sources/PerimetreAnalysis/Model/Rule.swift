extension Finding {
    /// The programme rule (or check) a finding is about. The raw value is the `rule` string of the
    /// JSON outputs (`docs/check-json.md`); ``label`` and ``plural`` are what a person reads.
    public enum Rule: String, Sendable, Hashable, CaseIterable, Comparable {
        /// A member code the reference data could not resolve (FAQ 2.1: members are EPCI).
        case unresolvedCode = "unresolved_code"
        /// A code corrected (a leading zero lost in a spreadsheet).
        case correctedCode = "corrected_code"
        /// An EPCI of an older vintage, traced to its communes.
        case formerEPCI = "former_epci"
        /// A code listed twice, or a commune inside two members.
        case duplicate
        /// A perimeter of one EPCI only (FAQ 2.2).
        case singleEPCI = "single_epci"
        /// A métropole among the members.
        case metropole
        /// Members in two or more components (FAQ 2.1).
        case nonContiguous = "non_contiguous"
        /// A member apart by the sea (tolerated).
        case island
        /// Two members apart by less than the tolerance, not sharing a border.
        case contactWithinTolerance = "contact_within_tolerance"
        /// Two members meeting at single points only.
        case pointContact = "point_contact"
        /// A whole EPCI enclosed by the perimeter and left out.
        case enclavedEPCI = "enclaved_epci"
        /// A hole in the perimeter (FAQ 2.1).
        case enclave
        /// An EPCI listed through some of its communes only.
        case epciCut = "epci_cut"
        /// The perimeter spans several régions.
        case interregional
        /// The perimeter spans several départements.
        case interdepartemental
        /// The perimeter is frontalier or reaches abroad.
        case crossBorder = "cross_border"
        /// The perimeter cuts a CRTE (FAQ 2.1: articulation with the CRTE).
        case crteCut = "crte_cut"
        /// Communes of the perimeter in no CRTE.
        case crteUncovered = "crte_uncovered"
        /// Communes whose CRTE is unknown (codes of the layer not understood).
        case crteUnknown = "crte_unknown"
        /// A member whose communes lie in two or more CRTE.
        case crteSplitMember = "crte_split_member"
        /// A drawn geometry that had to be repaired.
        case repairedGeometry = "repaired_geometry"
        /// A member claimed by two candidatures of an audit.
        case conflict

        /// Ordered by raw value, so sorted lists of rules are the same as when rules were strings.
        public static func < (a: Rule, b: Rule) -> Bool { a.rawValue < b.rawValue }

        /// The short French label of one such finding ("CRTE coupé").
        public var label: String { Self.labels[self]!.one }
        /// The French label of several ("CRTE coupés"), used after a count.
        public var plural: String { Self.labels[self]!.many }

        /// "CRTE coupé" for one, "2 CRTE coupés" for more.
        public func counted(_ n: Int) -> String { n == 1 ? label : "\(n) \(plural)" }

        /// The French wording of every rule, in one place.
        static let labels: [Rule: (one: String, many: String)] = [
            .unresolvedCode: ("code non résolu", "codes non résolus"),
            .correctedCode: ("code corrigé", "codes corrigés"),
            .formerEPCI: ("ancien EPCI", "anciens EPCI"),
            .duplicate: ("doublon", "doublons"),
            .singleEPCI: ("EPCI unique", "EPCI uniques"),
            .metropole: ("métropole", "métropoles"),
            .nonContiguous: ("non contigu", "discontinuités"),
            .island: ("île", "îles"),
            .contactWithinTolerance: ("contact dans la tolérance", "contacts dans la tolérance"),
            .pointContact: ("contact en un point", "contacts en un point"),
            .enclavedEPCI: ("EPCI enclavé", "EPCI enclavés"),
            .enclave: ("enclave", "enclaves"),
            .epciCut: ("EPCI coupé", "EPCI coupés"),
            .interregional: ("interrégional", "interrégional"),
            .interdepartemental: ("interdépartemental", "interdépartemental"),
            .crossBorder: ("frontalier", "frontalier"),
            .crteCut: ("CRTE coupé", "CRTE coupés"),
            .crteUncovered: ("communes hors CRTE", "communes hors CRTE"),
            .crteUnknown: ("CRTE inconnu", "CRTE inconnus"),
            .crteSplitMember: ("membre partagé entre CRTE", "membres partagés entre CRTE"),
            .repairedGeometry: ("polygone réparé", "polygones réparés"),
            .conflict: ("membre revendiqué deux fois", "membres revendiqués deux fois"),
        ]
    }
}

extension Finding.Severity {
    /// The French word a person reads ("BLOQUANT", "Attention", "Info").
    public var label: String {
        switch self {
        case .bloquant: "BLOQUANT"
        case .attention: "Attention"
        case .info: "Info"
        }
    }
}

extension Array where Element == Finding {
    /// The rules of these findings, each with its count, in order of first appearance, in
    /// French: "métropole, 2 CRTE coupés".
    public func countedLabels() -> String {
        var order: [Finding.Rule] = []
        var counts: [Finding.Rule: Int] = [:]
        for f in self {
            if counts[f.rule] == nil { order.append(f.rule) }
            counts[f.rule, default: 0] += 1
        }
        return order.map { $0.counted(counts[$0]!) }.joined(separator: ", ")
    }
}

/// The verdict of a candidature in an audit. The raw value is the JSON/CSV `verdict` string.
public enum Verdict: String, Sendable, Hashable, CaseIterable {
    /// At least one finding is bloquant.
    case bloquant
    /// No bloquant finding, at least one to look at.
    case attention
    /// Nothing bloquant nor to look at.
    case conforme
    /// The candidature could not be analysed (no member resolved…).
    case erreur

    /// The French label a person reads.
    public var label: String { self == .erreur ? "erreur d'analyse" : rawValue }
}
