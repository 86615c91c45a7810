public import PerimetreData
public import PerimetreGeometry

/// A territory layer whose members are resolved to communes once, for comparing many perimeters.
public struct ResolvedLayer: Sendable {
    public struct Territory: Sendable {
        public var id: String
        public var name: String
        /// Commune code → member code of this territory it comes through.
        public var communes: [String: String]
        public var areaKm2: Double
        public var memberCodes: [String]
        public var unresolved: [UnresolvedMember]
        /// For a polygon layer (lon/lat), with its geodesic area.
        public var wkb: WKBGeometry?
        public var envelope: Envelope
    }
    public var layer: TerritoryLayer
    public var territories: [Territory]
    /// Commune → indices of the territories containing it.
    public var byCommune: [String: [Int]]

    public var id: String { layer.id }

    /// Resolves every territory's members like `perimetre check` members do.
    public static func resolve(_ layer: TerritoryLayer, data: GeoData, compositions: CompositionTables) throws -> ResolvedLayer {
        let session = try data.session()
        let ctx = GeosContext()
        var ts: [Territory] = []
        var byCommune: [String: [Int]] = [:]
        for t in layer.territories {
            if let shape = t.shape {
                let g = try ctx.multiPolygon([try ctx.geometry(shape)])
                let valid = try g.isValid() ? g : try ctx.multiPolygon([try g.makeValid()])
                ts.append(Territory(id: t.id, name: t.name, communes: [:], areaKm2: try valid.geodesicArea() / 1e6, memberCodes: [],
                                    unresolved: [], wkb: try valid.wkb(), envelope: valid.envelope()))
                continue
            }
            let r = try Resolution.resolve(t.members, data: data, session: session, compositions: compositions)
            var communes: [String: String] = [:]
            for m in r.members { for c in m.communes { communes[c] = m.code } }
            let k = ts.count
            for c in communes.keys { byCommune[c, default: []].append(k) }
            ts.append(Territory(id: t.id, name: t.name, communes: communes,
                                areaKm2: r.communes.values.reduce(0) { $0 + $1.areaKm2 }, memberCodes: r.members.map(\.code),
                                unresolved: r.unresolved, wkb: nil, envelope: .empty))
        }
        return ResolvedLayer(layer: layer, territories: ts, byCommune: byCommune)
    }
}
