public import PerimetreData
public import PerimetreGeometry

/// The départements and régions of the reference data, for the national maps (TopoJSON
/// `--with-admin`, the poster's outlines).
public struct AdminLayers: Sendable {
    /// A département or a région.
    public struct Unit: Sendable {
        /// INSEE code.
        public var code: String
        /// Name.
        public var name: String
        /// The région of a département (nil for a région).
        public var region: String?
        /// Lon/lat outline.
        public var shape: Shape
    }

    /// Sorted by code.
    public var departements: [Unit]
    /// Sorted by code.
    public var regions: [Unit]

    /// Layers of the given units.
    public init(departements: [Unit], regions: [Unit]) {
        self.departements = departements
        self.regions = regions
    }

    /// Reads both layers from the reference GeoPackage.
    public static func load(_ data: GeoData) throws -> AdminLayers {
        let session = try data.session()
        let ctx = GeosContext()
        let deps = try session.departementGeometries().map { d, g in
            Unit(code: d.code, name: d.name, region: d.region, shape: try ctx.readWKB(g).shape())
        }
        let regs = try session.regionGeometries().map { r, g in
            Unit(code: r.code, name: r.name, region: nil, shape: try ctx.readWKB(g).shape())
        }
        return AdminLayers(departements: deps, regions: regs)
    }

    /// One arc topology of the départements then the régions (features in that order). Régions
    /// are unions of départements built from the same communes, so their borders are the same
    /// vertices and become the same arcs.
    public func topology(simplifyMetres: Double?) throws -> ArcTopology {
        let topo = ArcTopology(shapes: departements.map(\.shape) + regions.map(\.shape))
        guard let tol = simplifyMetres, tol > 0 else { return topo }
        return try topo.simplified(toleranceMetres: tol).0
    }
}
