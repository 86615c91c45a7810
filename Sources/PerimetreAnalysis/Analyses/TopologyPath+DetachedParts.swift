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
        // Measured once per commune and parts: a perimeter's predicted outcomes meet them again.
        let key =
            "\(data.path)|\(geometry.crs.code)|\(options.toleranceMetres)|\(commune)|"
            + indices.map(String.init).joined(separator: ",")
        return try measuredParts.value(for: key) {
            try measureParts(
                commune, parts: indices, graph: graph, data: data, session: session, geometry: geometry,
                options: options)
        }
    }

    /// The holes of ``partHoles(_:parts:graph:data:session:geometry:options:)`` measured so far, by
    /// GeoPackage, CRS, tolerance, commune and parts (at most 1,024).
    private static let measuredParts = BoundedCache<(enclaves: [Enclave], slivers: [Sliver])?>(limit: 1024)

    private static func measureParts(
        _ commune: String, parts indices: [Int], graph: any UnitGraph, data: GeoData, session: GeoDataSession,
        geometry: MemberGeometry, options: AnalysisOptions
    ) throws -> (enclaves: [Enclave], slivers: [Sliver])? {
        guard let f = graph.unitFacts(commune), let (record, wkb) = try session.communes(codes: [commune])[commune],
            let wkb
        else { return nil }
        let ctx = geometry.ctx
        let whole = try ctx.readWKB(wkb)
        // The parts as `data build` numbered them.
        guard let p = try whole.polygonParts(), p.detached.count == f.detachedParts.count else { return nil }
        let detached = p.detached.map { p.polygons[$0] }
        let toMetric = try session.transformer(from: "EPSG:4326", to: geometry.crs.code)
        var enclaves: [Enclave] = []
        var slivers: [Sliver] = []
        for k in indices {
            guard try enclosed(detached[k], by: f.detachedParts[k].neighbours, session: session, ctx: ctx) else {
                // A part on the coast is no hole. Neither is the main part if it touches the
                // outside too: its share of the commune's outside is more than all its parts'
                // outlines could be. Otherwise the commune may be a hole but for that part.
                guard mainPartOutside(f, parts: p) else { return nil }
                continue
            }
            // Members enclosed in the part belong to the hole, as in a ring.
            let hole = try detached[k].withoutHoles()
            guard
                let (s, km2, width) = try EnclaveAnalysis.measure(
                    hole, toMetric: toMetric, toleranceMetres: options.toleranceMetres)
            else { continue }
            if width < options.toleranceMetres {
                slivers.append(Sliver(areaKm2: km2, widthMetres: width))
                continue
            }
            // As the geometric path lists them: the communes whose interior point lies in the hole.
            // The part's neighbours are members, so only the commune itself may be one.
            let listed = try PreparedGeometry(hole).covers(try ctx.geometry(.point(try whole.interiorPoint())))
            let communes = listed ? [Enclave.Member(code: record.code, name: record.name, whole: true)] : []
            let byEPCI = (listed ? record.epci : nil).map { [$0: 1] } ?? [:]
            enclaves.append(
                Enclave(
                    areaKm2: km2, widthMetres: width, communes: communes,
                    epci: EnclaveAnalysis.epciMembers(byEPCI, data: data), shape: s))
        }
        return (enclaves, slivers)
    }

    /// Whether the unit's main part touches the outside (sea, border): its outside boundary is
    /// longer than all its detached parts' outlines together by more than ``openBoundaryMetres``.
    static func mainPartOutside(_ f: UnitFacts, parts p: PolygonParts) -> Bool {
        let outlines = p.detached.reduce(0.0) { $0 + GeodesicMeasure.perimeter(of: p.shapes[$1]) }
        return outsideMetres(f) - outlines > openBoundaryMetres
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
