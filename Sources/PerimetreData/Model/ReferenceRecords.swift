/// A commune of the reference coverage (COG 2026).
public struct Commune: Sendable, Hashable {
    /// INSEE code, e.g. `2A004` (a string: leading zeros and Corsica's letters matter).
    public var code: String
    /// Official name (COG).
    public var name: String
    /// INSEE code of its département.
    public var departement: String
    /// INSEE code of its région.
    public var region: String
    /// SIREN of its EPCI, nil for the four island communes that belong to none.
    public var epci: String?
    /// Municipal population.
    public var population: Int
    /// Geodesic area in km² (0 when the source has no separate geometry for it).
    public var areaKm2: Double
    /// False for the communes whose geometry the source merges into a neighbour's.
    public var hasGeometry: Bool
}

/// An EPCI à fiscalité propre.
public struct EPCI: Sendable, Hashable {
    /// SIREN, 9 digits.
    public var code: String
    /// Name.
    public var name: String
    /// `CC`, `CA`, `CU` or `ME` (métropole).
    public var nature: String
    /// INSEE codes of the départements of its communes.
    public var departements: [String]
    /// INSEE codes of the régions of its communes.
    public var regions: [String]
    /// Municipal population of its communes.
    public var population: Int
    /// Number of its communes.
    public var communeCount: Int
    /// Geodesic area (km²).
    public var areaKm2: Double

    /// Whether it is a métropole (which the programme treats apart).
    public var isMetropole: Bool { nature == "ME" }

    /// The nature in words, in French.
    public var natureLabel: String {
        switch nature {
        case "CC": "communauté de communes"
        case "CA": "communauté d'agglomération"
        case "CU": "communauté urbaine"
        case "ME": "métropole"
        default: nature
        }
    }
}

/// A département (COG 2026).
public struct Departement: Sendable, Hashable {
    /// INSEE code (`2A`, `971`…).
    public var code: String
    /// Name.
    public var name: String
    /// INSEE code of its région.
    public var region: String
}

/// A région (COG 2026).
public struct Region: Sendable, Hashable {
    /// INSEE code.
    public var code: String
    /// Name.
    public var name: String
    /// INSEE code of the chef-lieu (seat of the préfecture de région).
    public var chefLieu: String
    /// Name of the chef-lieu.
    public var chefLieuName: String
}

/// A country near France (Natural Earth), for naming neighbours.
public struct Country: Sendable, Hashable {
    /// ISO 3166-1 alpha-3, e.g. `CHE`.
    public var code: String
    /// French name.
    public var nameFR: String
    /// English name.
    public var nameEN: String
}

/// The French territory a place lies in: metropolitan France (with Corsica) or one DROM.
public enum Territory: String, Sendable, CaseIterable {
    /// Metropolitan France, Corsica included.
    case metropole = "FXX"
    /// Guadeloupe (971).
    case guadeloupe = "971"
    /// Martinique (972).
    case martinique = "972"
    /// Guyane (973).
    case guyane = "973"
    /// La Réunion (974).
    case reunion = "974"
    /// Mayotte (976).
    case mayotte = "976"

    /// The territory's French name.
    public var name: String {
        switch self {
        case .metropole: "France métropolitaine"
        case .guadeloupe: "Guadeloupe"
        case .martinique: "Martinique"
        case .guyane: "Guyane"
        case .reunion: "La Réunion"
        case .mayotte: "Mayotte"
        }
    }

    /// The territory of a département code.
    public init(departement: String) {
        self = Territory(rawValue: departement) ?? .metropole
    }
}
