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
    /// How many of each CRTE's communes each candidature holds, counted candidature by
    /// candidature as they are handed over (``add(_:by:)``, in input order): the count runs
    /// beside the analyses of the later candidatures, not after them all.
    struct CRTETally: Sendable {
        /// The CRTE layers of the audit, in order.
        let layers: [ResolvedLayer]
        /// Per layer, per CRTE: the communes each candidature (by index) holds.
        private(set) var counts: [[[Int: Int]]]
        /// Per layer, per CRTE: the communes any candidature holds.
        private(set) var covered: [[Int]]
        /// Per layer: the last candidature counting each commune.
        private var last: [CommuneMarks]

        init(_ against: [ResolvedLayer]) {
            layers = against.filter(\.layer.isCRTE)
            counts = layers.map { [[Int: Int]](repeating: [:], count: $0.territories.count) }
            covered = layers.map { [Int](repeating: 0, count: $0.territories.count) }
            last = layers.map { _ in CommuneMarks() }
        }

        /// Counts the communes of candidature `k`; candidatures come in increasing `k`.
        mutating func add(_ communes: [String], by k: Int) {
            for (l, layer) in layers.enumerated() {
                // From the candidature's communes to the CRTE holding them (one look-up per commune).
                for c in communes {
                    guard let ts = layer.byCommune[c] else { continue }
                    // A commune counts once per candidature.
                    let previous = last[l].mark(c, k)
                    if previous == k { continue }
                    for t in ts {
                        counts[l][t][k, default: 0] += 1
                        if previous == nil { covered[l][t] += 1 }
                    }
                }
            }
        }
    }

    /// The départements of each CRTE of the CRTE layers of `against` (per layer, per CRTE), which
    /// depend on the layer only: read while the candidatures are analysed.
    static func crteDepartements(_ against: [ResolvedLayer]) -> [[[String]]] {
        against.filter(\.layer.isCRTE).map { layer in layer.territories.map { departements($0.communes.keys) } }
    }

    /// Every CRTE of the CRTE layers whose main région is audited, with the candidatures covering
    /// it (from `tally`, which counted `summaries` in order), its départements from `departements`
    /// (``crteDepartements(_:)``).
    static func crteCoverage(
        _ summaries: [Summary], tally: CRTETally, departements: [[[String]]], regions: Set<String>
    ) -> [AuditResult.CRTECoverage] {
        var out: [AuditResult.CRTECoverage] = []
        for (l, layer) in tally.layers.enumerated() {
            for (i, t) in layer.territories.enumerated() {
                guard let region = t.mainRegion, regions.contains(region) else { continue }
                let covers = tally.counts[l][i].sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { k, n in
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
                        candidatures: covers, uncoveredCommunes: t.communes.count - tally.covered[l][i],
                        unresolvedMembers: t.unresolved.map(\.code), departements: departements[l][i]))
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
