public import PerimetreGeometry

/// One member as given by the user, with where it came from (for error messages).
public struct MemberInput: Sendable, Hashable {
    /// The code as given (SIREN, INSEE code), or empty when only a name is given.
    public var code: String
    /// A name given beside the code (member files often have one), used for suggestions.
    public var name: String?
    /// `file:line`, or `argument N`.
    public var origin: String
    /// What a name given without code names (a DS commune champ holds a commune): how a member
    /// with an empty code is looked up by its name. Nil: an EPCI.
    public var nameKind: NameKind?

    /// What a name given without a code names.
    public enum NameKind: String, Sendable, Hashable {
        /// The name of an EPCI.
        case epci
        /// The name of a commune.
        case commune
    }

    /// A member as given.
    public init(code: String, name: String? = nil, origin: String, nameKind: NameKind? = nil) {
        self.code = code
        self.name = name
        self.origin = origin
        self.nameKind = nameKind
    }
}

/// A perimeter to analyse: a list of members, or a polygon.
public struct PerimeterRequest: Sendable {
    /// The perimeter's identifier, echoed in every output.
    public var id: String
    /// The perimeter's name, echoed in every output.
    public var name: String
    /// The members, in input order.
    public var members: [MemberInput]
    /// A drawn perimeter (lon/lat polygon), instead of or besides members.
    public var geometry: Shape?
    /// Tolerances and what to compute.
    public var options: AnalysisOptions

    /// A perimeter of the given members, or drawn polygon.
    public init(
        id: String, name: String, members: [MemberInput], geometry: Shape? = nil, options: AnalysisOptions = .init()
    ) {
        self.id = id
        self.name = name
        self.members = members
        self.geometry = geometry
        self.options = options
    }
}

/// Tolerances of the analysis.
public struct AnalysisOptions: Sendable {
    /// Members closer than this (m) are linked as "contact within N m"; holes narrower are slivers.
    public var toleranceMetres: Double = 100
    /// A perimeter within this distance (m) of a land border is frontalier.
    public var borderDistanceMetres: Double = 3000
    /// Neighbouring countries are listed up to this distance (m).
    public var borderSearchMetres: Double = 50_000
    /// Whether to collect the neighbouring EPCI shapes a map draws (HTML, workbench); off for batch work.
    public var mapContext: Bool = true
    /// Whether the output draws shapes (GeoJSON, HTML, map, workbench). Without shapes, a
    /// perimeter of whole EPCI is answered from the reference topology, with no geometry at all.
    public var shapes: Bool = true
    /// Whether the reference topology may answer (off: always the geometric path, the reference
    /// the topology is proven against).
    public var topology: Bool = true
    /// Whether to look for remedies (`--no-remedies` turns it off).
    public var remedies: Bool = true
    /// Options; each defaults as documented on its property.
    public init(
        toleranceMetres: Double = 100, borderDistanceMetres: Double = 3000, mapContext: Bool = true,
        shapes: Bool = true, topology: Bool = true, remedies: Bool = true
    ) {
        self.toleranceMetres = toleranceMetres
        self.borderDistanceMetres = borderDistanceMetres
        self.mapContext = mapContext
        self.shapes = shapes
        self.topology = topology
        self.remedies = remedies
    }
}
