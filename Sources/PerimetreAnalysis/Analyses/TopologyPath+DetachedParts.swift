import PerimetreData
import PerimetreGeometry

extension TopologyPath {
    /// The holes a commune's detached parts make where the members enclose them (a commune's own
    /// exclave amid the perimeter). `parts` are indices in the commune's `detachedParts`, each
    /// meeting members only; a part is enclosed when its outline runs along its neighbouring
    /// communes all the way round. Only that part's geometry and its neighbours' are read, not
    /// the perimeter's dissolve. Nil when the commune's parts do not match the reference topology,
    /// or a part is on the coast while the main part may be enclosed: only the perimeter's
    /// geometry can say then.
    static func partHoles(
        _ commune: String, parts indices: [Int], graph: any UnitGraph, data: GeoData, session: GeoDataSession,
        geometry: MemberGeometry, options: AnalysisOptions
    ) throws -> (enclaves: [Enclave], slivers: [Sliver])? {
        guard let f = graph.unitFacts(commune), let (record, wkb) = try session.communes(codes: [commune])[commune],
            let wkb
        else { return nil }
        let ctx = geometry.ctx
        let whole = try ctx.readWKB(wkb)
        let detached = try detachedPolygons(whole)
        guard detached.count == f.detachedParts.count else { return nil }
        var enclaves: [Enclave] = []
        var slivers: [Sliver] = []
        for k in indices {
            guard try enclosed(detached[k], by: f.detachedParts[k].neighbours, session: session, ctx: ctx) else {
                // A part on the coast is no hole. Neither is the main part if it touches the
                // outside too: its share of the commune's outside is more than all its parts'
                // outlines could be. Otherwise the commune may be a hole but for that part.
                guard try mainPartOutside(f, detached: detached) else { return nil }
                continue
            }
            // Members enclosed in the part belong to the hole, as in a ring.
            let hole = try detached[k].withoutHoles()
            let s = try hole.shape()
            let km2 = GeodesicMeasure.area(of: s) / 1e6
            if km2 < 1e-6 { continue }
            let (_, r) = try session.transformer(from: "EPSG:4326", to: geometry.crs.code).transform(hole)
                .maximumInscribedCircle(tolerance: max(1, options.toleranceMetres / 50))
            if 2 * r < options.toleranceMetres {
                slivers.append(Sliver(areaKm2: km2, widthMetres: 2 * r))
                continue
            }
            // As the geometric path lists them: the communes whose interior point lies in the hole.
            // The part's neighbours are members, so only the commune itself may be one.
            let listed = try PreparedGeometry(hole).covers(try ctx.geometry(.point(try whole.interiorPoint())))
            let communes = listed ? [Enclave.Member(code: record.code, name: record.name, whole: true)] : []
            let epci = (listed ? record.epci : nil).map { e -> [Enclave.Member] in
                let info = data.epci[e]
                return [.init(code: e, name: info?.name ?? e, whole: info.map { $0.communeCount == 1 } ?? false)]
            }
            enclaves.append(Enclave(areaKm2: km2, widthMetres: 2 * r, communes: communes, epci: epci ?? [], shape: s))
        }
        return (enclaves, slivers)
    }

    /// Whether the unit's main part touches the outside (sea, border): its outside boundary is
    /// longer than all its detached parts' outlines together by more than ``openBoundaryMetres``.
    static func mainPartOutside(_ f: UnitFacts, detached: [Geometry]) throws -> Bool {
        let parts = try detached.reduce(0.0) { $0 + GeodesicMeasure.perimeter(of: try $1.shape()) }
        return outsideMetres(f) - parts > openBoundaryMetres
    }

    /// The polygons of `g` apart from its largest (by geodesic area), in their order: the parts
    /// `data build` describes in `detachedParts`.
    static func detachedPolygons(_ g: Geometry) throws -> [Geometry] {
        let parts = try g.polygons()
        guard parts.count > 1 else { return [] }
        let areas = try parts.map { GeodesicMeasure.area(of: try $0.shape()) }
        let main = areas.indices.max { areas[$0] < areas[$1] }!
        return parts.indices.filter { $0 != main }.map { parts[$0] }
    }

    /// Whether the part's outline runs along the communes it meets all the way round (less than
    /// ``openBoundaryMetres`` of it elsewhere: the sea, a border, a commune it does not name).
    static func enclosed(
        _ part: Geometry, by neighbours: [String], session: GeoDataSession, ctx: GeosContext
    ) throws -> Bool {
        let found = try session.communes(codes: neighbours)
        guard !neighbours.isEmpty, found.count == neighbours.count else { return false }
        let around = try ctx.unaryUnion(try neighbours.compactMap { found[$0]?.1 }.map { try ctx.readWKB($0) })
        let open = try part.exteriorRing().difference(around)
        // Its planar length in degrees bounds its length on the ground (a degree is at most
        // 112 km): what is left may be points or tiny pieces, not always lines.
        if open.isEmpty { return true }
        return try open.length() * metresPerDegreeAtMost < openBoundaryMetres
    }

    /// The length of a degree of latitude or longitude on the ground, rounded up (m).
    static let metresPerDegreeAtMost = 112_000.0
}
