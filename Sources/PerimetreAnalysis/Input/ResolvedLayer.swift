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
        /// Commune code → member code of this territory it comes through.
        public var communes: [String: String]
        /// Geodesic area of its communes (km²).
        public var areaKm2: Double
        /// Its member codes as resolved.
        public var memberCodes: [String]
        /// Its member codes that could not be resolved.
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
    public var byCommune: [String: [Int]]
    /// How its member codes were understood (resolved, traced, not understood).
    public var resolution: LayerResolution

    /// The layer's id.
    public var id: String { layer.id }

    /// Resolves every territory's members like `perimetre check` members do. A membership layer
    /// none of whose codes is understood is refused (``LayerError``): its overlaps would be empty.
    public static func resolve(_ layer: TerritoryLayer, data: GeoData, compositions: CompositionTables) throws -> ResolvedLayer {
        // Territories are resolved in parallel, each worker with its own session and GEOS context.
        var clock = Profile.start()
        struct State { let session: GeoDataSession; let ctx: GeosContext }
        let results = try parallelMap(layer.territories, makeState: { State(session: try data.session(), ctx: GeosContext()) }) {
            (state: inout State, t: TerritoryLayer.Territory) -> (Territory, Resolution?) in
            if let shape = t.shape {
                let ctx = state.ctx
                let g = try ctx.multiPolygon([try ctx.geometry(shape)])
                let valid = try g.isValid() ? g : try ctx.multiPolygon([try g.makeValid()])
                return (Territory(id: t.id, name: t.name, communes: [:], areaKm2: try valid.geodesicArea() / 1e6, memberCodes: [],
                                  unresolved: [], mainRegion: nil, wkb: try valid.wkb(), envelope: valid.envelope()), nil)
            }
            let r = try Resolution.resolve(t.members, data: data, session: state.session, compositions: compositions)
            var communes: [String: String] = [:]
            for m in r.members { for c in m.communes { communes[c] = m.code } }
            var byRegion: [String: Double] = [:]
            for c in r.communes.values { byRegion[c.region, default: 0] += c.areaKm2 }
            return (Territory(id: t.id, name: t.name, communes: communes,
                              areaKm2: r.communes.values.reduce(0) { $0 + $1.areaKm2 }, memberCodes: r.members.map(\.code),
                              unresolved: r.unresolved, mainRegion: byRegion.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key,
                              wkb: nil, envelope: .empty), r)
        }
        Profile.lap(&clock, "layer: resolve territories")
        let summary = LayerResolution.summarise(layer, zip(layer.territories, results.map(\.1)).map { ($0, $1) },
                                                compositionsGiven: !compositions.isEmpty)
        if layer.format != .polygons && summary.members > 0 && summary.resolved + summary.traced == 0 {
            let first = summary.unresolved.prefix(5).map { "\($0.code) (ligne \($0.row.map(String.init) ?? "?"))" }.joined(separator: ", ")
            throw LayerError(message: "\(layer.source) : aucun des \(summary.members) codes de membres de la couche n'a été compris (\(first)…) : "
                + (compositions.isEmpty ? "ce ne sont pas des codes d'EPCI ou de communes de 2026 ; fournissez des tables --composition s'ils sont d'un autre millésime"
                                        : "pas même avec les tables de composition fournies"))
        }
        Profile.lap(&clock, "layer: summarise")
        let ts = results.map(\.0)
        var byCommune: [String: [Int]] = [:]
        for (k, t) in ts.enumerated() { for c in t.communes.keys { byCommune[c, default: []].append(k) } }
        return ResolvedLayer(layer: layer, territories: ts, byCommune: byCommune, resolution: summary)
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
