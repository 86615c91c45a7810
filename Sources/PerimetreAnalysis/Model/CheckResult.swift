public import PerimetreGeometry

/// Everything `perimetre check` finds about one perimeter. Sendable values only: the report
/// formats (text, JSON, GeoJSON, HTML) render it; the JSON schema follows its fields.
public struct CheckResult: Sendable {
    /// The perimeter's identifier (a TI code such as `ti-2708`, or the one given on the command line).
    public var id: String
    /// The perimeter's name, as given.
    public var name: String
    /// The members resolved to communes of the reference data, in input order.
    public var members: [ResolvedMember]
    /// The codes the reference data could not resolve, each with its reason and near-name suggestions.
    public var unresolved: [UnresolvedMember]
    /// Codes listed twice and communes reached through two members.
    public var duplicates: [Duplicate]
    /// EPCI only partly in the perimeter because some of their communes were listed alone.
    public var cutEPCI: [CutEPCI]
    /// Area, perimeter, population and counts of the whole perimeter.
    public var figures: Figures
    /// Whether the members form one connected territory, and how they meet.
    public var contiguity: Contiguity
    /// Holes in the perimeter wider than the tolerance, with the communes and EPCI left inside them.
    public var enclaves: [Enclave]
    /// Holes narrower than the tolerance: data slivers, not enclaves.
    public var slivers: [Sliver]
    /// The départements and régions the perimeter spans, with its share of each.
    public var span: AdministrativeSpan
    /// Whether the perimeter is frontalier, and its neighbouring countries.
    public var border: BorderResult
    /// What the rules of the FAQ conclude, each with its severity; the verdict follows from them.
    public var findings: [Finding]
    /// Overlaps with the territories of the `--against` layers.
    public var overlaps: [Overlap]
    /// One per CRTE layer given.
    public var crte: [CRTEAlignment]
    /// The lon/lat shapes drawn by the GeoJSON and HTML outputs.
    public var shapes: PerimeterShapes
    /// The metric CRS used for distances and tolerances.
    public var metricCRS: String
    /// The options the analysis ran with (tolerance, border distance, …).
    public var options: AnalysisOptions
    /// Whether the analysis answered from the reference topology (no geometry built).
    public var fromTopology = false
    /// On the topology path, whether the members' geometry was still dissolved for the holes,
    /// area and perimeter (a neighbour's exclave meeting a member, an enclosed group whose EPCI
    /// overlap the members).
    public var dissolved = false
    /// How the codes of each `--against` layer were understood, in the order given.
    public var layers: [LayerResolution] = []
    /// What to change to meet the recommendations missed (empty with `--no-remedies`).
    public var remedies: [Remedy] = []
    /// Lon/lat shapes of the EPCI and communes the remedies add (for maps; with the map context only).
    public var remedyShapes: [String: Shape] = [:]

    /// Whether any finding is bloquant.
    public var hasBlockingFinding: Bool { findings.contains { $0.severity == .bloquant } }
}

/// How a member was resolved.
public struct ResolvedMember: Sendable, Hashable {
    /// What kind of code the member was (JSON `kind`).
    public enum Kind: String, Sendable {
        /// An EPCI à fiscalité propre of the reference data.
        case epci
        /// A commune given by its INSEE code.
        case commune
        /// A commune given by its SIREN (BANATIC table).
        case communeSIREN = "commune_siren"
        /// An EPCI of an older vintage, traced to its communes through a composition table.
        case formerEPCI = "former_epci"
        /// An établissement public territorial of the Métropole du Grand Paris.
        case ept
        /// Communes covered by a drawn polygon.
        case polygon
    }
    /// How the code reached the reference data (JSON `status`).
    public enum Status: String, Sendable {
        /// Found as given.
        case resolved
        /// Resolved through a composition table (older vintage, commune SIREN, EPT).
        case traced
        /// Resolved after correcting the code (a leading zero lost in a spreadsheet).
        case corrected
    }
    /// The code as resolved (SIREN or INSEE, normalised).
    public var code: String
    /// The code or name as written in the input.
    public var input: String
    /// What kind of member it is.
    public var kind: Kind
    /// Its name in the reference data.
    public var name: String
    /// How it was found.
    public var status: Status
    /// How it was traced or corrected (French, for the reports), when it was not found as given.
    public var detail: String?
    /// INSEE codes of its communes in the reference data.
    public var communes: [String]
    /// Population of its communes in the reference data.
    public var population: Int
    /// Geodesic area of its communes (km²).
    public var areaKm2: Double
    /// EPCI nature (CC, CA, CU, ME) for an EPCI member.
    public var nature: String?
}

/// A near name offered for a code that could not be resolved.
public struct Suggestion: Sendable, Hashable {
    /// The suggested code (SIREN or INSEE).
    public var code: String
    /// Its name in the reference data.
    public var name: String
}

/// A member code the reference data could not resolve: reported, never dropped silently.
public struct UnresolvedMember: Sendable, Hashable {
    /// The code as written in the input.
    public var code: String
    /// Where it came from (file and line, or form field), for the message.
    public var origin: String
    /// Why it could not be resolved (French).
    public var reason: String
    /// Members of the reference data with a near name, best first.
    public var suggestions: [Suggestion]
}

/// A code listed twice, or a commune reached through two members.
public struct Duplicate: Sendable, Hashable {
    /// The code listed twice, or the commune's INSEE code.
    public var code: String
    /// Which of the two cases it is (JSON `kind`).
    public enum Kind: String, Sendable {
        /// The same code listed twice.
        case member
        /// A commune inside two members.
        case commune
    }
    /// Which of the two cases it is.
    public var kind: Kind
    /// The members involved.
    public var members: [String]
}

/// An EPCI only partly in the perimeter because some of its communes were listed alone.
public struct CutEPCI: Sendable, Hashable {
    /// The EPCI's SIREN.
    public var code: String
    /// The EPCI's name.
    public var name: String
    /// INSEE codes of its communes inside the perimeter.
    public var communesIn: [String]
    /// INSEE codes of its communes left outside.
    public var communesOut: [String]
}

/// The perimeter's figures: areas are geodesic, counts are of the reference data.
public struct Figures: Sendable {
    /// Geodesic area of the perimeter (km²).
    public var areaKm2: Double
    /// Geodesic length of its outline (km).
    public var perimeterKm: Double
    /// Population of its communes.
    public var population: Int
    /// Number of communes.
    public var communeCount: Int
    /// Number of EPCI its communes belong to (whole or in part).
    public var epciCount: Int
    /// SIREN of the EPCI the perimeter's communes belong to (whole or in part), sorted.
    public var epciCodes: [String]
    /// 4πA/P², 1 for a disc.
    public var polsbyPopper: Double
    /// Lon/lat bounding box.
    public var bbox: Envelope
}

/// Whether the members form one connected territory (FAQ 2.2), the contacts between them and what lies apart.
public struct Contiguity: Sendable {
    /// A contact between two members.
    public struct Edge: Sendable, Hashable {
        /// How two members meet: a shared border, or a gap narrower than the tolerance.
        public enum Kind: String, Sendable {
            /// The two members share a border of positive length.
            case sharedBorder = "shared_border"
            /// The two members are apart by less than the tolerance.
            case withinTolerance = "within_tolerance"
        }
        /// Code of the first member (the smaller code).
        public var a: String
        /// Code of the second member.
        public var b: String
        /// How they meet.
        public var kind: Kind
        /// Shared border length (m) for a shared border, gap (m) for a contact within tolerance.
        public var metres: Double
    }
    /// A component apart from the main one, and how far it lies.
    public struct Gap: Sendable, Hashable {
        /// Index in `components`.
        public var component: Int
        /// The member of that component nearest to the main component.
        public var member: String
        /// The member of the main component it is nearest to.
        public var nearestMainMember: String
        /// Distance between the two (m, local metric CRS).
        public var gapMetres: Double
    }
    /// A member on an island: apart by the sea, which the FAQ tolerates.
    public struct Island: Sendable, Hashable {
        /// The member's code.
        public var member: String
        /// Distance (m) to the nearest land outside it (another EPCI or commune).
        public var seaGapMetres: Double
        /// The nearest land outside it (an EPCI or commune code), when one was found.
        public var nearest: String?
    }
    /// A part of a member lying apart from the rest of it (an exclave).
    public struct DetachedPart: Sendable, Hashable {
        /// The member's code.
        public var member: String
        /// Geodesic area of the part (km²).
        public var areaKm2: Double
        /// Distance from the part to the rest of the perimeter (m).
        public var distanceMetres: Double
    }
    /// Whether the members form one component (within the tolerance).
    public var contiguous: Bool
    /// The gap tolerated between members (m).
    public var toleranceMetres: Double
    /// Member codes of each component, the main (largest) first.
    public var components: [[String]]
    /// Every contact between two members.
    public var edges: [Edge]
    /// Pairs that meet at single points only: reported, not counted.
    public var pointContacts: [[String]]
    /// The components apart from the main one, with their distance to it.
    public var gaps: [Gap]
    /// Members apart by the sea.
    public var islands: [Island]
    /// Parts of members lying apart from the rest of them.
    public var detachedParts: [DetachedPart]
}

/// A hole in the perimeter: the territory it encloses without including it.
public struct Enclave: Sendable {
    /// A commune or EPCI inside the hole.
    public struct Member: Sendable, Hashable {
        /// Its INSEE code or SIREN.
        public var code: String
        /// Its name.
        public var name: String
        /// For an EPCI: whether all of it lies in the hole (an EPCI left out).
        public var whole: Bool
    }
    /// Geodesic area of the hole (km²).
    public var areaKm2: Double
    /// Width of the hole: diameter of its maximum inscribed circle (m).
    public var widthMetres: Double
    /// Communes inside the hole.
    public var communes: [Member]
    /// EPCI inside the hole, whole or in part.
    public var epci: [Member]
    /// The hole's lon/lat shape.
    public var shape: Shape
}

/// A hole narrower than the tolerance: a gap in the data, not an enclave.
public struct Sliver: Sendable {
    /// Geodesic area of the hole (km²).
    public var areaKm2: Double
    /// Its width: diameter of its maximum inscribed circle (m).
    public var widthMetres: Double
}

/// The départements and régions the perimeter spans (interdépartemental, interrégional).
public struct AdministrativeSpan: Sendable {
    /// The perimeter's part of one département or région.
    public struct Entry: Sendable, Hashable {
        /// INSEE code of the département or région.
        public var code: String
        /// Its name.
        public var name: String
        /// Area of the perimeter inside it (km²).
        public var areaKm2: Double
        /// Population of the perimeter inside it.
        public var population: Int
        /// Share of the perimeter's area inside it (0…1).
        public var areaShare: Double
        /// Share of the perimeter's population inside it (0…1).
        public var populationShare: Double
        /// Number of the perimeter's communes inside it.
        public var communeCount: Int
        /// For a région: the chef-lieu, seat of the préfecture de région.
        public var prefecture: String?
    }
    /// The départements, largest share first.
    public var departements: [Entry]
    /// The régions, largest share first.
    public var regions: [Entry]
    /// Whether the perimeter spans more than one département.
    public var interdepartemental: Bool { departements.count > 1 }
    /// Whether the perimeter spans more than one région.
    public var interregional: Bool { regions.count > 1 }
}

/// The perimeter against the national borders: frontalier or not, its neighbours, its part abroad.
public struct BorderResult: Sendable {
    /// A neighbouring country and its distance to the perimeter.
    public struct Neighbour: Sendable, Hashable {
        /// ISO 3166 alpha-3 code of the country.
        public var code: String
        /// Its French name.
        public var nameFR: String
        /// Distance from the perimeter to its land border (m).
        public var distanceMetres: Double
    }
    /// The part of a drawn perimeter lying in another country.
    public struct Abroad: Sendable, Hashable {
        /// ISO 3166 alpha-3 code of the country.
        public var code: String
        /// Its French name.
        public var nameFR: String
        /// Area of the perimeter in that country (km²).
        public var areaKm2: Double
        /// Of `areaKm2`: the slivers between Natural Earth's border and the communes' (land
        /// Natural Earth draws as French, within 6 km of its border line with this country).
        public var sliverKm2: Double = 0
    }
    /// Whether a land border lies within the border distance.
    public var frontalier: Bool
    /// The border distance used (m).
    public var distanceMetres: Double
    /// Countries whose land border lies within the border distance.
    public var neighbours: [Neighbour]
    /// Countries whose land border lies within the search distance, nearest first.
    public var nearby: [Neighbour]
    /// For a drawn perimeter reaching outside France: its area abroad, per country.
    public var abroad: [Abroad]
    /// Area of the French part (km²), where the offre de services applies; nil when all French.
    public var frenchPartKm2: Double?
    /// Drawn perimeters reaching abroad: the part in no country's polygon (km²) — the sea, with
    /// the foreshore between Natural Earth's coastline and the communes'; nil when all French.
    public var seaKm2: Double? = nil
    /// Drawn perimeters reaching abroad: the waters of lakes that no commune covers and no
    /// neighbour's polygon holds (the French part of Lake Geneva), km²; nil when all French.
    public var lakeKm2: Double? = nil
    /// Drawn perimeters reaching abroad: the polygon's area (km²), which the French part, the
    /// countries, the lakes and the sea add up to; nil when all French.
    public var polygonKm2: Double? = nil
}

/// One conclusion of a rule about the perimeter, with its severity and its French message.
public struct Finding: Sendable, Hashable {
    /// How serious a finding is (JSON strings unchanged): `bloquant` makes the verdict bloquant.
    public enum Severity: String, Sendable, Comparable {
        /// For information.
        case info
        /// To look at; the candidature may stand.
        case attention
        /// The candidature cannot stand as it is.
        case bloquant
        var rank: Int { self == .bloquant ? 2 : self == .attention ? 1 : 0 }
        /// Orders by seriousness: `info` < `attention` < `bloquant`.
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
    }
    /// The rule that concluded.
    public var rule: Rule
    /// How serious it is.
    public var severity: Severity
    /// FAQ reference, e.g. `2.1`.
    public var faq: String?
    /// The finding in French, for the reports (no behaviour depends on it).
    public var message: String
}

/// The lon/lat shapes the GeoJSON and HTML outputs draw.
public struct PerimeterShapes: Sendable {
    /// The dissolved perimeter.
    public var perimeter: Shape
    /// Each connected component, the main first.
    public var components: [Shape]
    /// Each member's shape, by code.
    public var members: [String: Shape]
    /// Parts of members lying apart from the rest of them.
    public var detachedParts: [Shape]
    /// The French part of a drawn perimeter reaching abroad.
    public var frenchPart: Shape?
    /// Non-member EPCI around the perimeter (for the map), by SIREN.
    public var neighbourEPCI: [String: Shape]
    /// The national border lines within the border distance.
    public var borders: [Shape]
    /// Drawn perimeters reaching abroad: the part in each neighbouring country, by ISO code.
    public var abroadParts: [String: Shape] = [:]
    /// Drawn perimeters reaching abroad: the part at sea, and in lakes outside any commune.
    public var seaPart: Shape? = nil
    /// Drawn perimeters reaching abroad: the lakes outside any commune.
    public var lakePart: Shape? = nil
}

/// How the perimeter overlaps a territory of another layer (CRTE, TI, …).
public struct Overlap: Sendable {
    /// How the two territories relate (JSON `relation`).
    public enum Relation: String, Sendable {
        /// Same communes (or, for polygons, the same area within 1 %).
        case identical
        /// The other territory lies wholly inside the perimeter.
        case contains
        /// The perimeter lies wholly inside the other territory.
        case inside
        /// They share part of their area only.
        case partial
    }
    /// Identifier of the layer the other territory belongs to.
    public var layer: String
    /// Identifier of the other territory in its layer.
    public var id: String
    /// Its name.
    public var name: String
    /// Shared area (km²).
    public var areaKm2: Double
    /// Shared area as a share of the perimeter's (0…1).
    public var shareOfPerimeter: Double
    /// Shared area as a share of the other territory's (0…1).
    public var shareOfOther: Double
    /// Members of the other territory that share communes with the perimeter.
    public var sharedMembers: [String]
    /// How the two relate.
    public var relation: Relation
    /// Shared area below the sliver threshold: an edge contact, not an overlap.
    public var edgeContact: Bool
    /// The shared part's lon/lat shape (with the map context only).
    public var shape: Shape?
}

/// Whether a perimeter is articulated with the CRTE (FAQ 2.1): a union of whole CRTE, or which it cuts.
public struct CRTEAlignment: Sendable {
    /// A CRTE the perimeter cuts: some of its members are in, some out.
    public struct Cut: Sendable {
        /// The CRTE's identifier.
        public var id: String
        /// Its name.
        public var name: String
        /// Perimeter members with communes in this CRTE.
        public var perimeterMembers: [String]
        /// Members of the CRTE left outside the perimeter: the cause of the cut.
        public var missingMembers: [String]
    }
    /// Identifier of the CRTE layer.
    public var layer: String
    /// Whether the perimeter is a union of whole CRTE.
    public var aligned: Bool
    /// The CRTE wholly inside the perimeter.
    public var whole: [String]
    /// The CRTE the perimeter cuts.
    public var cut: [Cut]
    /// Perimeter communes in no CRTE of the layer.
    public var outsideAnyCRTE: [String]
    /// Perimeter communes in no CRTE understood while the layer has codes not understood: their
    /// CRTE is unknown (never reported as outside any CRTE).
    public var unknownCRTE: [String] = []
    /// Perimeter members whose communes lie in two or more CRTE (an EPCI born of a merger of EPCI
    /// that signed different CRTE).
    public var splitMembers: [SplitMember] = []

    /// A member whose communes lie in two or more CRTE.
    public struct SplitMember: Sendable {
        /// The member's communes in one CRTE.
        public struct Part: Sendable {
            /// The CRTE's identifier.
            public var id: String
            /// Its name.
            public var name: String
            /// Number of the member's communes in it.
            public var communes: Int
        }
        /// The member's code.
        public var code: String
        /// Its name.
        public var name: String
        /// Communes of the member (the parts add up to more when a commune is in two CRTE).
        public var communes: Int
        /// Its communes per CRTE.
        public var parts: [Part]
    }
}
