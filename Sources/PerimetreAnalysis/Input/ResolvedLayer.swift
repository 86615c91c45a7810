public import PerimetreData
public import PerimetreGeometry

/// A territory layer whose members are resolved to communes once, for comparing many perimeters.
public struct ResolvedLayer: Sendable {
    /// One territory of the layer, resolved.
    public struct Territory: Sendable {
        /// The territory's identifier in its layer.
        public var id: String
        /// Its name.
        public var name: String
        /// Its communes, each with the member code it comes through.
        public var communes: TerritoryCommunes
        /// Geodesic area of its communes (km²).
        public var areaKm2: Double
        /// Its member codes as resolved.
        public var memberCodes: [String]
        /// Its member codes not understood (without near-name suggestions, which no report of a layer shows).
        public var unresolved: [UnresolvedMember]
        /// The région holding most of its area (nil for a polygon territory).
        public var mainRegion: String?
        /// For a polygon layer (lon/lat), with its geodesic area.
        public var wkb: WKBGeometry?
        /// Lon/lat bounding box.
        public var envelope: Envelope
    }
    /// The layer as read.
    public var layer: TerritoryLayer
    /// Its territories, resolved, in the layer's order.
    public var territories: [Territory]
    /// Commune → indices of the territories containing it.
    public var byCommune: LayerCommuneIndex
    /// How its member codes were understood (resolved, traced, not understood).
    public var resolution: LayerResolution

    /// The layer's id.
    public var id: String { layer.id }

    /// Resolves every territory's members like `perimetre check` members do. A membership layer
    /// none of whose codes is understood is refused (``LayerError``): its overlaps would be empty.
    public static func resolve(
        _ layer: TerritoryLayer, data: GeoData, compositions: CompositionTables
    ) throws -> ResolvedLayer {
        var clock = Profile.start()
        // Territories given by a polygon in parallel, each worker with its own GEOS context.
        let drawn = layer.territories.indices.filter { layer.territories[$0].shape != nil }
        let polygons = try parallelMap(drawn.map { layer.territories[$0] }) {
            (ctx: GeosContext, t: TerritoryLayer.Territory) -> Territory in
            let g = try ctx.multiPolygon([try ctx.geometry(t.shape!)])
            let valid = try g.isValid() ? g : try ctx.multiPolygon([try g.makeValid()])
            return Territory(
                id: t.id, name: t.name, communes: .init(), areaKm2: try valid.geodesicArea() / 1e6, memberCodes: [],
                unresolved: [], mainRegion: nil, wkb: try valid.wkb(), envelope: valid.envelope())
        }
        // Territories given by members: all in one batch (a few queries for the whole layer).
        let listed = layer.territories.indices.filter { layer.territories[$0].shape == nil }
        let resolutions = try resolveMembership(
            listed.map { layer.territories[$0] }, data: data, compositions: compositions)
        var results = [(Territory, MemberReport?)?](repeating: nil, count: layer.territories.count)
        for (i, t) in zip(drawn, polygons) { results[i] = (t, nil) }
        for (i, r) in zip(listed, resolutions) { results[i] = r }
        let resolved = results.map { $0! }
        Profile.lap(&clock, "layer: resolve territories")
        let summary = LayerResolution.summarise(
            layer, zip(layer.territories, resolved.map(\.1)).map { ($0, $1) },
            compositionsGiven: !compositions.isEmpty)
        if layer.format != .polygons && summary.members > 0 && summary.resolved + summary.traced == 0 {
            let first = summary.unresolved.prefix(5).map { "\($0.code) (ligne \($0.row.map(String.init) ?? "?"))" }
                .joined(separator: ", ")
            throw LayerError(
                message:
                    "\(layer.source) : aucun des \(summary.members) codes de membres de la couche n'a été compris (\(first)…) : "
                    + (compositions.isEmpty
                        ? "ce ne sont pas des codes d'EPCI ou de communes de 2026 ; fournissez des tables --composition s'ils sont d'un autre millésime"
                        : "pas même avec les tables de composition fournies"))
        }
        Profile.lap(&clock, "layer: summarise")
        let ts = resolved.map(\.0)
        let byCommune = LayerCommuneIndex(ts.map(\.communes))
        Profile.lap(&clock, "layer: index by commune")
        return ResolvedLayer(layer: layer, territories: ts, byCommune: byCommune, resolution: summary)
    }
}

extension ResolvedLayer {
    /// A membership territory from its resolution: its communes, area and main région.
    static func territory(_ t: TerritoryLayer.Territory, _ r: Resolution) -> Territory {
        // A resolution's members share no commune.
        var pairs: [(code: String, member: Int32)] = []
        for (k, m) in r.members.enumerated() { for c in m.communes { pairs.append((c, Int32(k))) } }
        var byRegion: [String: Double] = [:]
        for c in r.communes.values { byRegion[c.region, default: 0] += c.areaKm2 }
        return Territory(
            id: t.id, name: t.name, communes: TerritoryCommunes(pairs, members: r.members.map(\.code)),
            areaKm2: r.communes.values.reduce(0) { $0 + $1.areaKm2 }, memberCodes: r.members.map(\.code),
            unresolved: r.unresolved, mainRegion: mainRegion(byRegion.map { ($0.key, $0.value) }),
            wkb: nil, envelope: .empty)
    }

    /// The région holding most of the area; on a tie, the first code.
    static func mainRegion(_ areas: [(region: String, areaKm2: Double)]) -> String? {
        areas.max { ($0.areaKm2, $1.region) < ($1.areaKm2, $0.region) }?.region
    }
}

/// A layer that cannot be compared with (none of its codes understood).
public struct LayerError: CodedError, Sendable {
    /// What is wrong, in French.
    public var message: String
    /// The French message.
    public var description: String { message }
    /// Stable English code: `layer_not_understood`.
    public var code: String { "layer_not_understood" }
}
