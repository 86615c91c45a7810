import PerimetreData

extension AuditResult {
    /// How the candidatures cover one CRTE of a CRTE layer (the SGAR's view of a région).
    public struct CRTECoverage: Sendable {
        /// How the CRTE is covered (JSON `status`).
        public enum Status: String, Sendable {
            /// Wholly inside one candidature.
            case covered
            /// One candidature covers part of it, none the rest.
            case partial
            /// Two or more candidatures share it.
            case split
            /// No candidature covers any of it.
            case uncovered
        }
        /// A candidature covering some of the CRTE.
        public struct Cover: Sendable {
            /// The candidature's identifier.
            public var candidature: String
            /// Number of the CRTE's communes in it.
            public var communes: Int
            /// All the CRTE's communes are in this candidature.
            public var whole: Bool
        }
        /// Identifier of the CRTE layer.
        public var layer: String
        /// The CRTE's identifier.
        public var id: String
        /// Its name.
        public var name: String
        /// The région holding most of its area.
        public var region: String
        /// Its communes (as understood from the layer).
        public var communes: Int
        /// How the candidatures cover it.
        public var status: Status
        /// The candidatures covering some of it.
        public var candidatures: [Cover]
        /// Its communes in no candidature.
        public var uncoveredCommunes: Int
        /// Member codes of this CRTE the layer's reading did not understand: its extent is incomplete.
        public var unresolvedMembers: [String]
        /// The départements of its communes (from their INSEE codes), sorted: what a `--departement`
        /// selection of the audit report keeps.
        public var departements: [String] = []
    }
}

extension Audit {
    /// Every CRTE of the CRTE layers whose main région is audited, with the candidatures covering it.
    static func crteCoverage(_ outcomes: [AuditResult.Outcome], against: [ResolvedLayer],
                             regions: Set<String>) -> [AuditResult.CRTECoverage] {
        guard against.contains(where: \.layer.isCRTE) else { return [] }
        // Each commune's candidatures, each once (a candidature's communes are appended together).
        var candidaturesOf: [String: [Int]] = [:]
        candidaturesOf.reserveCapacity(outcomes.reduce(0) { $0 + ($1.result?.figures.communeCount ?? 0) })
        for (k, o) in outcomes.enumerated() {
            for m in o.result?.members ?? [] {
                for c in m.communes where candidaturesOf[c]?.last != k { candidaturesOf[c, default: []].append(k) }
            }
        }
        var out: [AuditResult.CRTECoverage] = []
        for layer in against where layer.layer.isCRTE {
            for t in layer.territories {
                guard let region = t.mainRegion, regions.contains(region) else { continue }
                var count: [Int: Int] = [:]
                var uncovered = 0
                for c in t.communes.keys {
                    guard let ks = candidaturesOf[c] else { uncovered += 1; continue }
                    for k in ks { count[k, default: 0] += 1 }
                }
                let covers = count.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { k, n in
                    AuditResult.CRTECoverage.Cover(candidature: outcomes[k].id, communes: n, whole: n == t.communes.count)
                }
                let status: AuditResult.CRTECoverage.Status = covers.isEmpty ? .uncovered : covers.count > 1 ? .split
                    : covers[0].whole ? .covered : .partial
                // A commune's département is its INSEE code's first two characters, three overseas (97x).
                let deps = Set(t.communes.keys.map { String($0.prefix($0.hasPrefix("97") ? 3 : 2)) }).sorted()
                out.append(.init(layer: layer.id, id: t.id, name: t.name, region: region, communes: t.communes.count, status: status,
                                 candidatures: covers, uncoveredCommunes: uncovered, unresolvedMembers: t.unresolved.map(\.code),
                                 departements: deps))
            }
        }
        return out.sorted { ($0.layer, $0.region, $0.id) < ($1.layer, $1.region, $1.id) }
    }
}
