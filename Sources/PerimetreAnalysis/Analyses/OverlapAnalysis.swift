import PerimetreData
import PerimetreGeometry

/// Overlaps with the territories of other layers: shared area, shares, shared members and the
/// relation; for a CRTE layer, the alignment verdict. Membership layers compare commune sets
/// (exact on the coverage); polygon layers intersect geometries, and overlaps below the sliver
/// threshold are edge contacts.
enum OverlapAnalysis {
    /// Below this (km²), or 0.1 % of the smaller area, a polygon overlap is an edge contact.
    static let sliverKm2 = 0.05
    /// A polygon overlap thinner than this on average (m) and under half of both areas is an edge contact.
    static let sliverWidthMetres = 50.0

    static func run(
        _ layers: [ResolvedLayer], communes: [String: Commune], members: [ResolvedMember],
        perimeter: Geometry?, shapeOf: (([String]) throws -> Shape?)? = nil
    ) throws -> ([Overlap], [CRTEAlignment]) {
        guard !layers.isEmpty else { return ([], []) }
        let perimeterArea = communes.values.reduce(0) { $0 + $1.areaKm2 }
        // Each commune's member, for the CRTE cut (built only when a CRTE is cut).
        var memberOf: [String: String]? = nil
        var overlaps: [Overlap] = []
        var alignments: [CRTEAlignment] = []
        for layer in layers {
            var found: [Overlap] = []
            if layer.layer.format == .polygons {
                guard let p = perimeter else { continue }
                found = try polygonOverlaps(layer, perimeter: p)
            } else {
                let shares = CommuneShares(layer, communes: communes)
                for s in shares.shared {
                    found.append(
                        try membershipOverlap(
                            layer, territory: s.territory, communes: s.communes, area: s.areaKm2, perimeter: communes,
                            perimeterArea: perimeterArea, shapeOf: shapeOf))
                }
                if layer.layer.isCRTE {
                    alignments.append(
                        alignment(layer, shares: shares, communes: communes, members: members, memberOf: &memberOf))
                }
            }
            overlaps += found.sorted { ($1.areaKm2, $0.id) < ($0.areaKm2, $1.id) }
        }
        return (overlaps, alignments)
    }

    /// A polygon layer's territories meeting the perimeter: their intersections measured.
    private static func polygonOverlaps(_ layer: ResolvedLayer, perimeter p: Geometry) throws -> [Overlap] {
        var found: [Overlap] = []
        let ctx = p.context
        let pa = try p.geodesicArea() / 1e6
        let env = p.envelope()
        for t in layer.territories where t.envelope.intersects(env) {
            guard let wkb = t.wkb else { continue }
            let g = try ctx.readWKB(wkb)
            guard try g.intersects(p) else { continue }
            let x = try g.intersection(p)
            let a = try x.geodesicArea() / 1e6
            let sp = pa > 0 ? a / pa : 0
            let so = t.areaKm2 > 0 ? a / t.areaKm2 : 0
            // A long thin overlap along the shared border (two sources drawn at different
            // resolutions) is an edge contact too, whatever its area: mean width 2A/P.
            let width = a > 0 ? 2 * a * 1e6 / max(try x.geodesicPerimeter(), 1) : 0
            let edge =
                a < max(sliverKm2, 0.001 * min(pa, t.areaKm2))
                || (width < sliverWidthMetres && sp < 0.5 && so < 0.5)
            let relation: Overlap.Relation =
                sp > 0.99 && so > 0.99 ? .identical : so > 0.99 ? .contains : sp > 0.99 ? .inside : .partial
            found.append(
                Overlap(
                    layer: layer.id, id: t.id, name: t.name, areaKm2: a, shareOfPerimeter: sp, shareOfOther: so,
                    sharedMembers: [], relation: relation, edgeContact: edge, shape: edge ? nil : try x.shape())
            )
        }
        return found
    }

    /// One look-up per commune: the territories holding it, the area they share, the communes in none.
    private struct CommuneShares {
        /// The territories holding some of the perimeter, by index: the perimeter's communes in
        /// each and their area (km²).
        var shared: [(territory: Int, communes: [String], areaKm2: Double)] = []
        /// The communes in no territory of the layer.
        var none: [String] = []

        init(_ layer: ResolvedLayer, communes: [String: Commune]) {
            // A perimeter meets a few territories: their slots in a short list, found by a scan.
            var ks: [Int] = []
            var codes: [[String]] = []
            var areas: [Double] = []
            for i in communes.indices {
                let c = communes[i].key
                guard let holding = layer.byCommune[c] else {
                    none.append(c)
                    continue
                }
                let area = communes[i].value.areaKm2
                for k in holding {
                    if let slot = ks.firstIndex(of: k) {
                        codes[slot].append(c)
                        areas[slot] += area
                    } else {
                        ks.append(k)
                        codes.append([c])
                        areas.append(area)
                    }
                }
            }
            shared = ks.indices.sorted { ks[$0] < ks[$1] }.map { (ks[$0], codes[$0], areas[$0]) }
        }
    }

    /// The overlap with territory `k` of a membership layer, from the communes `cs` they share.
    private static func membershipOverlap(
        _ layer: ResolvedLayer, territory k: Int, communes cs: [String], area a: Double,
        perimeter communes: [String: Commune], perimeterArea: Double, shapeOf: (([String]) throws -> Shape?)?
    ) throws -> Overlap {
        let t = layer.territories[k]
        let relation: Overlap.Relation =
            cs.count == communes.count && cs.count == t.communes.count
            ? .identical
            : cs.count == t.communes.count ? .contains : cs.count == communes.count ? .inside : .partial
        return Overlap(
            layer: layer.id, id: t.id, name: t.name, areaKm2: a,
            shareOfPerimeter: perimeterArea > 0 ? a / perimeterArea : 0,
            shareOfOther: t.areaKm2 > 0 ? a / t.areaKm2 : 0,
            sharedMembers: Set(cs.compactMap { t.communes[$0] }).sorted(), relation: relation,
            edgeContact: false, shape: try shapeOf?(cs.sorted()))
    }

    /// The alignment verdict on a CRTE layer: the CRTE wholly inside, those cut, the communes in none.
    private static func alignment(
        _ layer: ResolvedLayer, shares: CommuneShares, communes: [String: Commune], members: [ResolvedMember],
        memberOf: inout [String: String]?
    ) -> CRTEAlignment {
        var whole: [String] = []
        var cut: [CRTEAlignment.Cut] = []
        for (k, cs, _) in shares.shared.sorted(by: {
            layer.territories[$0.territory].id < layer.territories[$1.territory].id
        }) {
            let t = layer.territories[k]
            if cs.count == t.communes.count {
                whole.append(t.id)
                continue
            }
            // The CRTE's communes outside the perimeter (those inside are the shared ones).
            let missing = Set(t.communes.pairs.filter { communes[$0.code] == nil }.map(\.member)).sorted()
            if memberOf == nil {
                memberOf = Dictionary(
                    members.flatMap { m in m.communes.map { ($0, m.code) } },
                    uniquingKeysWith: { a, _ in a })
            }
            cut.append(
                .init(
                    id: t.id, name: t.name, perimeterMembers: Set(cs.compactMap { memberOf![$0] }).sorted(),
                    missingMembers: missing))
        }
        // With codes of the layer not understood, a commune in no CRTE understood may be in
        // one of theirs: its CRTE is unknown, not "none".
        let none = shares.none.sorted()
        let complete = layer.resolution.complete
        var a = CRTEAlignment(
            layer: layer.id, aligned: cut.isEmpty && none.isEmpty, whole: whole, cut: cut,
            outsideAnyCRTE: complete ? none : [])
        a.unknownCRTE = complete ? [] : none
        a.splitMembers = splitMembers(members, layer: layer)
        return a
    }

    /// Members whose communes lie in two or more CRTE of the layer, with the communes in each.
    static func splitMembers(_ members: [ResolvedMember], layer: ResolvedLayer) -> [CRTEAlignment.SplitMember] {
        var out: [CRTEAlignment.SplitMember] = []
        for m in members {
            var count: [Int: Int] = [:]
            for c in m.communes { for k in layer.byCommune[c] ?? [] { count[k, default: 0] += 1 } }
            guard count.count > 1 else { continue }
            let parts = count.map { k, n in
                CRTEAlignment.SplitMember.Part(
                    id: layer.territories[k].id, name: layer.territories[k].name, communes: n)
            }.sorted { $0.id < $1.id }
            out.append(.init(code: m.code, name: m.name, communes: m.communes.count, parts: parts))
        }
        return out
    }
}
