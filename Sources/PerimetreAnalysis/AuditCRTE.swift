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
    static func crteCoverage(
        _ summaries: [Summary], against: [ResolvedLayer],
        regions: Set<String>
    ) -> [AuditResult.CRTECoverage] {
        guard against.contains(where: \.layer.isCRTE) else { return [] }
        var out: [AuditResult.CRTECoverage] = []
        for layer in against where layer.layer.isCRTE {
            // From the candidatures' communes to the CRTE holding them (one look-up per commune):
            // how many of each CRTE's communes each candidature holds, and how many any holds.
            var counts = [[Int: Int]](repeating: [:], count: layer.territories.count)
            var covered = [Int](repeating: 0, count: layer.territories.count)
            // A commune counts once per candidature: the last candidature counting it.
            var last = CommuneMarks()
            for (k, o) in summaries.enumerated() {
                for c in o.communes {
                    guard let ts = layer.byCommune[c] else { continue }
                    let previous = last.mark(c, k)
                    if previous == k { continue }
                    for t in ts {
                        counts[t][k, default: 0] += 1
                        if previous == nil { covered[t] += 1 }
                    }
                }
            }
            for (i, t) in layer.territories.enumerated() {
                guard let region = t.mainRegion, regions.contains(region) else { continue }
                let covers = counts[i].sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { k, n in
                    AuditResult.CRTECoverage.Cover(
                        candidature: summaries[k].id, communes: n, whole: n == t.communes.count)
                }
                let status: AuditResult.CRTECoverage.Status =
                    covers.isEmpty
                    ? .uncovered
                    : covers.count > 1
                        ? .split
                        : covers[0].whole ? .covered : .partial
                out.append(
                    .init(
                        layer: layer.id, id: t.id, name: t.name, region: region, communes: t.communes.count,
                        status: status,
                        candidatures: covers, uncoveredCommunes: t.communes.count - covered[i],
                        unresolvedMembers: t.unresolved.map(\.code), departements: departements(t.communes.keys)))
            }
        }
        return out.sorted { ($0.layer, $0.region, $0.id) < ($1.layer, $1.region, $1.id) }
    }

    /// The départements of communes: an INSEE code's first two characters, three overseas (97x).
    /// Communes of one département mostly follow each other: a code is only cut when its prefix
    /// changes.
    static func departements(_ communes: some Sequence<String>) -> [String] {
        var out = Set<String>()
        var last: (UInt8, UInt8, UInt8) = (0, 0, 0)
        for c in communes {
            var bytes = c.utf8.makeIterator()
            let a = bytes.next() ?? 0
            let b = bytes.next() ?? 0
            let x = bytes.next() ?? 0
            guard a < 128, b < 128, x < 128 else {
                out.insert(String(c.prefix(c.hasPrefix("97") ? 3 : 2)))
                continue
            }
            let key = a == 57 && b == 55 ? (a, b, x) : (a, b, 0)
            if key == last { continue }
            last = key
            out.insert(String(c.prefix(key.2 == 0 ? 2 : 3)))
        }
        return out.sorted()
    }
}
