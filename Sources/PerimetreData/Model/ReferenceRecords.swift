/// A commune of the reference coverage (COG 2026).
public struct Commune: Sendable, Hashable {
    /// INSEE code, e.g. `2A004` (a string: leading zeros and Corsica's letters matter).
    public var code: String
    public var name: String
    public var departement: String
    public var region: String
    /// SIREN of its EPCI, nil for the four island communes that belong to none.
    public var epci: String?
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
    public var name: String
    /// `CC`, `CA`, `CU` or `ME` (métropole).
    public var nature: String
    public var departements: [String]
    public var regions: [String]
    public var population: Int
    public var communeCount: Int
    public var areaKm2: Double

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

public struct Departement: Sendable, Hashable {
    public var code: String
    public var name: String
    public var region: String
}

public struct Region: Sendable, Hashable {
    public var code: String
    public var name: String
    /// INSEE code of the chef-lieu (seat of the préfecture de région).
    public var chefLieu: String
    public var chefLieuName: String
}

/// A country near France (Natural Earth), for naming neighbours.
public struct Country: Sendable, Hashable {
    /// ISO 3166-1 alpha-3, e.g. `CHE`.
    public var code: String
    public var nameFR: String
    public var nameEN: String
}

/// The French territory a place lies in: metropolitan France (with Corsica) or one DROM.
public enum Territory: String, Sendable, CaseIterable {
    case metropole = "FXX", guadeloupe = "971", martinique = "972", guyane = "973", reunion = "974", mayotte = "976"

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
