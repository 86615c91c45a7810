/// How two units of the reference coverage (EPCI or communes) meet.
public enum AdjacencyKind: String, Sendable, Hashable, Codable {
    /// A shared border of positive length (or, length 0, interiors that overlap: overlapping
    /// communes of the source): what makes two units contiguous.
    case sharedBorder = "shared_border"
    /// They meet at single points only.
    case point
    /// They do not touch but lie closer than the topology tolerance (100 m): data slivers.
    case withinTolerance = "within_tolerance"
}

/// One pair of units that meet, from the `epci_adjacency` or `commune_adjacency` table that
/// `perimetre data build` computes once from the repaired coverage.
public struct Adjacency: Sendable, Hashable {
    /// The smaller code of the pair (`a < b`).
    public let a: String
    /// The larger code of the pair.
    public let b: String
    /// How they meet.
    public let kind: AdjacencyKind
    /// The geodesic length of the shared border (m) for `sharedBorder`, the distance (m) in the
    /// local metric CRS for `withinTolerance`, 0 for `point`.
    public let lengthMetres: Double
    /// Geodesic area (m²) both units cover: 0 where the coverage is edge-matched.
    public let overlapSquareMetres: Double
    /// What the pair's union loses of the two perimeters (m): twice the shared border where the
    /// coverage is edge-matched, measured on the union itself where it is not. The area of a
    /// union of units is the sum of their areas less the overlaps of its pairs, its perimeter the
    /// sum of their perimeters less the losses of its pairs.
    public let unionLossMetres: Double

    /// A pair; without `unionLossMetres`, an edge-matched one (no overlap, twice the shared border lost).
    public init(
        a: String, b: String, kind: AdjacencyKind, lengthMetres: Double,
        overlapSquareMetres: Double = 0, unionLossMetres: Double? = nil
    ) {
        (self.a, self.b) = a < b ? (a, b) : (b, a)
        self.kind = kind
        self.lengthMetres = lengthMetres
        self.overlapSquareMetres = overlapSquareMetres
        self.unionLossMetres = unionLossMetres ?? (kind == .sharedBorder ? 2 * lengthMetres : 0)
    }
}

/// What a perimeter analysis needs to know about one unit (EPCI or commune) and would otherwise
/// recompute from its polygon: measures, the boundary it shares with no other unit, whether it
/// is an island, its detached parts, and the land borders near it. From `epci_facts` and
/// `commune_facts` (and `epci_borders`, `commune_borders`).
public struct UnitFacts: Sendable, Hashable {
    /// A part of the unit apart from its largest part (an islet, an exclave).
    public struct DetachedPart: Sendable, Hashable {
        /// Geodesic area of the part (km²).
        public var areaKm2: Double
        /// Geodesic distance (m) to the main part.
        public var distanceMetres: Double
        /// The units the part meets (shared border, point or within the tolerance), sorted: a
        /// perimeter can enclose the part only if it holds one of them.
        public var neighbours: [String]
        /// A detached part.
        public init(areaKm2: Double, distanceMetres: Double, neighbours: [String] = []) {
            self.areaKm2 = areaKm2
            self.distanceMetres = distanceMetres
            self.neighbours = neighbours
        }
    }
    /// A country whose Natural Earth land border lies within the search distance of the unit.
    public struct BorderDistance: Sendable, Hashable {
        /// ISO 3166-1 alpha-3.
        public var country: String
        /// Distance (m) in the local metric CRS to the nearest border line of that country.
        public var distanceMetres: Double
        /// A country at a distance.
        public init(country: String, distanceMetres: Double) {
            self.country = country
            self.distanceMetres = distanceMetres
        }
    }
    /// The unit's code (SIREN or INSEE code).
    public var code: String
    /// Geodesic area (m²) and perimeter (m) of the unit's polygon.
    public var areaSquareMetres: Double
    /// Geodesic perimeter of the unit's polygon (m).
    public var perimeterMetres: Double
    /// Length (m) of the boundary shared with no other unit: coast or national border.
    public var freeBoundaryMetres: Double
    /// Length (m) of the boundary on a hole of the coverage (a foreign enclave such as Llívia).
    public var holeBoundaryMetres: Double
    /// Length (m) of the boundary neither shared with another unit nor on the outline of France:
    /// where the coverage is not edge-matched (overlapping or split communes). Above
    /// ``TopologyParameters/unmatchedMetres``, sums over the unit are not exact: geometry decides.
    public var unmatchedBoundaryMetres: Double
    /// Lon/lat bounding box of the polygon (full precision, unlike the R-tree's).
    public var minX: Double, minY: Double, maxX: Double, maxY: Double
    /// The local metric CRS of the unit (`EPSG:2154`…), in which distances were measured.
    public var crs: String
    /// No land neighbour within the tolerance and no land border within 6 km.
    public var island: Bool
    /// For an island: the distance (m) to the nearest other unit within about 50 km, and which.
    public var seaGapMetres: Double?
    /// For an island: the code of that nearest unit.
    public var seaNearest: String?
    /// Parts apart from the largest one.
    public var detachedParts: [DetachedPart]
    /// Countries within the search distance, nearest first.
    public var borders: [BorderDistance]

    /// The facts of a unit, as `perimetre data build` computes them.
    public init(
        code: String, areaSquareMetres: Double, perimeterMetres: Double, freeBoundaryMetres: Double,
        holeBoundaryMetres: Double, unmatchedBoundaryMetres: Double, minX: Double, minY: Double, maxX: Double,
        maxY: Double, crs: String,
        island: Bool, seaGapMetres: Double?, seaNearest: String?, detachedParts: [DetachedPart],
        borders: [BorderDistance]
    ) {
        self.code = code
        self.areaSquareMetres = areaSquareMetres
        self.perimeterMetres = perimeterMetres
        self.freeBoundaryMetres = freeBoundaryMetres
        self.holeBoundaryMetres = holeBoundaryMetres
        self.unmatchedBoundaryMetres = unmatchedBoundaryMetres
        (self.minX, self.minY, self.maxX, self.maxY) = (minX, minY, maxX, maxY)
        self.crs = crs
        self.island = island
        self.seaGapMetres = seaGapMetres
        self.seaNearest = seaNearest
        self.detachedParts = detachedParts
        self.borders = borders
    }
}

/// The parameters the topology tables were computed with: an analysis may answer from them only
/// when it asks the same.
public struct TopologyParameters: Sendable, Hashable {
    /// Pairs closer than this (m) that do not touch are `within_tolerance`.
    public static let toleranceMetres = 100.0
    /// Border lines within this distance (m) are listed per unit.
    public static let borderSearchMetres = 50_000.0
    /// An island has no land border within this distance (m).
    public static let islandBorderMetres = 6000.0
    /// Boundary (m) left unmatched below which a unit counts as edge-matched (numerical residue).
    public static let unmatchedMetres = 1.0
}
