/// What `perimetre map` draws and how.
public struct MapOptions: Sendable {
    /// What one feature of the map is.
    public enum Level: String, Sendable, CaseIterable {
        /// One feature per territory: its dissolved outline.
        case territory
        /// One feature per member (EPCI or group of communes), with its territory id.
        case member
    }
    /// What one feature of the map is.
    public var level: Level
    /// Douglas-Peucker tolerance in metres on the shared arcs (nil: no simplification).
    public var simplifyMetres: Double?
    /// Decimals of the output coordinates.
    public var precision: Int
    /// Islands (parts touching no other feature) smaller than this (km², geodesic) are dropped.
    public var minAreaKm2: Double?
    /// Whether features get their rounded, validated geometry. False: the pipeline stops at the
    /// simplified arc topology (``NationalMap/topology``) and features carry no geometry (the
    /// TopoJSON writer quantizes the arcs itself).
    public var roundFeatures = true

    /// Options; each defaults as documented on its property.
    public init(level: Level = .territory, simplifyMetres: Double? = nil, precision: Int = 6, minAreaKm2: Double? = nil)
    {
        self.level = level
        self.simplifyMetres = simplifyMetres
        self.precision = precision
        self.minAreaKm2 = minAreaKm2
    }
}
