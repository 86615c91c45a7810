/// A concrete change to a perimeter option that makes it meet a recommendation of the programme,
/// with its cost and its predicted effect (`perimetre check`, `audit` and the workbench list them
/// under "PISTES").
public struct Remedy: Sendable, Hashable {
    /// What the remedy achieves (JSON `goal`).
    public enum Goal: String, Sendable {
        /// Join the components of a non-contiguous perimeter (FAQ 2.1).
        case connect
        /// Fill an enclave (FAQ 2.1).
        case fillEnclave = "fill_enclave"
        /// Stop cutting a CRTE: add its missing members, or remove the members in it (FAQ 2.1).
        case alignCRTE = "align_crte"
        /// A single-EPCI option: join a neighbouring EPCI or candidature (FAQ 2.2).
        case joinNeighbours = "join_neighbours"
        /// An EPCI listed through some of its communes only: add the others, or remove those listed.
        case epciCut = "epci_cut"
    }

    /// What the perimeter would be after the change (predicted from the EPCI adjacency graph and
    /// the geometries; the tests check it against a new analysis of the changed perimeter).
    public struct Outcome: Sendable, Hashable {
        /// Whether the perimeter would be contiguous.
        public var contiguous: Bool
        /// Number of enclaves (holes wider than the tolerance).
        public var enclaves: Int
        /// Whether the perimeter is a union of whole CRTE (every CRTE layer given); nil without one.
        public var crteAligned: Bool?
    }

    /// An EPCI or commune named by a remedy.
    public struct Place: Sendable, Hashable {
        /// What kind of place it is (JSON `kind`).
        public enum Kind: String, Sendable {
            /// An EPCI à fiscalité propre.
            case epci
            /// A commune.
            case commune
            /// A member of the perimeter.
            case member
        }
        /// The place's SIREN or INSEE code.
        public var code: String
        /// Its name.
        public var name: String
        /// What kind of place it is.
        public var kind: Kind
        /// Its population.
        public var population: Int
        /// Its geodesic area (km²).
        public var areaKm2: Double
    }

    /// Another candidature of an audit sharing a border with a single-EPCI option.
    public struct Candidature: Sendable, Hashable {
        /// The candidature's identifier.
        public var id: String
        /// Its name.
        public var name: String
        /// Its EPCI that border the option.
        public var bordering: [String]
    }

    /// What the remedy achieves.
    public var goal: Goal
    /// What the remedy is about: the enclave number (from 1), the CRTE id, the cut EPCI's SIREN.
    public var target: String?
    /// EPCI SIREN and commune INSEE codes to add.
    public var add: [String]
    /// Member codes to remove.
    public var remove: [String]
    /// Other sets of codes to add doing as well (connect: equally few EPCI; join_neighbours: the other neighbours).
    public var alternatives: [[String]]
    /// Whether `add` is proven the fewest EPCI (false: a 2-approximation, or a perimeter of communes).
    public var exact: Bool
    /// False when no change of this kind can reach the goal (islands, overseas, an empty CRTE layer…).
    public var feasible: Bool
    /// Of two ways to the same goal, the cheaper (fewer inhabitants moved).
    public var preferred: Bool
    /// Net change of population (negative when removing) and of area.
    public var populationAdded: Int
    /// Net change of area (km²).
    public var areaAddedKm2: Double
    /// Départements and régions the change brings in.
    public var departementsAdded: [String]
    /// Régions the change brings in.
    public var regionsAdded: [String]
    /// The predicted perimeter after the change; nil when not feasible.
    public var result: Outcome?
    /// Members that no change can join to the rest on land.
    public var unreachable: [String]
    /// Candidatures of the audit bordering the option (join_neighbours, in an audit).
    public var candidatures: [Candidature]
    /// Names and figures of every code in `add`, `remove` and `alternatives`.
    public var places: [String: Place]
    /// The remedy in plain French.
    public var message: String
}
